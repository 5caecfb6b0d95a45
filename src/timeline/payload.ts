import type { TimelineEvent } from '../protocol/types'
import { kindLabel } from '../protocol/events'
import { jsonText, type JsonText } from '../protocol/codec/jsonText'
import { explanationText } from './diagnosisTracker'
import { reasonText } from '../protocol/localReasons'

/**
 * Payload helpers shared by previews, filters, the detail pane and export: everything a server sent is treated
 * as untrusted text or bytes, and nothing here is computed until someone looks at the event.
 */

export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value)
}

export function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}

/** Standard base64 (RFC 4648 §4), chunked so large frames do not overflow the argument list. */
/**
 * How much of a payload the detail pane puts in the DOM. A 16 MiB frame as one text node takes seconds to lay out
 * and shows nothing useful; the pane shows this much and Copy takes the whole payload.
 */
export const DISPLAY_LIMIT = 256 * 1024

/** `text` cut to `limit` characters, with how many were left out. */
export function clipText(text: string, limit = DISPLAY_LIMIT): { shown: string, hidden: number } {
  return text.length > limit ? { shown: text.slice(0, limit), hidden: text.length - limit } : { shown: text, hidden: 0 }
}

export function toBase64(value: ArrayBuffer | ArrayBufferView): string {
  const bytes = bytesOf(value)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[])
  return btoa(binary)
}

/** Decode standard base64; throws a readable Error on anything else. */
export function fromBase64(text: string): ArrayBuffer {
  let binary: string
  try {
    binary = atob(text)
  }
  catch {
    throw new Error('invalid base64')
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

const utf8 = new TextDecoder('utf-8')
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export function decodeUtf8(value: ArrayBuffer | ArrayBufferView): string {
  return utf8.decode(value)
}

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8 (then show them as hex). */
export function tryDecodeUtf8(value: ArrayBuffer | ArrayBufferView): string | undefined {
  try {
    return strictUtf8.decode(value)
  }
  catch {
    return undefined
  }
}

function hex2(n: number): string {
  return n < 16 ? `0${n.toString(16)}` : n.toString(16)
}

/** The characters one line of `hexDump` takes with `bytesPerLine` bytes: offset, hex bytes, the character column. */
export function hexLineLength(bytesPerLine: number): number {
  return 8 + 2 + bytesPerLine * 3 + (bytesPerLine > 8 ? 1 : 0) + 1 + bytesPerLine + 2
}

/** The widths a hex dump is laid out in, widest first: 16 bytes a line (the classic), then 8, then 4. */
export const HEX_LINE_WIDTHS = [16, 8, 4] as const

/** The most bytes a line can hold in `columns` characters so that the character column is whole (at least 4). */
export function hexBytesPerLine(columns: number): number {
  return HEX_LINE_WIDTHS.find(n => hexLineLength(n) <= columns) ?? 4
}

/**
 * Hex dump: offset, hex bytes, printable ASCII (`.` for the rest). Classic 16 bytes a line (an extra space after the
 * eighth); a narrow view asks for 8 or 4 (hexBytesPerLine), so the character column is never cut off.
 */
export function hexDump(value: ArrayBuffer | ArrayBufferView, maxBytes = 64 * 1024, bytesPerLine = 16): string {
  const bytes = bytesOf(value)
  const end = Math.min(bytes.length, maxBytes)
  const perLine = Math.max(1, Math.floor(bytesPerLine))
  const lines: string[] = []
  for (let offset = 0; offset < end; offset += perLine) {
    let hex = ''
    let ascii = ''
    for (let i = 0; i < perLine; i++) {
      const byte = offset + i < end ? bytes[offset + i] : undefined
      hex += byte === undefined ? '   ' : `${hex2(byte)} `
      if (i === 7 && perLine > 8) hex += ' '
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7F ? String.fromCharCode(byte) : '.'
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`)
  }
  if (end < bytes.length) lines.push(`… ${bytes.length - end} more bytes`)
  return lines.join('\n')
}

/** How binary values inside Socket.IO arguments are written in JSON text: a label, or their UTF-8 text. */
function binaryLabel(v: unknown): unknown {
  if (isBinary(v)) return `<binary ${v.byteLength} B>`
  return v
}
function binaryText(v: unknown): unknown {
  if (isBinary(v)) return decodeUtf8(v)
  return v
}

/**
 * JSON text of a value that may hold binary (Socket.IO args): binary becomes `<binary N B>`, or its UTF-8 text
 * when `binaryAsText` (what the text filter searches). Any depth (see jsonText.ts); `maxChars` cuts it short.
 * With `indent`, levels past NESTING_LIMIT are written compact.
 */
export function stringifyArgs(value: unknown, indent?: number, binaryAsText = false, maxChars?: number): string {
  const replace = binaryAsText ? binaryText : binaryLabel
  if (!indent && maxChars === undefined) {
    // The native writer is several times faster (the text filter runs this over every event), but recursive: a
    // value too deep for the stack, or a cycle, throws, and then the iterative writer does it.
    try {
      const text = JSON.stringify(value, (_key, v: unknown) => typeof v === 'bigint' ? v.toString() : replace(v)) as string | undefined
      if (text !== undefined) return text
    }
    catch {
      // RangeError (too deep) or TypeError (a cycle): written below.
    }
  }
  return jsonText(value, { indent, maxChars, replace }).text
}

/**
 * The start of a value's JSON text for a view: at most `maxChars` characters however big or deep the value
 * (binary as `<binary N B>`), with `complete` false when there is more. Indented to NESTING_LIMIT with `indent`.
 */
export function jsonForDisplay(value: unknown, maxChars = DISPLAY_LIMIT, indent?: number): JsonText {
  return jsonText(value, { indent, maxChars, replace: binaryLabel })
}

/** Socket.IO arguments a driver put in `detail.args`, if any. */
export function argsOf(event: TimelineEvent): unknown[] | undefined {
  if (event.layer !== 'app') return undefined
  switch (event.kind) {
    case 'event':
    case 'emit':
    case 'ack':
    case 'ack_reply': {
      // A file's detail is checked for its shape only as far as an object: its args may be anything, or missing.
      const args: unknown = event.detail?.args
      return Array.isArray(args) ? args : undefined
    }
    default:
      return undefined
  }
}

/**
 * Characters a server can use to make text look like something else (Trojan Source, CVE-2021-42574) or to hide
 * text: C0/C1 controls (CR, LF, ESC…), format characters (the bidi overrides and isolates U+202A–U+202E,
 * U+2066–U+2069, LRM/RLM/ALM, zero-width spaces and joiners, BOM, soft hyphen, invisible tag characters
 * U+E0000–U+E007F), line/paragraph separators, and blank letters that render as nothing (Hangul fillers, CGJ).
 */
// Combining marks (CGJ, Mongolian selectors) are matched one by one on purpose: each alone is a hiding place.
// eslint-disable-next-line no-misleading-character-class
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFFA0]/gu
/** What may stand on each side of a zero width joiner inside one emoji (👩🏽‍💻): a pictograph, a skin tone, VS16. */
const EMOJI_BEFORE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u

/** A piece of server text: plain text, or a marker standing for one invisible character (`\u202E`). */
export interface TextSegment {
  text: string
  /** The segment is a marker: render it styled apart from the text around it. */
  mark?: { code: number, name: string }
}

const NAMES: Record<number, string> = {
  0x09: 'tab', 0x0A: 'line feed', 0x0D: 'carriage return', 0x1B: 'escape', 0x00: 'null', 0x7F: 'delete',
  0xAD: 'soft hyphen', 0x061C: 'Arabic letter mark', 0x200B: 'zero width space', 0x200C: 'zero width non-joiner',
  0x200D: 'zero width joiner', 0x200E: 'left-to-right mark', 0x200F: 'right-to-left mark', 0x2028: 'line separator',
  0x2029: 'paragraph separator', 0x202A: 'left-to-right embedding', 0x202B: 'right-to-left embedding',
  0x202C: 'pop directional formatting', 0x202D: 'left-to-right override', 0x202E: 'right-to-left override',
  0x2060: 'word joiner', 0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate', 0xFEFF: 'zero width no-break space (BOM)',
}
const SHORT: Record<number, string> = { 0x09: '\\t', 0x0A: '\\n', 0x0D: '\\r' }

/** The marker shown for an invisible character: `\n`, `\r`, `\t`, else `\u202E` (`\u{E0041}` past the BMP). */
export function controlMarker(code: number): string {
  const short = SHORT[code]
  if (short) return short
  const hex = code.toString(16).toUpperCase()
  return code > 0xFFFF ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`
}

function controlName(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  const name = NAMES[code] ?? (code >= 0xE0000 && code <= 0xE007F ? 'invisible tag character' : code < 0xA0 ? 'control character' : 'invisible character')
  return `${name} (${hex})`
}

export interface VisibleOptions {
  /** Keep line feeds and tabs as they are (multi-line views); CR and the rest are still marked. @default false */
  multiline?: boolean
  /**
   * Markers returned as their own segments; past this many they are folded into the text around them (still
   * written as `\u202E`, just not styled), so a payload of control characters cannot make 100,000 elements.
   * @default 500
   */
  maxMarks?: number
}

/**
 * Server text split so every invisible or bidi control character is a visible marker (`\u202E`) instead of
 * acting on the text around it: `"\u202Egnp.exe"` never shows as "exe.png". The one function every view of server
 * text uses (rows, detail fields, the JSON tree, the Text view, the diagnosis banner); render each `mark` segment
 * styled apart. A zero width joiner between two emoji (👩‍💻) is left alone.
 */
export function visibleSegments(text: string, options: VisibleOptions = {}): TextSegment[] {
  const { multiline = false, maxMarks = 500 } = options
  CONTROL.lastIndex = 0
  if (!CONTROL.test(text)) return [{ text }]
  const segments: TextSegment[] = []
  let plain = ''
  let last = 0
  let marks = 0
  CONTROL.lastIndex = 0
  for (let match = CONTROL.exec(text); match; match = CONTROL.exec(text)) {
    const code = match[0].codePointAt(0)!
    const at = match.index
    if (multiline && (code === 0x0A || code === 0x09)) continue
    if (code === 0x200D && EMOJI_BEFORE.test(text.slice(Math.max(0, at - 2), at)) && EMOJI_AFTER.test(text.slice(at + 1, at + 3))) continue
    plain += text.slice(last, at)
    last = at + match[0].length
    if (marks < maxMarks) {
      if (plain) segments.push({ text: plain })
      plain = ''
      segments.push({ text: controlMarker(code), mark: { code, name: controlName(code) } })
      marks++
    }
    else {
      plain += controlMarker(code)
    }
  }
  plain += text.slice(last)
  if (plain) segments.push({ text: plain })
  return segments
}

/** `visibleSegments` as one string, for places that cannot style a marker (an attribute, a file name). */
export function visibleText(text: string, options: VisibleOptions = {}): string {
  return visibleSegments(text, options).map(s => s.text).join('')
}

/**
 * One line of at most `max` characters saying what the event carries. Computed only for visible rows. Control
 * characters are left in: render it through `visibleSegments`, which shows each as a marker.
 */
/** The preview has nothing to show but a reconnect's delay (`in N ms`): the UI words that itself. */
export function previewIsDelay(event: TimelineEvent): boolean {
  return event.data === undefined && event.delayMs !== undefined && !argsOf(event) && !explanationText(event)
    && !event.reason && event.code === undefined
}

export function previewOf(event: TimelineEvent, max = 160): string {
  const data = event.data
  let text: string
  if (typeof data === 'string') {
    text = data.length > max ? data.slice(0, max + 1) : data
  }
  else if (data !== undefined) {
    const head = new Uint8Array(data, 0, Math.min(data.byteLength, 24))
    let hex = ''
    for (const byte of head) hex += `${hex2(byte)} `
    text = `binary ${data.byteLength} B: ${hex}${data.byteLength > head.length ? '…' : ''}`
  }
  else {
    const args = argsOf(event)
    const explained = args ? undefined : explanationText(event)
    if (args) text = stringifyArgs(args, undefined, false, max + 1)
    else if (explained) text = event.code !== undefined ? `${event.code} ${reasonText(event)} — ${explained}` : explained
    else if (event.reason || event.code !== undefined) text = `${event.code ?? ''} ${reasonText(event)}`.trim()
    else if (event.delayMs !== undefined) text = `in ${Math.round(event.delayMs)} ms`
    else text = ''
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** The text a text/regex filter searches: kind, name, namespace, payload (binary as UTF-8), args, reason. */
export function searchableText(event: TimelineEvent): string {
  const kind = kindLabel(event)
  let text = event.name ? `${kind} ${event.name}` : kind
  const data = event.data
  if (typeof data === 'string') text += `\n${data}`
  else if (data !== undefined) text += `\n${decodeUtf8(data)}`
  const args = argsOf(event)
  if (args) text += `\n${stringifyArgs(args, undefined, true)}`
  if (event.reason) {
    text += `\n${event.reason}`
    // SocketLens's own phrase as the person reads it too (in Korean), so a search finds what the row shows.
    const shown = reasonText(event)
    if (shown !== event.reason) text += `\n${shown}`
  }
  const explained = explanationText(event)
  if (explained) text += `\n${explained}`
  return text
}

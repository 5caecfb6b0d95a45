import type { TimelineEvent } from '../protocol/types'

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

/** Classic 16-bytes-a-line hex dump: offset, hex bytes, printable ASCII (`.` for the rest). */
export function hexDump(value: ArrayBuffer | ArrayBufferView, maxBytes = 64 * 1024): string {
  const bytes = bytesOf(value)
  const end = Math.min(bytes.length, maxBytes)
  const lines: string[] = []
  for (let offset = 0; offset < end; offset += 16) {
    let hex = ''
    let ascii = ''
    for (let i = 0; i < 16; i++) {
      const byte = offset + i < end ? bytes[offset + i] : undefined
      hex += byte === undefined ? '   ' : `${hex2(byte)} `
      if (i === 7) hex += ' '
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7F ? String.fromCharCode(byte) : '.'
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`)
  }
  if (end < bytes.length) lines.push(`… ${bytes.length - end} more bytes`)
  return lines.join('\n')
}

/**
 * JSON text of a value that may hold binary (Socket.IO args): binary becomes `<binary N B>`, or its UTF-8 text
 * when `binaryAsText` (what the text filter searches).
 */
export function stringifyArgs(value: unknown, indent?: number, binaryAsText = false): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (isBinary(v)) return binaryAsText ? decodeUtf8(v) : `<binary ${v.byteLength} B>`
      if (typeof v === 'bigint') return v.toString()
      return v
    }, indent) ?? String(value)
  }
  catch {
    return String(value)
  }
}

/** Socket.IO arguments a driver put in `detail.args`, if any. */
export function argsOf(event: TimelineEvent): unknown[] | undefined {
  const args = event.detail?.args
  return Array.isArray(args) ? args : undefined
}

// Control characters (including CR/LF/TAB) would break the one-line row: show them as a visible middle dot.
const CONTROL = /[\u0000-\u001F\u007F]/g // eslint-disable-line no-control-regex

/** One line of at most `max` characters saying what the event carries. Computed only for visible rows. */
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
    if (args) text = stringifyArgs(args)
    else if (event.explanation) text = event.code !== undefined ? `${event.code} ${event.reason || ''} — ${event.explanation}` : event.explanation
    else if (event.reason || event.code !== undefined) text = `${event.code ?? ''} ${event.reason ?? ''}`.trim()
    else if (event.delayMs !== undefined) text = `in ${Math.round(event.delayMs)} ms`
    else text = ''
  }
  text = text.replace(CONTROL, '·')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** The text a text/regex filter searches: kind, name, namespace, payload (binary as UTF-8), args, reason. */
export function searchableText(event: TimelineEvent): string {
  let text = event.name ? `${event.kind} ${event.name}` : event.kind
  const data = event.data
  if (typeof data === 'string') text += `\n${data}`
  else if (data !== undefined) text += `\n${decodeUtf8(data)}`
  const args = argsOf(event)
  if (args) text += `\n${stringifyArgs(args, undefined, true)}`
  if (event.reason) text += `\n${event.reason}`
  if (event.explanation) text += `\n${event.explanation}`
  return text
}

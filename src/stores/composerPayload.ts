import type { OutgoingMessage } from '@/protocol/types'
import { jsonText } from '@/protocol/codec/jsonText'
import type { ArgumentDraft, ArgumentType, AttachedFile, BinaryInput, ComposerState, PayloadFormat } from './session'
import { message, type MessageRef } from '@/protocol/message'

/**
 * What the composers hold, read into what a driver sends; each problem is a message (src/i18n, composer.errors)
 * the composer shows in the person's language. The choices, in one place:
 * - Nothing is sent by accident. An empty raw WebSocket Message is refused in every format (the placeholder is not
 *   content; text of only spaces is content). An empty Socket.IO Message of type `auto` ("JSON / text") with no
 *   further arguments is an event with no arguments — legitimate, and the composer says so under the field; with
 *   further arguments it is refused, since argument 1 cannot be skipped (type String sends "", null sends null).
 * - JSON: with type `auto`, text that parses is sent as that value (the contract), text that opens with `{`, `[`
 *   or `"` and does not parse is refused with the parser's position (findJsonProblem), other text is a string;
 *   type `json` requires JSON; type `string` sends any text as written.
 * - Binary: hex (with `base64:…` also accepted), base64, or a file's bytes (AttachedFile: in memory only, never
 *   saved), at most MAX_BINARY_BYTES (64 MiB).
 */
export type ParsedValue = { ok: true, value: unknown } | { ok: false, error: MessageRef }

/** The largest file or binary Message the composer sends (a tab holds it in memory, and so does the timeline). */
export const MAX_BINARY_BYTES = 64 * 1024 * 1024

/** Where JSON text stops being JSON: the offset (UTF-16, into the text as given), its line and column, and why. */
export interface JsonProblem {
  offset: number
  line: number
  column: number
  problem: MessageRef
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0A || code === 0x0D
}

function positionOf(text: string, offset: number, problem: MessageRef): JsonProblem {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0A) {
      line += 1
      lineStart = i + 1
    }
  }
  return { offset, line, column: offset - lineStart + 1, problem }
}

/** The character at `offset` as a person can read it (quoted, invisible ones escaped), or the end of the text. */
function shown(text: string, offset: number): string {
  const char = text.codePointAt(offset)
  return char === undefined ? '' : JSON.stringify(String.fromCodePoint(char))
}

/** Scans a JSON string from its opening quote; returns the offset after its closing quote, or a problem. */
function scanString(text: string, start: number): number | JsonProblem {
  let i = start + 1
  while (i < text.length) {
    const code = text.charCodeAt(i)
    if (code === 0x22) return i + 1
    if (code === 0x5C) {
      const escape = text[i + 1]
      if (escape === 'u') {
        if (!/^[0-9a-f]{4}$/i.test(text.slice(i + 2, i + 6))) return positionOf(text, i, message('composer.json.badEscape'))
        i += 6
        continue
      }
      if (escape === undefined || !'"\\/bfnrt'.includes(escape)) return positionOf(text, i, message('composer.json.badEscape'))
      i += 2
      continue
    }
    if (code < 0x20) return positionOf(text, i, message('composer.json.controlCharacter'))
    i += 1
  }
  return positionOf(text, text.length, message('composer.json.unterminatedString'))
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/**
 * Where `text` stops being JSON, or undefined when it is JSON. An iterative scanner (a stack of open brackets, no
 * recursion), so any depth costs only its length; `JSON.parse` decides validity (jsonProblem), this says where.
 */
export function findJsonProblem(text: string): JsonProblem | undefined {
  type Want = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end'
  const open: string[] = []
  let want: Want = 'value'
  let i = 0
  const afterValue = (): Want => open.length > 0 ? 'commaOrClose' : 'end'
  for (;;) {
    while (i < text.length && isJsonSpace(text.charCodeAt(i))) i += 1
    if (i >= text.length) return want === 'end' ? undefined : positionOf(text, i, message('composer.json.unexpectedEnd'))
    const char = text[i]!
    switch (want) {
      case 'end':
        return positionOf(text, i, message('composer.json.trailingText'))
      case 'colon':
        if (char !== ':') return positionOf(text, i, message('composer.json.expectedColon', { found: shown(text, i) }))
        i += 1
        want = 'value'
        continue
      case 'commaOrClose': {
        const close = open.at(-1) === '{' ? '}' : ']'
        if (char === ',') {
          i += 1
          want = close === '}' ? 'key' : 'value'
          continue
        }
        if (char === close) {
          open.pop()
          i += 1
          want = afterValue()
          continue
        }
        return positionOf(text, i, message('composer.json.expectedCommaOrClose', { close, found: shown(text, i) }))
      }
      case 'key':
      case 'keyOrClose': {
        if (char === '}' && want === 'keyOrClose') {
          open.pop()
          i += 1
          want = afterValue()
          continue
        }
        if (char !== '"') return positionOf(text, i, message('composer.json.expectedKey', { found: shown(text, i) }))
        const end = scanString(text, i)
        if (typeof end !== 'number') return end
        i = end
        want = 'colon'
        continue
      }
      case 'value':
      case 'valueOrClose': {
        if (char === ']' && want === 'valueOrClose') {
          open.pop()
          i += 1
          want = afterValue()
          continue
        }
        if (char === '{' || char === '[') {
          open.push(char)
          i += 1
          want = char === '{' ? 'keyOrClose' : 'valueOrClose'
          continue
        }
        if (char === '"') {
          const end = scanString(text, i)
          if (typeof end !== 'number') return end
          i = end
          want = afterValue()
          continue
        }
        if (char === '-' || (char >= '0' && char <= '9')) {
          NUMBER.lastIndex = i
          const match = NUMBER.exec(text)
          if (!match) return positionOf(text, i + 1, message('composer.json.badNumber'))
          i += match[0].length
          // "01", "1.", "1e": the number stops where JSON's grammar does; say so at the character after it.
          if (i < text.length && /[\d.eE+-]/.test(text[i]!)) return positionOf(text, i, message('composer.json.badNumber'))
          want = afterValue()
          continue
        }
        const literal = ['true', 'false', 'null'].find(word => text.startsWith(word, i))
        if (literal) {
          i += literal.length
          want = afterValue()
          continue
        }
        return positionOf(text, i, message('composer.json.unexpectedCharacter', { found: shown(text, i) }))
      }
    }
  }
}

/** JSON.parse, and when it fails, where and why (the browser's own words when the scanner finds nothing). */
export function parseJson(text: string): ParsedValue & { problem?: JsonProblem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  }
  catch (error) {
    const problem = findJsonProblem(text)
    if (!problem) return { ok: false, error: message('composer.errors.notJson', { detail: (error as Error).message }) }
    return { ok: false, problem, error: message('composer.errors.badJson', { line: problem.line, column: problem.column, problem: problem.problem }) }
  }
}

/** Text a person means as JSON when the type is `auto`: it opens an object, an array or a string. */
export function looksLikeJson(text: string): boolean {
  return /^\s*[[{"]/.test(text)
}

/** Which JSON check a field's text gets: always (JSON format or type), only when it looks like JSON (auto), none. */
export type JsonCheck = 'json' | 'auto' | 'none'

/** The JSON check of a Socket.IO argument's type. */
export function jsonCheckOf(type: ArgumentType): JsonCheck {
  return type === 'json' ? 'json' : type === 'auto' ? 'auto' : 'none'
}

/** Variables in a draft: not after a backslash, one line, no braces inside. */
const VARIABLE = /(?<!\\)\{\{[^{}\n]*\}\}/g

/**
 * Variables (`{{name}}`, src/sending/variables.ts) stand for values that Send puts in before the text is read as
 * JSON: while typing, each is checked as a `0` padded to its length, so `{"n": {{counter}}}` is not flagged and
 * every other position stays where it is. (`\{{` is a literal `{{` and stays.)
 */
function maskVariables(text: string): string {
  return text.includes('{{') ? text.replace(VARIABLE, variable => '0'.padEnd(variable.length, ' ')) : text
}

/**
 * The problem to flag in a field as the person types (the editor's lint marker, the line under the field): an
 * empty field is not flagged (Send says so), nor is text that `auto` sends as a string, nor a variable.
 */
export function jsonProblem(text: string, check: JsonCheck): JsonProblem | undefined {
  if (check === 'none' || text.trim() === '') return undefined
  if (check === 'auto' && !looksLikeJson(text)) return undefined
  const parsed = parseJson(maskVariables(text))
  if (parsed.ok) return undefined
  return parsed.problem ?? positionOf(text, 0, parsed.error)
}

/**
 * Pretty-printed JSON (two spaces), or undefined when the text is not JSON (the lint marker says why).
 * `{{variables}}` are kept as typed, wherever they stand (a value, a key, inside a string): each is swapped for a
 * number the text does not contain, which is valid JSON in every one of those places and printed back digit for
 * digit, then swapped back.
 */
export function formatJson(text: string): string | undefined {
  const variables = text.includes('{{') ? text.match(VARIABLE) ?? [] : []
  let prefix = 1_000_003
  for (let tries = 0; variables.length && text.includes(String(prefix)); tries++) {
    if (tries === 64) return undefined
    prefix += 7919
  }
  const sentinel = (i: number) => `${prefix}${String(i).padStart(6, '0')}`
  let n = 0
  const parsed = parseJson(variables.length ? text.replace(VARIABLE, () => sentinel(n++)) : text)
  if (!parsed.ok) return undefined
  let pretty: string
  try {
    pretty = JSON.stringify(parsed.value, null, 2)
  }
  catch {
    // Nesting deeper than the engine's stack: leave the text as it is.
    return undefined
  }
  return variables.length ? pretty.replace(new RegExp(`${prefix}(\\d{6})`, 'g'), (whole, i: string) => variables[Number(i)] ?? whole) : pretty
}

/**
 * Bytes from what a person typed: hex (`48 65 6c 6c 6f`, `0x48,0x65`, or `base64:SGVsbG8=` in hex mode), or base64
 * (`SGVsbG8=`; a `base64:` prefix is allowed). Hex is the default because that is what a hex dump shows and people
 * copy back.
 */
export function parseBinary(text: string, input: 'hex' | 'base64' = 'hex'): { ok: true, value: Uint8Array } | { ok: false, error: MessageRef } {
  const trimmed = text.trim()
  const prefixed = trimmed.toLowerCase().startsWith('base64:')
  if (input === 'base64' || prefixed) {
    const b64 = (prefixed ? trimmed.slice(7) : trimmed).replace(/\s+/g, '')
    if (!/^[A-Z0-9+/]*={0,2}$/i.test(b64) || b64.length % 4 === 1)
      return { ok: false, error: message('composer.errors.badBase64') }
    const raw = atob(b64)
    const bytes = new Uint8Array(raw.length)
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
    return { ok: true, value: bytes }
  }
  const hex = trimmed.replace(/0x/gi, '').replace(/[\s,:]+/g, '')
  if (!/^[0-9a-f]*$/i.test(hex))
    return { ok: false, error: message('composer.errors.notHex') }
  if (hex.length % 2 !== 0) return { ok: false, error: message('composer.errors.oddHex') }
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return { ok: true, value: bytes }
}

/** A file's size checked before its bytes are read: over MAX_BINARY_BYTES is refused. */
export function fileTooBig(size: number): boolean {
  return size > MAX_BINARY_BYTES
}

/** The bytes a binary field sends: typed (hex or base64; empty is refused) or the chosen file. */
export function binaryOf(text: string, input: BinaryInput = 'hex', file?: AttachedFile): { ok: true, value: Uint8Array } | { ok: false, error: MessageRef } {
  if (input === 'file') {
    if (!file) return { ok: false, error: message('composer.errors.noFile') }
    if (fileTooBig(file.size)) return { ok: false, error: message('composer.errors.fileTooBig', { name: file.name }) }
    return { ok: true, value: file.bytes }
  }
  if (text.trim() === '') return { ok: false, error: message('composer.errors.emptyBinary') }
  const parsed = parseBinary(text, input)
  if (parsed.ok && parsed.value.byteLength > MAX_BINARY_BYTES) return { ok: false, error: message('composer.errors.binaryTooBig') }
  return parsed
}

/**
 * One Socket.IO argument from the composer. With type `auto`, text that parses as JSON is sent as that JSON
 * value (an object stays an object, `42` is a number) and other text as a string — the contract in
 * docs/architecture.md — but text that looks like JSON (it opens with `{`, `[` or `"`) and does not parse is
 * refused with the parser's position, never sent as a string by accident: type `string` sends it as written.
 * `json` requires valid JSON. Empty text is refused unless the type says what it means (`string`: "", `null`).
 */
export function parseArgument(draft: ArgumentDraft): ParsedValue {
  const { text, type } = draft
  switch (type) {
    case 'string':
      return { ok: true, value: text }
    case 'null':
      return { ok: true, value: null }
    case 'boolean': {
      const t = text.trim().toLowerCase()
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' }
      return { ok: false, error: message('composer.errors.notBoolean', { text }) }
    }
    case 'number': {
      const n = Number(text.trim())
      if (text.trim() === '' || !Number.isFinite(n)) return { ok: false, error: message('composer.errors.notNumber', { text }) }
      return { ok: true, value: n }
    }
    case 'binary':
      return binaryOf(text, draft.binaryInput, draft.file)
    case 'json':
      if (text.trim() === '') return { ok: false, error: message('composer.errors.emptyJson') }
      return parseJson(text)
    case 'auto':
    default: {
      const trimmed = text.trim()
      if (trimmed === '') return { ok: false, error: message('composer.errors.emptyArgument') }
      const parsed = parseJson(trimmed)
      if (parsed.ok) return parsed
      // Positions count in the text as written (leading lines included), as the editor's marker does.
      if (looksLikeJson(trimmed)) {
        const asWritten = parseJson(text)
        return { ok: false, error: message('composer.errors.looksLikeJson', { problem: asWritten.ok ? parsed.error : asWritten.error }) }
      }
      return { ok: true, value: text }
    }
  }
}

/** Parse every argument; the first failure is reported with its position. */
export function parseArguments(drafts: ArgumentDraft[]): { ok: true, value: unknown[] } | { ok: false, error: MessageRef } {
  const values: unknown[] = []
  for (const [index, draft] of drafts.entries()) {
    const parsed = parseArgument(draft)
    if (!parsed.ok) return { ok: false, error: message('composer.errors.inArgument', { n: index + 1, problem: parsed.error }) }
    values.push(parsed.value)
  }
  return { ok: true, value: values }
}

/**
 * A raw WebSocket payload in the chosen format; JSON is validated and sent as compact text. An empty Message (the
 * placeholder is not content) is refused: nothing is sent by accident.
 */
export function parseFramePayload(text: string, format: PayloadFormat, input: BinaryInput = 'hex', file?: AttachedFile):
  { ok: true, kind: 'text', text: string } | { ok: true, kind: 'binary', data: Uint8Array } | { ok: false, error: MessageRef } {
  if (format === 'binary') {
    const bytes = binaryOf(text, input, file)
    return bytes.ok ? { ok: true, kind: 'binary', data: bytes.value } : bytes
  }
  if (format === 'json') {
    if (text.trim() === '') return { ok: false, error: message('composer.errors.empty') }
    const parsed = parseJson(text)
    return parsed.ok ? { ok: true, kind: 'text', text: JSON.stringify(parsed.value) } : { ok: false, error: parsed.error }
  }
  if (text === '') return { ok: false, error: message('composer.errors.empty') }
  return { ok: true, kind: 'text', text }
}

/** True when a Socket.IO draft's Message means "no arguments": empty, with type `auto`, and no further arguments. */
export function sendsNoArguments(composer: ComposerState): boolean {
  return composer.firstArgType === 'auto' && composer.message.trim() === '' && composer.extraArgs.length === 0
}

/**
 * The message the composer's draft makes for a session of this type: a raw WebSocket frame in the chosen format, or
 * a Socket.IO event with its arguments, ack, flags and namespace. A problem is a message naming it. For Socket.IO an
 * empty Message with type `auto` and no further arguments is an event without arguments (legitimate, and the hint
 * says so); with further arguments it is refused, since argument 1 cannot be skipped.
 */
export function composedMessage(type: 'ws' | 'socketio', composer: ComposerState): { ok: true, message: OutgoingMessage } | { ok: false, error: MessageRef } {
  if (type === 'ws') {
    const payload = parseFramePayload(composer.message, composer.format, composer.binaryInput, composer.file)
    if (!payload.ok) return payload
    return { ok: true, message: payload.kind === 'text' ? { kind: 'text', text: payload.text } : { kind: 'binary', data: payload.data } }
  }
  const name = composer.eventName.trim()
  if (!name) return { ok: false, error: message('composer.errors.noEventName') }
  const first: ArgumentDraft = { text: composer.message, type: composer.firstArgType, binaryInput: composer.binaryInput, file: composer.file }
  const args = sendsNoArguments(composer) ? { ok: true as const, value: [] } : parseArguments([first, ...composer.extraArgs])
  if (!args.ok) return args
  return {
    ok: true,
    message: {
      kind: 'event',
      name,
      args: args.value,
      ack: composer.expectAck,
      timeoutMs: composer.ackTimeoutMs,
      volatile: composer.volatile,
      compress: composer.compress,
      namespace: composer.namespace || undefined,
    },
  }
}

/**
 * An ack's arguments (server data) for the composer's result line: compact JSON of any depth, binary as its size,
 * and never more than the line shows (jsonText writes without recursion and stops at its budget).
 */
export function ackPreview(value: unknown): string {
  const written = jsonText(value, {
    maxChars: ACK_PREVIEW_CHARS,
    replace: v => (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) ? `<binary ${(v as ArrayBuffer).byteLength} bytes>` : v,
  })
  return written.complete ? written.text : `${written.text}…`
}

const ACK_PREVIEW_CHARS = 2000

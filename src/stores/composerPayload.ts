import type { OutgoingMessage } from '@/protocol/types'
import { jsonText } from '@/protocol/codec/jsonText'
import type { ArgumentDraft, ComposerState } from './session'
import { message, type MessageRef } from '@/protocol/message'

/**
 * What the composers hold, read into what a driver sends; each problem is a message (src/i18n, composer.errors)
 * the composer shows in the person's language.
 */
export type ParsedValue = { ok: true, value: unknown } | { ok: false, error: MessageRef }

/**
 * Bytes from what a person typed: hex (`48 65 6c 6c 6f`, `0x48,0x65`) or `base64:SGVsbG8=`.
 * Hex is the default because that is what a hex dump shows and people copy back.
 */
export function parseBinary(text: string): { ok: true, value: Uint8Array } | { ok: false, error: MessageRef } {
  const trimmed = text.trim()
  if (trimmed.toLowerCase().startsWith('base64:')) {
    const b64 = trimmed.slice(7).replace(/\s+/g, '')
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

/**
 * One Socket.IO argument from the composer. With type `auto`, text that parses as JSON is sent as that JSON
 * value (an object stays an object, `42` is a number) and anything else as a string: the contract in
 * docs/architecture.md. The other types force the value's type and say when the text does not fit.
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
      return parseBinary(text)
    case 'auto':
    default: {
      const trimmed = text.trim()
      if (trimmed === '') return { ok: true, value: text }
      try {
        return { ok: true, value: JSON.parse(trimmed) as unknown }
      }
      catch {
        return { ok: true, value: text }
      }
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

/** A raw WebSocket payload in the chosen format; JSON is validated and sent as compact text. */
export function parseFramePayload(text: string, format: 'text' | 'json' | 'binary'):
  { ok: true, kind: 'text', text: string } | { ok: true, kind: 'binary', data: Uint8Array } | { ok: false, error: MessageRef } {
  if (format === 'binary') {
    const bytes = parseBinary(text)
    return bytes.ok ? { ok: true, kind: 'binary', data: bytes.value } : bytes
  }
  if (format === 'json') {
    try {
      return { ok: true, kind: 'text', text: JSON.stringify(JSON.parse(text)) }
    }
    catch (error) {
      return { ok: false, error: message('composer.errors.notJson', { detail: (error as Error).message }) }
    }
  }
  return { ok: true, kind: 'text', text }
}

/**
 * The message the composer's draft makes for a session of this type: a raw WebSocket frame in the chosen format, or
 * a Socket.IO event with its arguments, ack, flags and namespace. A problem is a message naming it.
 */
export function composedMessage(type: 'ws' | 'socketio', composer: ComposerState): { ok: true, message: OutgoingMessage } | { ok: false, error: MessageRef } {
  if (type === 'ws') {
    const payload = parseFramePayload(composer.message, composer.format)
    if (!payload.ok) return payload
    return { ok: true, message: payload.kind === 'text' ? { kind: 'text', text: payload.text } : { kind: 'binary', data: payload.data } }
  }
  const name = composer.eventName.trim()
  if (!name) return { ok: false, error: message('composer.errors.noEventName') }
  const args = parseArguments([{ text: composer.message, type: composer.firstArgType }, ...composer.extraArgs])
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

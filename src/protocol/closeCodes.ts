/**
 * Plain-language meanings of WebSocket close codes.
 *
 * Sources: RFC 6455 §7.4.1 (defined codes), §7.4.2 (ranges), the IANA "WebSocket Close Code Number" registry
 * (1012–1015 and the 3000–3999 range) and PROTOCOL.md (what a browser reports in practice: 1006 for every
 * handshake failure, including TLS, never 1015).
 */

import { message, NOTHING, type MessageRef } from './message'

export interface CloseCodeInfo {
  /** Short name, e.g. "Normal closure" (`protocol.closeCode.<code>.name`). */
  name: MessageRef
  /** One or two sentences a person can act on (`protocol.closeCode.<code>.meaning`). */
  meaning: MessageRef
}

/** Codes with a message of their own: RFC 6455 §7.4.1, the IANA registry's 1012–1015 and its known 3000s. */
const DEFINED = new Set([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 3000, 3003, 3008])

/** The words for a code: its own, or its range's (`protocol.closeCode.<range>.*`, filled with the code). */
function info(id: string, code?: number): CloseCodeInfo {
  const params = code === undefined ? undefined : { code }
  return { name: message(`protocol.closeCode.${id}.name`, params), meaning: message(`protocol.closeCode.${id}.meaning`, params) }
}

/** Name and meaning of a close code, including the ranges of RFC 6455 §7.4.2. */
export function closeCodeInfo(code: number): CloseCodeInfo {
  if (DEFINED.has(code)) return info(String(code))
  if (!Number.isInteger(code) || code < 0 || code > 4999) return info('invalid', code)
  if (code < 1000) return info('unused', code)
  if (code < 3000) return info('reserved', code)
  if (code < 4000) return info('registered', code)
  return info('application', code)
}

/**
 * One sentence for the timeline: "1000 Normal closure: …", followed by the reason when the server gave one.
 * The reason is untrusted server text, a parameter, and is only ever rendered as text.
 */
export function explainCloseCode(code: number, reason = ''): MessageRef {
  const { name, meaning } = closeCodeInfo(code)
  return message('protocol.closeCode.explain', {
    code, name, meaning, said: reason ? message('protocol.closeCode.reasonGiven', { reason }) : NOTHING,
  })
}

/**
 * Engine.IO protocol 3 framing of HTTP long-polling bodies (Socket.IO v2 servers), split into the raw packets the
 * timeline shows one frame each. Engine.IO 4 separates packets with `\x1e`; Engine.IO 3 prefixes each with its
 * length instead (https://github.com/socketio/engine.io-protocol/tree/v3#payload):
 *
 * - text body: `<length>:<packet>` repeated, the length counted in UTF-16 code units (engine.io-parser 2 uses
 *   `String.length` on both ends), for example `96:0{"sid":...}2:40`;
 * - binary body (XHR2 clients, `application/octet-stream`): per packet one byte 0 (text) or 1 (binary), the length
 *   as one byte per decimal digit, the byte 255, then the packet: UTF-8 text, or bytes starting with the packet type.
 *
 * Both return undefined for a body that does not follow the framing (the caller then keeps it whole).
 */

const COLON = 58

/** Split a text polling body into its packets. */
export function splitEngineIo3Payload(body: string): string[] | undefined {
  const packets: string[] = []
  let i = 0
  while (i < body.length) {
    let length = 0
    let digits = 0
    let c = body.charCodeAt(i)
    while (c >= 48 && c <= 57 && digits < 16) {
      length = length * 10 + (c - 48)
      digits++
      c = body.charCodeAt(++i)
    }
    if (digits === 0 || c !== COLON || i + 1 + length > body.length) return undefined
    packets.push(body.slice(i + 1, i + 1 + length))
    i += 1 + length
  }
  return packets.length > 0 ? packets : undefined
}

let utf8: TextDecoder | undefined

/** Split a binary polling body into its packets: text packets as strings, binary ones as ArrayBuffers (type byte first). */
export function splitEngineIo3BinaryPayload(body: ArrayBuffer): (string | ArrayBuffer)[] | undefined {
  const bytes = new Uint8Array(body)
  const packets: (string | ArrayBuffer)[] = []
  let i = 0
  while (i < bytes.length) {
    const kind = bytes[i++]
    if (kind !== 0 && kind !== 1) return undefined
    let length = 0
    let digits = 0
    while (i < bytes.length && bytes[i] !== 255) {
      const digit = bytes[i++] as number
      if (digit > 9 || ++digits > 16) return undefined
      length = length * 10 + digit
    }
    if (digits === 0 || i >= bytes.length || i + 1 + length > bytes.length) return undefined
    const start = i + 1
    const end = start + length
    if (kind === 0) {
      utf8 ??= new TextDecoder()
      packets.push(utf8.decode(bytes.subarray(start, end)))
    }
    else {
      packets.push(body.slice(start, end))
    }
    i = end
  }
  return packets.length > 0 ? packets : undefined
}

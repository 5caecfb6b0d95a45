import { decodePacket } from 'engine.io-parser'
import type { Packet } from 'engine.io-parser'

/**
 * Engine.IO frame labels, read with the official `engine.io-parser` (Engine.IO protocol v4:
 * https://socket.io/docs/v4/engine-io-protocol/). Used lazily (detail views, imported logs, tests): the drivers'
 * per-frame code only compares a character or two and leaves the full decode to these helpers.
 */

/** Packets in an HTTP long-polling body are separated by the record separator (Engine.IO v4 §"HTTP long-polling"). */
export const POLLING_SEPARATOR = '\x1e'

export type EngineIoPacketType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop' | 'error'

export interface EngineIoFrame {
  type: EngineIoPacketType
  /** `2probe` / `3probe`: the ping/pong pair that tests a WebSocket before the upgrade. */
  probe: boolean
  /** A binary message (WebSocket binary frame, or `b` + base64 inside a polling body). */
  binary: boolean
  /** The packet body without its type character: text, or the bytes of a binary message. */
  body?: string | ArrayBuffer
}

/** Decode one raw Engine.IO packet (a WebSocket frame, or one packet of a polling body). */
export function describeEngineIoFrame(frame: string | ArrayBuffer): EngineIoFrame {
  const packet: Packet = decodePacket(frame, 'arraybuffer')
  const binary = typeof frame !== 'string' || frame.charCodeAt(0) === 98 /* b */
  const body = packet.data as string | ArrayBuffer | undefined
  return {
    type: packet.type as EngineIoPacketType,
    probe: body === 'probe' && (packet.type === 'ping' || packet.type === 'pong'),
    binary,
    body,
  }
}

/** Split a polling body into its raw packets (one timeline frame each). */
export function splitPollingBody(body: string): string[] {
  return body.split(POLLING_SEPARATOR)
}

/**
 * Engine.IO v3 (Socket.IO v2 servers) frames polling bodies as `<length>:<packet>`, the first one being the open
 * packet `0{...}`; v4 uses separators and no lengths. Such a body is the surest sign of a v2 server.
 */
export function isEngineIo3PollingBody(body: string): boolean {
  return /^\d+:0\{/.test(body)
}

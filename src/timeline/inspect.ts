import type { ProtocolType, TimelineEvent } from '../protocol/types'
import { describeEngineIoFrame, decodeSocketIoPacket } from '../protocol/codec'
import { argsOf, isBinary, toBase64, tryDecodeUtf8 } from './payload'
import type { Timeline } from './timeline'

/** What the detail pane can show for one event. Computed only for the selected event. */
export interface EventInspection {
  /** A JSON value to show as a tree and as pretty text (parsed payload, Socket.IO args, decoded packet data). */
  json?: { value: unknown }
  /** The payload as text (a string frame, or binary that is valid UTF-8). */
  text?: string
  /** Binary payload (frame data, or the first binary Socket.IO argument). */
  binary?: ArrayBuffer | ArrayBufferView
  /** The raw wire frame as received (text, or base64 for binary). */
  raw?: string
  /** The decoded Engine.IO / Socket.IO packet of a wire frame, one line per layer. */
  decoded?: string[]
}

function parseJsonText(text: string): { value: unknown } | undefined {
  const start = text.trimStart()[0]
  if (start !== '{' && start !== '[' && start !== '"') return undefined
  try {
    return { value: JSON.parse(text) }
  }
  catch {
    return undefined
  }
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * Decode one Socket.IO wire frame (the drivers record one frame per Engine.IO packet, polling batches split)
 * with the official parsers, through src/protocol/codec: the Engine.IO packet, and for a MESSAGE the
 * Socket.IO packet inside it (https://socket.io/docs/v4/engine-io-protocol/, .../socket-io-protocol/).
 */
export function decodeSocketIoFrame(data: string | ArrayBuffer, detail?: Record<string, unknown>): { lines: string[], json?: { value: unknown } } {
  if (detail?.label === 'attachment')
    return { lines: [`Binary attachment ${String(detail.attachment ?? '?')} of ${String(detail.of ?? '?')} of the preceding BINARY_EVENT / BINARY_ACK`] }
  let frame
  try {
    frame = describeEngineIoFrame(data)
  }
  catch (error) {
    return { lines: [`Not an Engine.IO packet (${(error as Error).message})`] }
  }
  const body = frame.body
  if (frame.type !== 'message' || typeof body !== 'string') {
    let line = `Engine.IO ${frame.type.toUpperCase()}${frame.probe ? ' (upgrade probe)' : ''}`
    if (typeof body === 'string' && body && !frame.probe) line += ` ${clip(body)}`
    else if (body instanceof ArrayBuffer) line += ` binary ${body.byteLength} B`
    const handshake = frame.type === 'open' && typeof body === 'string' ? parseJsonText(body) : undefined
    return handshake ? { lines: [line], json: handshake } : { lines: [line] }
  }
  const packet = decodeSocketIoPacket(body)
  if (!packet) return { lines: ['Engine.IO MESSAGE', `Not a Socket.IO packet: ${clip(body)}`] }
  let line = `Socket.IO ${packet.type} namespace ${packet.namespace}`
  if (packet.ackId !== undefined) line += ` ack id ${packet.ackId}`
  if (packet.attachments > 0) line += `, ${packet.attachments} binary attachment(s) follow`
  const lines = ['Engine.IO MESSAGE', line]
  return packet.data !== undefined ? { lines, json: { value: packet.data } } : { lines }
}

function firstBinary(value: unknown, depth = 0): ArrayBuffer | ArrayBufferView | undefined {
  if (isBinary(value)) return value
  if (depth > 4 || value === null || typeof value !== 'object') return undefined
  for (const item of Object.values(value)) {
    const found = firstBinary(item, depth + 1)
    if (found) return found
  }
  return undefined
}

export function inspectEvent(event: TimelineEvent, protocol: ProtocolType): EventInspection {
  const result: EventInspection = {}
  const data = event.data
  if (typeof data === 'string') {
    result.text = data
    result.raw = data
  }
  else if (data !== undefined) {
    result.binary = data
    result.raw = toBase64(data)
    const text = tryDecodeUtf8(data)
    if (text !== undefined && text.length > 0) result.text = text
  }
  const args = argsOf(event)
  if (args) {
    result.json = { value: args }
    result.binary ??= firstBinary(args)
  }
  else if (protocol === 'socketio' && event.layer === 'wire' && data !== undefined) {
    const decoded = decodeSocketIoFrame(data, event.detail)
    result.decoded = decoded.lines
    if (decoded.json) result.json = decoded.json
  }
  else if (result.text !== undefined) {
    const parsed = parseJsonText(result.text)
    if (parsed) result.json = parsed
  }
  return result
}

const ACK_KINDS = new Set(['ack', 'ack_timeout', 'ack_error'])
/** How far the partner search looks (events): an ack that late is not worth a frozen click. */
const PARTNER_SCAN_LIMIT = 200_000

/**
 * The other half of an acknowledgement: for an ack (or ack timeout) the event that asked for it, for an event
 * that asked (`ackId` set) its ack. Matched by ackId and namespace, nearest first.
 */
export function findAckPartner(timeline: Timeline, event: TimelineEvent): TimelineEvent | undefined {
  if (event.ackId === undefined) return undefined
  const index = timeline.indexOfSeq(event.seq)
  if (index < 0) return undefined
  const isAck = ACK_KINDS.has(event.kind)
  const step = isAck ? -1 : 1
  for (let i = index + step, n = 0; n < PARTNER_SCAN_LIMIT; i += step, n++) {
    const other = timeline.get(i)
    if (!other) return undefined
    if (other.ackId !== event.ackId || other.namespace !== event.namespace || other.layer !== event.layer) continue
    if (ACK_KINDS.has(other.kind) === isAck) continue
    // Client and server number their acks separately: an emit out is answered by an ack in (or a local
    // timeout), an event in that asked for an ack by an ack out.
    const asker = isAck ? other : event
    const answer = isAck ? event : other
    if (answer.dir === 'local' ? asker.dir === 'out' : answer.dir !== asker.dir) return other
  }
  return undefined
}

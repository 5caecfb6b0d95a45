import type { Packet as EnginePacket } from 'engine.io-parser'
import type { Packet as SocketPacket } from 'socket.io-parser'
import type { ProtocolType, TimelineEvent } from '../protocol/types'
import { decodePacket, decodePayload } from 'engine.io-parser'
import { Decoder, PacketType } from 'socket.io-parser'
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
  /** The decoded Engine.IO / Socket.IO packets of a wire frame, one line each. */
  decoded?: string[]
}

const SOCKET_TYPES: Record<number, string> = {
  [PacketType.CONNECT]: 'CONNECT',
  [PacketType.DISCONNECT]: 'DISCONNECT',
  [PacketType.EVENT]: 'EVENT',
  [PacketType.ACK]: 'ACK',
  [PacketType.CONNECT_ERROR]: 'CONNECT_ERROR',
  [PacketType.BINARY_EVENT]: 'BINARY_EVENT',
  [PacketType.BINARY_ACK]: 'BINARY_ACK',
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

/** Decode a Socket.IO packet string (the Engine.IO MESSAGE body), with the official parser. */
function decodeSocketPacket(text: string): SocketPacket | string {
  // Binary packets (5x/6x) wait for their attachments in the decoder: show the header only.
  const binaryHeader = /^([56])(\d+)-/.exec(text)
  if (binaryHeader) return `${SOCKET_TYPES[Number(binaryHeader[1])]} with ${binaryHeader[2]} binary attachment(s) in the following frame(s)`
  const decoder = new Decoder()
  let packet: SocketPacket | undefined
  decoder.on('decoded', (p: SocketPacket) => { packet = p })
  try {
    decoder.add(text)
  }
  catch (error) {
    return `not a Socket.IO packet (${(error as Error).message})`
  }
  finally {
    decoder.destroy()
  }
  return packet ?? 'incomplete Socket.IO packet'
}

function describeEnginePacket(packet: EnginePacket, out: string[], json: { value: unknown }[]): void {
  const body = packet.data
  if (packet.type !== 'message' || typeof body !== 'string') {
    let text = `Engine.IO ${packet.type.toUpperCase()}`
    if (typeof body === 'string' && body) text += ` ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`
    else if (isBinary(body)) text += ` binary ${body.byteLength} B`
    out.push(text)
    if (packet.type === 'open' && typeof body === 'string') {
      const handshake = parseJsonText(body)
      if (handshake) json.push(handshake)
    }
    return
  }
  const socket = decodeSocketPacket(body)
  if (typeof socket === 'string') {
    out.push(`Engine.IO MESSAGE → ${socket}`)
    return
  }
  let text = `Engine.IO MESSAGE → Socket.IO ${SOCKET_TYPES[socket.type] ?? socket.type} nsp=${socket.nsp}`
  if (socket.id !== undefined) text += ` id=${socket.id}`
  out.push(text)
  if (socket.data !== undefined) json.push({ value: socket.data })
}

/**
 * Decode a Socket.IO wire frame: Engine.IO packet(s) (a polling body may batch several, separated by \x1e),
 * each MESSAGE carrying a Socket.IO packet.
 */
export function decodeSocketIoFrame(data: string | ArrayBuffer, transport?: string): { lines: string[], json?: { value: unknown } } {
  const lines: string[] = []
  const json: { value: unknown }[] = []
  if (typeof data !== 'string') {
    lines.push(`binary attachment, ${data.byteLength} B (belongs to the preceding BINARY_EVENT/BINARY_ACK)`)
    return { lines }
  }
  const packets = transport === 'polling' || data.includes('\x1e') ? decodePayload(data, 'arraybuffer') : [decodePacket(data, 'arraybuffer')]
  for (const packet of packets) describeEnginePacket(packet, lines, json)
  if (json.length === 0) return { lines }
  return { lines, json: json.length === 1 ? json[0] : { value: json.map(j => j.value) } }
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
    const decoded = decodeSocketIoFrame(data, event.transport)
    result.decoded = decoded.lines
    if (decoded.json) result.json = decoded.json
  }
  else if (result.text !== undefined) {
    const parsed = parseJsonText(result.text)
    if (parsed) result.json = parsed
  }
  return result
}

const ACK_KINDS = new Set(['ack', 'ack_timeout'])
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

import type { ProtocolType, TimelineEvent } from '../protocol/types'
import type { EventKind, FrameDetail, FrameEvent } from '../protocol/events'
import { describeEngineIoFrame, decodeSocketIoPacket, readSocketIoHeader } from '../protocol/codec'
import { NESTING_LIMIT, nestsDeeperThan } from '../protocol/codec/jsonText'
import { message, NOTHING, type MessageRef } from '../protocol/message'
import { argsOf, DISPLAY_LIMIT, isBinary, toBase64, tryDecodeUtf8 } from './payload'
import type { Timeline } from './timeline'

/** What the detail pane can show for one event. Computed only for the selected event. */
export interface EventInspection {
  /**
   * A JSON value to show as a tree and as pretty text (parsed payload, Socket.IO args, decoded packet data);
   * `deep` when it nests deeper than NESTING_LIMIT (the views show the levels past it as text).
   */
  json?: { value: unknown, deep: boolean }
  /** The payload as text (a string frame, or binary that is valid UTF-8). */
  text?: string
  /** Binary payload (frame data, or the first binary Socket.IO argument). */
  binary?: ArrayBuffer | ArrayBufferView
  /** The raw wire frame as received (text, or base64 for binary: of at most DISPLAY_LIMIT characters). */
  raw?: string
  /** The binary `raw` was made from, when `raw` shows only its start: Copy encodes all of it. */
  rawBinary?: ArrayBuffer
  /** Seq of the wire frame `raw` comes from, when it is another event than the inspected one. */
  rawSeq?: number
  /**
   * The decoded Engine.IO / Socket.IO packet of a wire frame, one line per layer: messages
   * (`timeline.decoded.*`), the packet's own text a value in them.
   */
  decoded?: MessageRef[]
}

/**
 * Past this size a payload is not parsed as JSON or decoded as UTF-8 for the detail pane: a tree of megabytes helps
 * nobody and would freeze the click that selected it. Hex and the clipped text still show it.
 */
export const DECODE_LIMIT = 4 * 1024 * 1024

/** Base64 of at most the bytes that fit DISPLAY_LIMIT characters. */
function base64ForDisplay(data: ArrayBuffer): string {
  const bytes = Math.floor(DISPLAY_LIMIT / 4) * 3
  return toBase64(data.byteLength > bytes ? new Uint8Array(data, 0, bytes) : data)
}

/** A value for the tree, flagged when it is deeper than the views show as structure. */
function jsonView(value: unknown): { value: unknown, deep: boolean } {
  return { value, deep: nestsDeeperThan(value, NESTING_LIMIT) }
}

function parseJsonText(text: string): { value: unknown, deep: boolean } | undefined {
  if (text.length > DECODE_LIMIT) return undefined
  const start = text.trimStart()[0]
  if (start !== '{' && start !== '[' && start !== '"') return undefined
  try {
    // V8's JSON.parse does not recurse (since 7.6): a 10,000-level text parses; the views cope with the depth.
    return jsonView(JSON.parse(text))
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
export function decodeSocketIoFrame(data: string | ArrayBuffer, detail?: FrameDetail): { lines: MessageRef[], json?: { value: unknown, deep: boolean } } {
  if (detail?.label === 'attachment')
    return { lines: [message('timeline.decoded.attachment', { n: String(detail.attachment ?? '?'), of: String(detail.of ?? '?') })] }
  let frame
  try {
    frame = describeEngineIoFrame(data)
  }
  catch (error) {
    return { lines: [message('timeline.decoded.notEngineIo', { error: (error as Error).message })] }
  }
  const body = frame.body
  if (frame.type !== 'message' || typeof body !== 'string') {
    const rest = typeof body === 'string' && body && !frame.probe
      ? message('timeline.decoded.body', { body: clip(body) })
      : body instanceof ArrayBuffer ? message('timeline.decoded.binary', { bytes: body.byteLength }) : NOTHING
    const line = message('timeline.decoded.engineIo', {
      type: frame.type.toUpperCase(),
      probe: frame.probe ? message('timeline.decoded.probe') : NOTHING,
      rest,
    })
    const handshake = frame.type === 'open' && typeof body === 'string' ? parseJsonText(body) : undefined
    return handshake ? { lines: [line], json: handshake } : { lines: [line] }
  }
  // Past DECODE_LIMIT only the header is read: parsing megabytes of JSON on a click to label a frame is not worth it.
  const big = body.length > DECODE_LIMIT
  const packet = big ? readSocketIoHeader(body) : decodeSocketIoPacket(body)
  const engineMessage = message('timeline.decoded.engineIo', { type: 'MESSAGE', probe: NOTHING, rest: NOTHING })
  if (!packet) return { lines: [engineMessage, message('timeline.decoded.notSocketIo', { body: clip(body) })] }
  const line = message('timeline.decoded.socketIo', {
    type: packet.type,
    namespace: packet.namespace,
    ackId: packet.ackId !== undefined ? message('timeline.decoded.ackId', { id: String(packet.ackId) }) : NOTHING,
    attachments: packet.attachments > 0 ? message('timeline.decoded.attachments', { count: packet.attachments }) : NOTHING,
    notDecoded: big ? message('timeline.decoded.notDecoded', { count: body.length }) : NOTHING,
  })
  const lines = [engineMessage, line]
  return packet.data !== undefined ? { lines, json: jsonView(packet.data) } : { lines }
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

/**
 * The wire frame that carried a Socket.IO packet or application event. The driver records an incoming message as
 * frame → packet → event and an outgoing one as emit → packet → frame, so the frame is a few events before (in) or
 * after (out), in the same direction, an Engine.IO MESSAGE (`4…`).
 */
export function findWireFrame(timeline: Timeline, event: TimelineEvent): FrameEvent | undefined {
  if ((event.layer !== 'app' && event.layer !== 'socketio') || event.dir === 'local') return undefined
  const index = timeline.indexOfSeq(event.seq)
  if (index < 0) return undefined
  const step = event.dir === 'in' ? -1 : 1
  for (let i = index + step, n = 0; n < 6; i += step, n++) {
    const other = timeline.get(i)
    if (!other) return undefined
    if (other.layer === 'wire' && other.kind === 'frame' && other.dir === event.dir && typeof other.data === 'string' && other.data.startsWith('4'))
      return other
  }
  return undefined
}

/** What the detail pane shows for `event`; `wire` is the frame that carried it (see `findWireFrame`), if known. */
export function inspectEvent(event: TimelineEvent, protocol: ProtocolType, wire?: FrameEvent): EventInspection {
  const result: EventInspection = {}
  const data = event.data
  if (typeof data === 'string') {
    result.text = data
    result.raw = data
  }
  else if (data !== undefined) {
    result.binary = data
    result.raw = base64ForDisplay(data)
    if (result.raw.length * 3 / 4 < data.byteLength) result.rawBinary = data
    const text = data.byteLength <= DECODE_LIMIT ? tryDecodeUtf8(data) : undefined
    if (text !== undefined && text.length > 0) result.text = text
  }
  const args = argsOf(event)
  if (args) {
    result.json = jsonView(args)
    result.binary ??= firstBinary(args)
  }
  else if (protocol === 'socketio' && event.layer === 'wire' && event.kind === 'frame') {
    const decoded = decodeSocketIoFrame(event.data, event.detail)
    result.decoded = decoded.lines
    if (decoded.json) result.json = decoded.json
  }
  else if (result.text !== undefined) {
    const parsed = parseJsonText(result.text)
    if (parsed) result.json = parsed
  }
  if (wire && result.raw === undefined) {
    result.raw = typeof wire.data === 'string' ? wire.data : base64ForDisplay(wire.data)
    if (typeof wire.data !== 'string' && result.raw.length * 3 / 4 < wire.data.byteLength) result.rawBinary = wire.data
    result.rawSeq = wire.seq
    result.decoded = decodeSocketIoFrame(wire.data, wire.detail).lines
  }
  return result
}

const ACK_KINDS: ReadonlySet<string> = new Set<EventKind>(['ack', 'ack_timeout', 'ack_error'])
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

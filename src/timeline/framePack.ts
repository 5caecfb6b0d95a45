/**
 * Plain wire frames, Socket.IO packet events and application events in the form the timeline keeps them
 * (./timeline.ts): which events qualify (`compactMeta` for frames, `compactPacket` for packets, `compactAppText` for
 * application events), and a `FramePack`, a run of such events as typed arrays and UTF-8 bytes, which the driver
 * Worker hands the page instead of one cloned object per event. The page's `Timeline.appendPack` copies the bytes
 * into its arena without ever making a string or an object, so a flood costs the UI thread a few array writes per
 * event. An application event's arguments travel as their JSON text, and are parsed only when the event is read.
 *
 * A finished pack is ONE ArrayBuffer, its columns laid out in it aligned for their types (the three Float64 columns
 * first, at offsets that are multiples of 8, then the Uint32 lengths and name references, then meta, then the payload
 * bytes), so a batch transfers one buffer per pack rather than eight. The buffer may be larger than the pack (one
 * the page gave back for reuse: `finish(buffer)`); the columns say where the pack ends. A packet slot has no payload
 * bytes: its name and namespace are indexes into the pack's `names`, a small array of the distinct strings (a flood
 * has one or two), which the structured clone copies beside the buffer. The builder is reused: `finish()` copies into
 * that buffer and resets it, keeping its grown scratch arrays for the next pack.
 */
import type { AppEventEvent, FrameEvent, PacketEvent } from '../protocol/events'
import type { TimelineEvent, TransportName } from '../protocol/types'
import { copyAscii, MAX_ARENA_UNITS, roundTripsUtf8 } from './payloadArena'

// A compact frame's `meta` byte (0 is never one).
export const COMPACT = 1
export const OUT = 2
export const BINARY = 4
const TRANSPORT_SHIFT = 3
const TRANSPORT_MASK = 3
/** Text that is all ASCII: its bytes are its code units, so a run of such frames decodes in one call. */
export const ASCII = 32
/**
 * A compact slot holding a Socket.IO packet event (no payload: the timeline keeps its name and namespace as indexes
 * into a table of names, its ack id in the size column).
 */
export const PACKET = 64
/**
 * A compact slot holding a Socket.IO application event received (layer 'app', kind 'event'): its arguments as their
 * JSON text in the payload bytes (ASCII set when the text is), parsed again when the event is read; its name and
 * namespace as a packet's are.
 */
export const APP = 128
/** An APP slot's event asked for an ack (`detail.ackRequested`): the first transport bit, unused by an APP slot. */
export const ASKS_ACK = 1 << 3
/** The slots that are not wire frames. */
export const NOT_FRAME = PACKET | APP
/** Most values (arguments, their items and fields) of a compact application event; more keep it an object. */
const MAX_APP_VALUES = 512
/** Deepest nesting of a compact application event's arguments; deeper keeps it an object (see cloneable.ts). */
const MAX_APP_DEPTH = 32
/** Longest JSON text of a compact application event's arguments (code units); longer keeps it an object. */
export const MAX_APP_TEXT = 64 * 1024
const TRANSPORTS: readonly TransportName[] = ['websocket', 'polling', 'webtransport']

export function transportOf(meta: number): TransportName {
  return TRANSPORTS[(meta >> TRANSPORT_SHIFT) & TRANSPORT_MASK]!
}

function transportCode(transport: TransportName | undefined): number {
  return transport === 'websocket' ? 0 : transport === 'polling' ? 1 : transport === 'webtransport' ? 2 : -1
}

/** None of the fields a compact slot has no column for: a round trip, an attempt, a delay, a code, a reason, words. */
function noOtherFields(event: TimelineEvent): boolean {
  return event.rttMs === undefined && event.attempt === undefined && event.delayMs === undefined && event.code === undefined
    && event.reason === undefined && event.explain === undefined
}

/**
 * The `meta` byte `event` is kept compact with (without ASCII, which the copy finds out), or -1: only a plain wire
 * frame (in or out, a known transport, a number for its size, no detail or other field) whose payload is binary or
 * text that survives UTF-8, and not longer than MAX_ARENA_UNITS. Anything else it may carry keeps it an object, so
 * nothing is lost.
 */
export function compactMeta(event: TimelineEvent): number {
  if (event.layer !== 'wire' || event.kind !== 'frame' || event.detail !== undefined) return -1
  if (event.name !== undefined || event.namespace !== undefined || event.ackId !== undefined || !noOtherFields(event)) return -1
  const transport = transportCode(event.transport)
  if (transport < 0 || typeof event.size !== 'number' || (event.dir !== 'in' && event.dir !== 'out')) return -1
  const meta = COMPACT | (event.dir === 'out' ? OUT : 0) | transport << TRANSPORT_SHIFT
  const data = event.data
  if (typeof data === 'string') return payloadFits(data) ? meta : -1
  if (data instanceof ArrayBuffer) return payloadFits(data) ? meta | BINARY : -1
  return -1
}

/** Whether a frame's payload fits a compact slot: binary, or text that survives UTF-8; at most MAX_ARENA_UNITS. */
export function payloadFits(data: string | ArrayBuffer): boolean {
  return typeof data === 'string' ? data.length <= MAX_ARENA_UNITS && roundTripsUtf8(data) : data.byteLength <= MAX_ARENA_UNITS
}

/**
 * Whether `event` is a Socket.IO packet event that a compact slot can hold whole: a name and a namespace, maybe a
 * finite ack id, nothing else (a CONNECT's data or a binary packet's attachments are a detail: an object).
 */
export function compactPacket(event: TimelineEvent): event is PacketEvent {
  return event.layer === 'socketio' && event.kind === 'packet' && event.detail === undefined
    && (event.dir === 'in' || event.dir === 'out') && typeof event.name === 'string' && typeof event.namespace === 'string'
    && (event.ackId === undefined || Number.isFinite(event.ackId))
    && event.data === undefined && event.size === undefined && event.transport === undefined && noOtherFields(event)
}

/**
 * The JSON text of the arguments of `event` when it is a Socket.IO application event received that a compact slot can
 * hold whole, or undefined: a name, a namespace, `detail` with `args` (and `ackRequested: true`), nothing else, and
 * arguments that `JSON.parse` gives back exactly from that text (`jsonExact`). Events from the default parser always
 * qualify unless large; an argument of another kind (binary, a date, `undefined`, -0, NaN: msgpack has them) keeps
 * the event an object, so nothing is lost.
 */
export function compactAppText(event: TimelineEvent): string | undefined {
  if (event.layer !== 'app' || event.kind !== 'event' || event.dir !== 'in') return undefined
  if (typeof event.name !== 'string' || typeof event.namespace !== 'string' || event.data !== undefined
    || event.size !== undefined || event.transport !== undefined || event.ackId !== undefined || !noOtherFields(event)) return undefined
  const detail = event.detail as { args?: unknown, ackRequested?: unknown } | undefined
  if (detail === undefined || detail === null) return undefined
  for (const key in detail) {
    if (key !== 'args' && key !== 'ackRequested') return undefined
  }
  if (detail.ackRequested !== undefined && detail.ackRequested !== true) return undefined
  const args = detail.args
  if (!Array.isArray(args) || !jsonExact(args)) return undefined
  const text = JSON.stringify(args)
  return text.length <= MAX_APP_TEXT ? text : undefined
}

/**
 * Whether `JSON.parse(JSON.stringify(root))` is a copy of `root` equal to it in every respect a reader can see:
 * plain objects and arrays (no holes), strings, booleans, null, finite numbers other than -0, at most MAX_APP_VALUES
 * values and MAX_APP_DEPTH levels. Iterative: a server decides how its arguments nest.
 */
function jsonExact(root: unknown[]): boolean {
  const stack: unknown[] = [root]
  const depths: number[] = [0]
  let values = 0
  while (stack.length > 0) {
    const value = stack.pop()
    const depth = depths.pop()!
    if (++values > MAX_APP_VALUES) return false
    switch (typeof value) {
      case 'string':
      case 'boolean':
        continue
      case 'number':
        if (!Number.isFinite(value) || Object.is(value, -0)) return false
        continue
      case 'object': {
        if (value === null) continue
        if (depth >= MAX_APP_DEPTH) return false
        if (Array.isArray(value)) {
          if (Object.getPrototypeOf(value) !== Array.prototype) return false
          // A hole reads as undefined, which fails below.
          for (let i = 0; i < value.length; i++) {
            stack.push(value[i])
            depths.push(depth + 1)
          }
          continue
        }
        if (Object.getPrototypeOf(value) !== Object.prototype) return false
        for (const key in value) {
          stack.push((value as Record<string, unknown>)[key])
          depths.push(depth + 1)
        }
        continue
      }
      default:
        return false
    }
  }
  return true
}

/**
 * `n` events (plain frames, packet events, application events): their fields in columns, the frames' payloads and the
 * application events' argument texts end to end in `bytes` (plain data, transferable). A slot whose meta has PACKET
 * is a packet event: its ack id in `sizes` (NaN: none), no bytes, its name and namespace in `nameRefs` and
 * `namespaceRefs` (indexes into `names`). A slot whose meta has APP is an application event: its arguments' JSON text
 * in `bytes`, its name and namespace as a packet's, NaN in `sizes`.
 */
export interface FramePack {
  n: number
  times: Float64Array
  /** A frame's wire size; a packet's ack id (NaN: none); NaN for an application event. */
  sizes: Float64Array
  /** `payloadBytes` of each event (UTF-16 for text; 0 for a packet), for the timeline's byte budget. */
  held: Float64Array
  meta: Uint8Array
  /** Each payload's length in `bytes` (UTF-8 for text and an application event's arguments; 0 for a packet). */
  lengths: Uint32Array
  /** A packet's or application event's name, as an index into `names` (0 for a frame). */
  nameRefs: Uint32Array
  /** A packet's or application event's namespace, as an index into `names` (0 for a frame). */
  namespaceRefs: Uint32Array
  bytes: Uint8Array
  /** The packets' and application events' names and namespaces, each once. */
  names: string[]
}

/** Where a reader of a pack is: the next frame, and where its bytes start. */
export interface PackCursor {
  pack: FramePack
  index: number
  offset: number
}

export function packCursor(pack: FramePack): PackCursor {
  return { pack, index: 0, offset: 0 }
}

/**
 * The buffers a pack owns, to transfer rather than copy: each once (a built pack's columns share one buffer; a pack
 * made otherwise may have several, or views sharing some).
 */
export function packTransfer(pack: FramePack): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = []
  for (const column of [pack.times, pack.sizes, pack.held, pack.meta, pack.lengths, pack.nameRefs, pack.namespaceRefs, pack.bytes]) {
    const buffer = column.buffer as ArrayBuffer
    if (!buffers.includes(buffer)) buffers.push(buffer)
  }
  return buffers
}

const encoder = new TextEncoder()
// ignoreBOM: a frame that starts with U+FEFF keeps it (the default decoder drops a leading BOM).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

/** An application event's arguments from their packed JSON text (UTF-8, as `compactAppText` wrote it). */
export function parseArgs(bytes: Uint8Array): unknown[] {
  return JSON.parse(decoder.decode(bytes)) as unknown[]
}

/** An event a pack's slot can hold. */
export type PackedEvent = FrameEvent | PacketEvent | AppEventEvent

/**
 * The next `count` events of a pack (frames, packet events, application events) as the objects they were, for a sink
 * that takes events one by one (the cursor moves on).
 */
export function unpackEvents(cursor: PackCursor, count: number): PackedEvent[] {
  const { pack } = cursor
  const events: PackedEvent[] = []
  for (let n = 0; n < count; n++) {
    const i = cursor.index++
    const meta = pack.meta[i]!
    const bytes = pack.bytes.subarray(cursor.offset, cursor.offset += pack.lengths[i]!)
    if (!(meta & NOT_FRAME)) {
      events.push(frameEvent(meta, 0, pack.times[i]!, pack.sizes[i]!, meta & BINARY ? bytes.slice().buffer : decoder.decode(bytes)))
      continue
    }
    const name = pack.names[pack.nameRefs[i]!]!
    const namespace = pack.names[pack.namespaceRefs[i]!]!
    if (meta & PACKET) events.push(packetEvent(meta, 0, pack.times[i]!, name, namespace, pack.sizes[i]!))
    else events.push(appEvent(meta, 0, pack.times[i]!, name, namespace, parseArgs(bytes)))
  }
  return events
}

/** The frame a compact `meta` byte and its fields stand for, in the key order the drivers write. */
export function frameEvent(meta: number, seq: number, time: number, size: number, data: string | ArrayBuffer): FrameEvent {
  return { seq, time, layer: 'wire', kind: 'frame', dir: meta & OUT ? 'out' : 'in', transport: transportOf(meta), size, data }
}

/**
 * The packet event a compact PACKET `meta` byte and its fields stand for (`ackId`: NaN for none, which leaves the key
 * out), in the key order the timeline gives it back.
 */
export function packetEvent(meta: number, seq: number, time: number, name: string, namespace: string, ackId: number): PacketEvent {
  const event: PacketEvent = { seq, time, layer: 'socketio', kind: 'packet', dir: meta & OUT ? 'out' : 'in', name, namespace }
  if (!Number.isNaN(ackId)) event.ackId = ackId
  return event
}

/**
 * The application event a compact APP `meta` byte and its fields stand for, in the key order the drivers write
 * (`detail.ackRequested` only when ASKS_ACK is set).
 */
export function appEvent(meta: number, seq: number, time: number, name: string, namespace: string, args: unknown[]): AppEventEvent {
  const detail: AppEventEvent['detail'] = meta & ASKS_ACK ? { args, ackRequested: true } : { args }
  return { seq, time, layer: 'app', kind: 'event', dir: 'in', name, namespace, detail }
}

/** Payload scratch a builder starts with, and goes back to after a pack that used little of a larger one. */
const START_BYTES = 16 * 1024
/** Payload scratch a builder keeps whatever the next pack needs (a flood of 64-byte frames needs ~150 KiB a batch). */
const KEEP_BYTES = 1024 * 1024

/**
 * Builds FramePacks event by event, growing its scratch arrays by doubling. Reusable: `finish()` resets it and keeps
 * the arrays, so a flood's batches stop allocating (payload scratch past KEEP_BYTES is let go after a pack that used
 * under a quarter of it, so one burst of large frames is not held for good).
 */
export class FramePackBuilder {
  private n = 0
  private capacity = 64
  private times = new Float64Array(this.capacity)
  private sizes = new Float64Array(this.capacity)
  private held = new Float64Array(this.capacity)
  private meta = new Uint8Array(this.capacity)
  private lengths = new Uint32Array(this.capacity)
  private nameRefs = new Uint32Array(this.capacity)
  private namespaceRefs = new Uint32Array(this.capacity)
  private bytes = new Uint8Array(START_BYTES)
  private used = 0
  /** The current pack's names and namespaces, and each one's index there. */
  private names: string[] = []
  private nameIndexes = new Map<string, number>()

  /** Payload bytes written so far. */
  get byteLength(): number {
    return this.used
  }

  /** The bytes the pack `finish()` would make now takes (its columns and its payloads). */
  get packBytes(): number {
    return 37 * this.n + this.used
  }

  /** Add `event`, whose `compactMeta` is `meta` (≥ 0). */
  add(event: TimelineEvent, meta: number): void {
    const i = this.slot()
    this.times[i] = event.time
    this.sizes[i] = event.size!
    this.payload(i, event.data!, meta)
  }

  /**
   * Add a frame received over a raw WebSocket (DriverHooks.onFrameIn), whose `data` fits (`payloadFits`), as `add`
   * would add its event (layer 'wire', kind 'frame', dir 'in', transport 'websocket', size its UTF-8 or byte length),
   * without the event. The UTF-8 length is what the copy wrote, so the text is scanned once.
   */
  addFrameIn(time: number, data: string | ArrayBuffer): void {
    const i = this.slot()
    this.times[i] = time
    this.payload(i, data, typeof data === 'string' ? COMPACT : COMPACT | BINARY)
    this.sizes[i] = this.lengths[i]!
  }

  /** The next slot, the columns grown when full. */
  private slot(): number {
    if (this.n === this.capacity) this.grow()
    return this.n++
  }

  /**
   * Slot `i`'s payload, a frame's: its bytes (text as UTF-8, ASCII set in `meta` when it is all ASCII), its length,
   * the bytes it holds, no names.
   */
  private payload(i: number, data: string | ArrayBuffer, meta: number): void {
    this.nameRefs[i] = 0
    this.namespaceRefs[i] = 0
    if (typeof data === 'string') {
      this.room(data.length * 3)
      const written = this.copyText(data)
      this.meta[i] = written === data.length ? meta | ASCII : meta
      this.lengths[i] = written
      this.used += written
      this.held[i] = data.length * 2
      return
    }
    this.room(data.byteLength)
    this.bytes.set(new Uint8Array(data), this.used)
    this.meta[i] = meta
    this.lengths[i] = data.byteLength
    this.used += data.byteLength
    this.held[i] = data.byteLength
  }

  /**
   * Add a Socket.IO packet event for which `compactPacket` holds: no payload bytes, its ack id in the size column
   * (NaN: none), its name and namespace as indexes into the pack's `names`. It holds no payload: `payloadBytes` of
   * such an event (no data, no size) is 0.
   */
  addPacket(event: PacketEvent): void {
    const i = this.slot()
    this.times[i] = event.time
    this.sizes[i] = event.ackId ?? Number.NaN
    this.held[i] = 0
    this.meta[i] = COMPACT | PACKET | (event.dir === 'out' ? OUT : 0)
    this.lengths[i] = 0
    this.nameRefs[i] = this.nameIndex(event.name)
    this.namespaceRefs[i] = this.nameIndex(event.namespace)
  }

  /**
   * Add a Socket.IO application event received whose arguments' JSON text is `text` (`compactAppText`): the text as
   * its bytes, its name and namespace as a packet's. It holds no payload: `payloadBytes` of such an event is 0.
   */
  addApp(event: AppEventEvent, text: string): void {
    const i = this.slot()
    this.times[i] = event.time
    this.sizes[i] = Number.NaN
    this.held[i] = 0
    this.room(text.length * 3)
    const written = this.copyText(text)
    this.meta[i] = COMPACT | APP | (event.detail.ackRequested ? ASKS_ACK : 0) | (written === text.length ? ASCII : 0)
    this.lengths[i] = written
    this.used += written
    this.nameRefs[i] = this.nameIndex(event.name)
    this.namespaceRefs[i] = this.nameIndex(event.namespace)
  }

  /**
   * The events added since the last `finish()` as a pack: one ArrayBuffer, the columns views into it (times, sizes,
   * held at 0, 8n, 16n; lengths, nameRefs, namespaceRefs at 24n, 28n, 32n; meta at 36n; bytes at 37n), and the names
   * its packets use. The buffer is `reuse` when it holds `packBytes` (what lies past the pack in it is left as it
   * was), otherwise a new one of the exact size. The builder is then empty, ready for the next pack.
   */
  finish(reuse?: ArrayBuffer): FramePack {
    const n = this.n
    const used = this.used
    const buffer = reuse !== undefined && reuse.byteLength >= 37 * n + used ? reuse : new ArrayBuffer(37 * n + used)
    const pack: FramePack = {
      n,
      times: new Float64Array(buffer, 0, n),
      sizes: new Float64Array(buffer, 8 * n, n),
      held: new Float64Array(buffer, 16 * n, n),
      lengths: new Uint32Array(buffer, 24 * n, n),
      nameRefs: new Uint32Array(buffer, 28 * n, n),
      namespaceRefs: new Uint32Array(buffer, 32 * n, n),
      meta: new Uint8Array(buffer, 36 * n, n),
      bytes: new Uint8Array(buffer, 37 * n, used),
      names: this.names,
    }
    pack.times.set(this.times.subarray(0, n))
    pack.sizes.set(this.sizes.subarray(0, n))
    pack.held.set(this.held.subarray(0, n))
    pack.lengths.set(this.lengths.subarray(0, n))
    pack.nameRefs.set(this.nameRefs.subarray(0, n))
    pack.namespaceRefs.set(this.namespaceRefs.subarray(0, n))
    pack.meta.set(this.meta.subarray(0, n))
    pack.bytes.set(this.bytes.subarray(0, used))
    this.n = 0
    this.used = 0
    this.names = []
    this.nameIndexes.clear()
    if (this.bytes.length > KEEP_BYTES && used < this.bytes.length / 4) this.bytes = new Uint8Array(START_BYTES)
    return pack
  }

  private nameIndex(name: string): number {
    let index = this.nameIndexes.get(name)
    if (index === undefined) {
      index = this.names.push(name) - 1
      this.nameIndexes.set(name, index)
    }
    return index
  }

  /** Copy `text` as UTF-8 at `used` (ASCII by a plain loop: see PayloadArena.writeText); bytes written. */
  private copyText(text: string): number {
    return copyAscii(text, this.bytes, this.used) ? text.length : encoder.encodeInto(text, this.bytes.subarray(this.used)).written
  }

  private grow(): void {
    this.capacity *= 2
    this.times = resized(this.times, this.capacity)
    this.sizes = resized(this.sizes, this.capacity)
    this.held = resized(this.held, this.capacity)
    this.meta = resized(this.meta, this.capacity)
    this.lengths = resized(this.lengths, this.capacity)
    this.nameRefs = resized(this.nameRefs, this.capacity)
    this.namespaceRefs = resized(this.namespaceRefs, this.capacity)
  }

  /** Make sure `bytes` has `more` free bytes. */
  private room(more: number): void {
    if (this.used + more <= this.bytes.length) return
    this.bytes = resized(this.bytes, Math.max(this.bytes.length * 2, this.used + more))
  }
}

function resized<T extends Float64Array | Uint32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length)
  next.set(array)
  return next
}

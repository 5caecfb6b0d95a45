import type { Direction, Layer, TimelineEvent } from '../protocol/types'
import type { AppEventEvent, FrameEvent, PacketEvent, TimelineDraft } from '../protocol/events'
import {
  APP, appEvent, ASCII, BINARY, COMPACT, compactMeta, compactPacket, frameEvent, NOT_FRAME, OUT, PACKET, packetEvent,
  parseArgs, type PackCursor, type PackedEvent,
} from './framePack'
import { type ByteNeedle, MAX_ASCII_READ, PayloadArena } from './payloadArena'

export interface TimelineOptions {
  /**
   * Most events kept; the oldest are dropped past it.
   * @default 1_000_000
   */
  maxEvents?: number
  /**
   * Most payload bytes kept (see `payloadBytes`); the oldest events are dropped past it.
   * @default 256 MiB
   */
  maxBytes?: number
}

export type TimelineListener = () => void

export const DEFAULT_MAX_EVENTS = 1_000_000
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024

const LAYERS: readonly Layer[] = ['lifecycle', 'wire', 'engine', 'socketio', 'app']
const DIRECTIONS: readonly Direction[] = ['in', 'out', 'local']
/** First capacity of the ring; it doubles up to maxEvents, so a short session never holds a million slots. */
const INITIAL_CAPACITY = 1024
/**
 * Past this many slots the ring grows by adding a segment of this many, not by copying: doubling a million-slot
 * ring copied every column in one task (64 ms at 262,144 slots, 114 ms at 524,288, measured in Node), which were the
 * long tasks of a stream filling the timeline. Segments of 65,536 slots still left the doublings up to them to copy
 * 64,512 slots on the UI thread during the first 65,536 frames of a flood, in tasks of up to 32,768 (the functions
 * `copy` and `Segment` were 70 ms of a 100,000-frame flood's main thread in a CPU profile, issue 12); 4,096 slots
 * leave 3,072 to copy, and cost nothing at look-up (a shift and a mask either way).
 */
const SEGMENT_SHIFT = 12
const SEGMENT_SLOTS = 1 << SEGMENT_SHIFT
const SEGMENT_MASK = SEGMENT_SLOTS - 1
/** Frames materialized from compact slots, remembered by seq so that the rows on screen keep their objects. */
const CACHE_SIZE = 1024
/**
 * ASCII frames made at once when one is asked for: the run that follows it in the arena (at most READ_AHEAD frames
 * and MAX_ASCII_READ bytes) is read in one call and cut with `substring` (a few dozen ns), so a scan over a million
 * frames (a filter, an export) pays for a call every run, not every frame.
 */
const READ_AHEAD = 256
/** Distinct names and namespaces (of packet and application events) a timeline keeps; past them, events are objects. */
const MAX_NAMES = 4096

/** Counter slot of each layer and direction, looked up by property (two `indexOf` string scans cost more per append). */
const COUNTER_INDEX = Object.fromEntries(LAYERS.map((layer, l) =>
  [layer, Object.fromEntries(DIRECTIONS.map((dir, d) => [dir, l * DIRECTIONS.length + d]))])) as Record<Layer, Record<Direction, number>>

function counterIndex(layer: Layer, dir: Direction): number {
  return COUNTER_INDEX[layer][dir]
}

/** The app layer's incoming counter: Socket.IO events and acks received. */
const APP_IN = counterIndex('app', 'in')
/** The wire layer's counters, by a compact frame's OUT bit. */
const WIRE_IN = counterIndex('wire', 'in')
const WIRE_OUT = counterIndex('wire', 'out')
/** The Socket.IO layer's counters, by a packet slot's OUT bit. */
const SOCKETIO_IN = counterIndex('socketio', 'in')
const SOCKETIO_OUT = counterIndex('socketio', 'out')

/**
 * Bytes an event's payload holds in memory: UTF-16 for strings, byteLength for binary. Socket.IO application
 * events keep their arguments in `detail.args`, which is not walked on the hot path: their wire `size` stands in.
 */
export function payloadBytes(event: Pick<TimelineEvent, 'data' | 'size'>): number {
  const data = event.data
  if (data === undefined) return event.size ?? 0
  return typeof data === 'string' ? data.length * 2 : data.byteLength
}

/** One segment of the ring's slots: parallel columns, one entry a slot. */
class Segment {
  /** The event of an object slot; undefined for a compact one. */
  readonly objects: (TimelineEvent | undefined)[]
  readonly seqs: Float64Array
  readonly times: Float64Array
  /** `payloadBytes` of the slot's event. */
  readonly held: Float64Array
  // Compact slots only:
  readonly meta: Uint8Array
  readonly sizes: Float64Array
  readonly positions: Float64Array
  readonly lengths: Uint32Array

  constructor(readonly slots: number) {
    this.objects = new Array(slots)
    this.seqs = new Float64Array(slots)
    this.times = new Float64Array(slots)
    this.held = new Float64Array(slots)
    this.meta = new Uint8Array(slots)
    this.sizes = new Float64Array(slots)
    this.positions = new Float64Array(slots)
    this.lengths = new Uint32Array(slots)
  }

  /** Copy `count` slots from `from` (at `at`) to `to` here. */
  copy(from: Segment, at: number, to: number, count: number): void {
    for (let i = 0; i < count; i++) this.objects[to + i] = from.objects[at + i]
    this.seqs.set(from.seqs.subarray(at, at + count), to)
    this.times.set(from.times.subarray(at, at + count), to)
    this.held.set(from.held.subarray(at, at + count), to)
    this.meta.set(from.meta.subarray(at, at + count), to)
    this.sizes.set(from.sizes.subarray(at, at + count), to)
    this.positions.set(from.positions.subarray(at, at + count), to)
    this.lengths.set(from.lengths.subarray(at, at + count), to)
  }
}

/**
 * The log engine: a ring buffer of events with a frame cap and a byte budget.
 *
 * `append` is the drivers' sink and runs once per frame, so it is kept short and allocation-light.
 *
 * A plain wire frame (text or binary, no detail: what floods are made of) is kept compact: its numbers in typed
 * columns and its payload as bytes in a `PayloadArena`, outside the JavaScript heap, so a million retained frames
 * are not a million objects for the garbage collector to walk on the UI thread. `get` gives such a frame back as a
 * new plain object (remembered for the last CACHE_SIZE seqs, so the rows on screen keep the same object). A
 * Socket.IO packet event without a detail is compact too (its names in a bounded table), and so is an application
 * event that arrives packed from the driver Worker (its arguments as JSON text in the arena, parsed when it is read).
 * Every other event (lifecycle, application events appended one by one, frames with a detail, long or ill-formed
 * texts) is kept as the object appended. Readers see `TimelineEvent`s either way: nothing outside this file knows the
 * difference, except through `objectAt`.
 */
export class Timeline {
  /** Most events kept (settable through `setLimits`). */
  maxEvents: number
  /** Most payload bytes kept (settable through `setLimits`). */
  maxBytes: number
  /** Events dropped by the cap or the byte budget since the timeline was created or cleared. */
  dropped = 0
  /** Bumped on every append or clear; the UI compares it once per animation frame. */
  version = 0
  /** Bumped by `clear()`: derived indexes (filters, stats) rebuild when it changes. */
  epoch = 0
  /** Payload bytes currently retained (as `payloadBytes` counts them, wherever they are kept). */
  bytes = 0

  // The ring: `capacity` slots in segments of parallel columns (slot >>> SEGMENT_SHIFT, slot & SEGMENT_MASK), grown by
  // doubling while it fits one segment, then a segment at a time, up to maxEvents.
  private capacity = INITIAL_CAPACITY
  private segments: Segment[] = [new Segment(INITIAL_CAPACITY)]
  private arena = new PayloadArena()
  /** Packet names and namespaces of compact packet slots, by index. */
  private names: string[] = []
  private nameIndexes = new Map<string, number>()
  private cacheSeqs = new Float64Array(CACHE_SIZE).fill(-1)
  private cacheEvents: (PackedEvent | undefined)[] = new Array(CACHE_SIZE)

  private head = 0
  private size = 0
  private nextSeq = 1
  private counters = new Float64Array(LAYERS.length * DIRECTIONS.length)
  private appEventsIn = 0
  private listeners = new Set<TimelineListener>()
  private notified = false
  /**
   * Its source says more events are on their way: the driver Worker is mid-stream and sends its batches a display
   * frame apart (protocol/worker/host.ts), so a lull between two is not the end of a flood. Set by the driver
   * (stores/driverFactory.ts), read by the UI tick (useTimelineTick) before it takes a lull for the end.
   */
  streaming = false

  constructor(options: TimelineOptions = {}) {
    this.maxEvents = Math.max(1, Math.floor(options.maxEvents ?? DEFAULT_MAX_EVENTS))
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES)
  }

  /**
   * A timeline holding already-numbered events (an import). Their `seq`s are kept when strictly increasing,
   * so an exported file and its re-import name the same events; otherwise they are renumbered from 1.
   */
  static from(events: Iterable<TimelineEvent>, options: TimelineOptions = {}): Timeline {
    const list = [...events]
    const timeline = new Timeline({ maxEvents: Math.max(options.maxEvents ?? DEFAULT_MAX_EVENTS, list.length), maxBytes: options.maxBytes ?? Number.MAX_SAFE_INTEGER })
    let increasing = true
    for (let i = 1; i < list.length; i++) {
      if (!(list[i]!.seq > list[i - 1]!.seq)) {
        increasing = false
        break
      }
    }
    const firstSeq = increasing && list.length > 0 && Number.isSafeInteger(list[0]!.seq) && list[0]!.seq > 0 ? list[0]!.seq : 1
    timeline.nextSeq = firstSeq
    for (const event of list) {
      if (increasing) timeline.nextSeq = event.seq
      timeline.append(event)
    }
    timeline.notified = false
    return timeline
  }

  /** Retained events. */
  get length(): number {
    return this.size
  }

  /** Sequence number the next appended event will get. */
  get seqNext(): number {
    return this.nextSeq
  }

  /** Seq of the oldest retained event, or `seqNext` when empty. */
  get firstSeq(): number {
    return this.size > 0 ? this.seqOfSlot(this.head) : this.nextSeq
  }

  /** Payload bytes held outside the JavaScript heap for compact frames (allocated chunks). */
  get arenaBytes(): number {
    return this.arena.allocated
  }

  /** The sink: bound so it can be handed to a driver as is. */
  readonly append = (draft: TimelineDraft): TimelineEvent => {
    const event = draft as TimelineEvent
    const seq = this.nextSeq++
    event.seq = seq
    const bytes = payloadBytes(event)
    const slot = this.place(seq, event.time, bytes)
    const meta = compactMeta(event)
    if (meta < 0) {
      if (!compactPacket(event) || !this.keepPacket(slot, event)) this.segments[slot >>> SEGMENT_SHIFT]!.objects[slot & SEGMENT_MASK] = event
    }
    else if (meta & BINARY) {
      const position = this.arena.writeBytes(new Uint8Array(event.data as ArrayBuffer))
      this.keepCompact(slot, meta, event.size!, position, this.arena.written)
    }
    else {
      const position = this.arena.writeText(event.data as string)
      this.keepCompact(slot, this.arena.ascii ? meta | ASCII : meta, event.size!, position, this.arena.written)
    }
    const counter = counterIndex(event.layer, event.dir)
    this.counters[counter]! += 1
    // Frames never get past the integer comparison.
    if (counter === APP_IN && event.kind === 'event') this.appEventsIn++
    this.appended(1)
    return event
  }

  /**
   * Append the next `count` events of a driver Worker's pack (./framePack.ts), as `append` would one by one, except
   * that an application event is kept compact: a frame's bytes and an application event's argument text are copied
   * into the arena, the names of packet and application events are looked up in the timeline's table, no string or
   * object is made for them, and the cursor moves past them. An event whose names no longer fit the table is kept as
   * an object, as `append` would keep it.
   */
  readonly appendPack = (cursor: PackCursor, count: number): void => {
    const { times, sizes, held, meta, lengths, bytes, nameRefs, namespaceRefs, names } = cursor.pack
    /** The pack's name indexes mapped to this timeline's (-1: the table is full), looked up once per call. */
    let mapped: number[] | undefined
    let offset = cursor.offset
    const end = cursor.index + count
    for (let i = cursor.index; i < end; i++) {
      const seq = this.nextSeq++
      const slot = this.place(seq, times[i]!, held[i]!)
      const slotMeta = meta[i]!
      if (slotMeta & NOT_FRAME) {
        mapped ??= []
        // Name, then namespace: the order `keepPacket` fills the table in.
        const nameRef = nameRefs[i]!
        const namespaceRef = namespaceRefs[i]!
        const name = mapped[nameRef] ??= this.nameIndex(names[nameRef]!)
        const namespace = mapped[namespaceRef] ??= this.nameIndex(names[namespaceRef]!)
        const fits = name >= 0 && namespace >= 0
        if (slotMeta & PACKET) {
          if (fits) this.keepCompact(slot, slotMeta, sizes[i]!, namespace, name)
          else this.keepObject(slot, packetEvent(slotMeta, seq, times[i]!, names[nameRef]!, names[namespaceRef]!, sizes[i]!))
          this.counters[slotMeta & OUT ? SOCKETIO_OUT : SOCKETIO_IN]! += 1
          continue
        }
        const length = lengths[i]!
        // Both names in the size column (each below MAX_NAMES), the text where a frame's payload goes.
        if (fits) this.keepCompact(slot, slotMeta, name * MAX_NAMES + namespace, this.arena.writeLater(bytes, offset, length), length)
        else this.keepObject(slot, appEvent(slotMeta, seq, times[i]!, names[nameRef]!, names[namespaceRef]!, parseArgs(bytes.subarray(offset, offset + length))))
        offset += length
        this.counters[APP_IN]! += 1
        this.appEventsIn++
        continue
      }
      const length = lengths[i]!
      this.keepCompact(slot, slotMeta, sizes[i]!, this.arena.writeLater(bytes, offset, length), length)
      offset += length
      this.counters[slotMeta & OUT ? WIRE_OUT : WIRE_IN]! += 1
    }
    this.arena.flush()
    cursor.index = end
    cursor.offset = offset
    if (count > 0) this.appended(count)
  }

  /** The i-th retained event, oldest first. */
  get(index: number): TimelineEvent | undefined {
    if (index < 0 || index >= this.size) return undefined
    const slot = (this.head + index) % this.capacity
    return this.segments[slot >>> SEGMENT_SHIFT]!.objects[slot & SEGMENT_MASK] ?? this.materialize(slot)
  }

  /**
   * The i-th retained event when it is kept as an object; undefined for one kept compact (a plain wire frame, a
   * Socket.IO packet without detail, an application event that arrived packed) or no event. For scans that only look
   * at other events (the lifecycle, the charts' markers): they skip the compact ones without making them.
   */
  objectAt(index: number): TimelineEvent | undefined {
    if (index < 0 || index >= this.size) return undefined
    const slot = (this.head + index) % this.capacity
    return this.segments[slot >>> SEGMENT_SHIFT]!.objects[slot & SEGMENT_MASK]
  }

  /**
   * A compact frame's direction, wire size and time, written into `into` without making the event (false for an
   * event kept as an object, or no event): for scans that only count frames (the charts' throughput).
   */
  frameFactsAt(index: number, into: { dir: 'in' | 'out', size: number, time: number }): boolean {
    if (index < 0 || index >= this.size) return false
    const slot = (this.head + index) % this.capacity
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    if (segment.objects[at] !== undefined || segment.meta[at]! & NOT_FRAME) return false
    into.dir = segment.meta[at]! & OUT ? 'out' : 'in'
    into.size = segment.sizes[at]!
    into.time = segment.times[at]!
    return true
  }

  /**
   * Whether the payload of the compact frame at `index` contains `needle` (payloadArena's `byteNeedle`), searched in
   * its bytes without making the frame: for a text filter over a million frames. Undefined when the bytes cannot
   * answer exactly, and the event must be made and tested: an event kept as an object, a packet or an application
   * event slot; a case-folded needle on a payload that is not ASCII (non-ASCII text can lowercase into ASCII: 'İ',
   * the Kelvin sign); a non-ASCII needle on binary (decoded with U+FFFD for what is not UTF-8). An ASCII needle is
   * exact on any payload's bytes: UTF-8, and its decoding with replacements, keep every ASCII byte as itself and make
   * no ASCII of other bytes; a non-ASCII one is exact on text, well-formed UTF-8.
   */
  matchCompactText(index: number, needle: ByteNeedle): boolean | undefined {
    if (index < 0 || index >= this.size) return undefined
    const slot = (this.head + index) % this.capacity
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    const meta = segment.meta[at]!
    if (segment.objects[at] !== undefined || meta & NOT_FRAME) return undefined
    if (needle.foldCase) {
      if (!(meta & ASCII)) return undefined
      // ASCII lowercases to ASCII: it never holds a needle that is not.
      if (!needle.ascii) return false
    }
    else if (!needle.ascii && meta & BINARY) return undefined
    return this.arena.includes(segment.positions[at]!, segment.lengths[at]!, needle)
  }

  /** Seq of the i-th retained event (no event object made), or undefined. */
  seqAt(index: number): number | undefined {
    return index < 0 || index >= this.size ? undefined : this.seqOfSlot((this.head + index) % this.capacity)
  }

  private seqOfSlot(slot: number): number {
    return this.segments[slot >>> SEGMENT_SHIFT]!.seqs[slot & SEGMENT_MASK]!
  }

  /** Iterate retained events from `start` (an index), oldest first. */
  *iterate(start = 0): IterableIterator<TimelineEvent> {
    for (let i = Math.max(0, start); i < this.size; i++) yield this.get(i)!
  }

  toArray(): TimelineEvent[] {
    return [...this.iterate()]
  }

  /** Index of the event with this seq, or -1 when it was dropped or never existed. */
  indexOfSeq(seq: number): number {
    const index = this.lowerBound(seq)
    return this.seqAt(index) === seq ? index : -1
  }

  /** Index of the first retained event whose seq is ≥ `seq` (`length` when there is none). */
  lowerBound(seq: number): number {
    if (this.size === 0) return 0
    // seqs are strictly increasing and, for live sessions, contiguous: the guess is almost always right.
    const guess = seq - this.firstSeq
    if (guess <= 0) return 0
    if (guess < this.size && this.seqAt(guess) === seq) return guess
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.seqAt(mid)! < seq) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Events ever appended with this layer and direction (dropped ones included; reset by `clear()`). */
  count(layer: Layer, dir: Direction): number {
    return this.counters[counterIndex(layer, dir)]!
  }

  /** Socket.IO application events ever received (app layer, kind `event`, dir `in`; acks not counted; reset by `clear()`). */
  get eventsIn(): number {
    return this.appEventsIn
  }

  /** Be told once after the next append; call `acknowledge()` after reading to be told again. */
  subscribe(listener: TimelineListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The UI has caught up: the next append notifies again. */
  acknowledge(): void {
    this.notified = false
  }

  /** Change the cap and the byte budget; drops the oldest events at once if they no longer fit. */
  setLimits(limits: TimelineOptions): void {
    if (limits.maxEvents !== undefined) this.maxEvents = Math.max(1, Math.floor(limits.maxEvents))
    if (limits.maxBytes !== undefined) this.maxBytes = Math.max(1, limits.maxBytes)
    const before = this.dropped
    while (this.size > 0 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) this.dropOldest()
    if (this.dropped !== before) this.changed()
  }

  /** Forget every event (seqs keep increasing, so a selection from before never names a new event). */
  clear(): void {
    this.capacity = INITIAL_CAPACITY
    this.segments = [new Segment(INITIAL_CAPACITY)]
    this.arena.clear()
    this.cacheSeqs.fill(-1)
    this.cacheEvents = new Array(CACHE_SIZE)
    this.names = []
    this.nameIndexes.clear()
    this.head = 0
    this.size = 0
    this.bytes = 0
    this.dropped = 0
    this.counters.fill(0)
    this.appEventsIn = 0
    this.epoch++
    this.changed()
  }

  private changed(): void {
    this.version++
    this.notified = true
    for (const listener of this.listeners) listener()
  }

  /** Make room for one more event (dropping the oldest past the limits) and take its slot. */
  private place(seq: number, time: number, bytes: number): number {
    while (this.size > 0 && (this.size >= this.maxEvents || this.bytes + bytes > this.maxBytes))
      this.dropOldest()
    if (this.size === this.capacity) this.grow()
    const slot = (this.head + this.size) % this.capacity
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    segment.seqs[at] = seq
    segment.times[at] = time
    segment.held[at] = bytes
    this.size++
    this.bytes += bytes
    return slot
  }

  private keepObject(slot: number, event: TimelineEvent): void {
    this.segments[slot >>> SEGMENT_SHIFT]!.objects[slot & SEGMENT_MASK] = event
  }

  private keepCompact(slot: number, meta: number, size: number, position: number, length: number): void {
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    segment.objects[at] = undefined
    segment.meta[at] = meta
    segment.sizes[at] = size
    segment.positions[at] = position
    segment.lengths[at] = length
  }

  /** Keep a Socket.IO packet event in `slot` compact: false when its names do not fit the table (it stays an object). */
  private keepPacket(slot: number, event: PacketEvent): boolean {
    const name = this.nameIndex(event.name)
    const namespace = this.nameIndex(event.namespace)
    if (name < 0 || namespace < 0) return false
    // The ack id in the size column (NaN: none), the namespace in the position column, the name in the length one.
    this.keepCompact(slot, COMPACT | PACKET | (event.dir === 'out' ? OUT : 0), event.ackId ?? Number.NaN, namespace, name)
    return true
  }

  private nameIndex(name: string): number {
    let index = this.nameIndexes.get(name)
    if (index === undefined) {
      if (this.names.length >= MAX_NAMES) return -1
      index = this.names.push(name) - 1
      this.nameIndexes.set(name, index)
    }
    return index
  }

  /** `n` events were appended: tell the listeners, once until they read. */
  private appended(n: number): void {
    this.version += n
    if (!this.notified) {
      this.notified = true
      for (const listener of this.listeners) listener()
    }
  }

  /** The event of a compact slot, as the object it was appended as (without its own `detail: undefined`). */
  private materialize(slot: number): PackedEvent {
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    const seq = segment.seqs[at]!
    const cached = seq % CACHE_SIZE
    if (this.cacheSeqs[cached] === seq) return this.cacheEvents[cached]!
    const meta = segment.meta[at]!
    if (meta & PACKET) return this.packetAt(segment, at)
    if (meta & APP) return this.appAt(segment, at)
    if (meta & ASCII) return this.readAhead(slot)
    const position = segment.positions[at]!
    const length = segment.lengths[at]!
    return this.remember(slot, meta & BINARY ? this.arena.readBytes(position, length) : this.arena.readText(position, length))
  }

  /** Make the ASCII frame in `slot` and those after it whose bytes follow on in the same chunk, up to READ_AHEAD. */
  private readAhead(slot: number): FrameEvent {
    const { capacity, segments } = this
    const first = segments[slot >>> SEGMENT_SHIFT]!
    const start = first.positions[slot & SEGMENT_MASK]!
    const firstLength = first.lengths[slot & SEGMENT_MASK]!
    let end = start + firstLength
    let count = 1
    const limit = Math.min(READ_AHEAD, this.size - ((slot - this.head + capacity) % capacity))
    for (let next = (slot + 1) % capacity; count < limit; next = (next + 1) % capacity) {
      const segment = segments[next >>> SEGMENT_SHIFT]!
      const at = next & SEGMENT_MASK
      const meta = segment.meta[at]!
      if (segment.objects[at] !== undefined || !(meta & ASCII) || meta & APP || segment.positions[at] !== end || !this.arena.sameChunk(start, end)) break
      if (end + segment.lengths[at]! - start > MAX_ASCII_READ) break
      end += segment.lengths[at]!
      count++
    }
    const text = this.arena.readString(start, end - start, true)
    const made = this.remember(slot, count === 1 ? text : text.substring(0, firstLength))
    let offset = firstLength
    for (let i = 1, next = (slot + 1) % capacity; i < count; i++, next = (next + 1) % capacity) {
      const length = segments[next >>> SEGMENT_SHIFT]!.lengths[next & SEGMENT_MASK]!
      this.remember(next, text.substring(offset, offset + length))
      offset += length
    }
    return made
  }

  /** The packet event of a compact slot, kept in the cache by seq. */
  private packetAt(segment: Segment, at: number): PacketEvent {
    // The ack id is kept in the size column, the namespace in the position one, the name in the length one.
    return this.cache(packetEvent(segment.meta[at]!, segment.seqs[at]!, segment.times[at]!, this.names[segment.lengths[at]!]!,
      this.names[segment.positions[at]!]!, segment.sizes[at]!))
  }

  /** The application event of a compact slot (its arguments parsed from their text), kept in the cache by seq. */
  private appAt(segment: Segment, at: number): AppEventEvent {
    const meta = segment.meta[at]!
    const text = this.arena.readString(segment.positions[at]!, segment.lengths[at]!, (meta & ASCII) !== 0)
    // Both names in the size column: the name's index times MAX_NAMES, plus the namespace's.
    const names = segment.sizes[at]!
    const name = this.names[Math.floor(names / MAX_NAMES)]!
    const namespace = this.names[names % MAX_NAMES]!
    return this.cache(appEvent(meta, segment.seqs[at]!, segment.times[at]!, name, namespace, JSON.parse(text) as unknown[]))
  }

  /** The event of compact `slot` with its payload, kept in the cache by seq. */
  private remember(slot: number, data: string | ArrayBuffer): FrameEvent {
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    return this.cache(frameEvent(segment.meta[at]!, segment.seqs[at]!, segment.times[at]!, segment.sizes[at]!, data))
  }

  /** Remember an event made from a compact slot by its seq (materialize looks there first). */
  private cache<T extends PackedEvent>(event: T): T {
    const cached = event.seq % CACHE_SIZE
    this.cacheSeqs[cached] = event.seq
    this.cacheEvents[cached] = event
    return event
  }

  /**
   * Room for more slots, up to maxEvents: while the ring fits one segment it doubles (copying at most SEGMENT_SLOTS
   * slots); past that a new segment is added and nothing is copied, unless the ring has wrapped (the byte budget
   * dropped events before the cap was reached), when its slots are unrolled into new segments once.
   */
  private grow(): void {
    const capacity = this.capacity
    const next = Math.min(capacity < SEGMENT_SLOTS ? capacity * 2 : capacity + SEGMENT_SLOTS, this.maxEvents)
    if (next <= capacity) return
    if (capacity >= SEGMENT_SLOTS && this.head === 0 && capacity % SEGMENT_SLOTS === 0) {
      this.segments.push(new Segment(next - capacity))
      this.capacity = next
      return
    }
    const segments: Segment[] = []
    for (let left = next; left > 0; left -= SEGMENT_SLOTS) segments.push(new Segment(Math.min(left, SEGMENT_SLOTS)))
    // Unroll: slot head+i of the old ring becomes slot i, copied in runs that stay inside one segment on each side.
    for (let i = 0; i < this.size;) {
      const from = (this.head + i) % capacity
      const count = Math.min(this.size - i, SEGMENT_SLOTS - (from & SEGMENT_MASK), SEGMENT_SLOTS - (i & SEGMENT_MASK), capacity - from)
      segments[i >>> SEGMENT_SHIFT]!.copy(this.segments[from >>> SEGMENT_SHIFT]!, from & SEGMENT_MASK, i & SEGMENT_MASK, count)
      i += count
    }
    this.segments = segments
    this.capacity = next
    this.head = 0
  }

  private dropOldest(): void {
    const slot = this.head
    const segment = this.segments[slot >>> SEGMENT_SHIFT]!
    const at = slot & SEGMENT_MASK
    if (segment.objects[at] !== undefined) segment.objects[at] = undefined
    else if (!(segment.meta[at]! & PACKET)) this.arena.release(segment.positions[at]!)
    this.head = (this.head + 1) % this.capacity
    this.size--
    this.bytes -= segment.held[at]!
    this.dropped++
  }
}

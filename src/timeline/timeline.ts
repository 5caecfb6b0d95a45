import type { Direction, Layer, TimelineEvent } from '../protocol/types'
import type { TimelineDraft } from '../protocol/events'

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

/** Counter slot of each layer and direction, looked up by property (two `indexOf` string scans cost more per append). */
const COUNTER_INDEX = Object.fromEntries(LAYERS.map((layer, l) =>
  [layer, Object.fromEntries(DIRECTIONS.map((dir, d) => [dir, l * DIRECTIONS.length + d]))])) as Record<Layer, Record<Direction, number>>

function counterIndex(layer: Layer, dir: Direction): number {
  return COUNTER_INDEX[layer][dir]
}

/** The app layer's incoming counter: Socket.IO events and acks received. */
const APP_IN = counterIndex('app', 'in')

/**
 * Bytes an event's payload holds in memory: UTF-16 for strings, byteLength for binary. Socket.IO application
 * events keep their arguments in `detail.args`, which is not walked on the hot path: their wire `size` stands in.
 */
export function payloadBytes(event: Pick<TimelineEvent, 'data' | 'size'>): number {
  const data = event.data
  if (data === undefined) return event.size ?? 0
  return typeof data === 'string' ? data.length * 2 : data.byteLength
}

/**
 * The log engine: a ring buffer of plain (never reactive) events with a frame cap and a byte budget.
 *
 * `append` is the drivers' sink and runs once per frame, so it is kept short and allocation-light:
 * one object stored, a few counters bumped, listeners told at most once until they read.
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
  /** Payload bytes currently retained. */
  bytes = 0

  // A power-of-two-free circular array: `capacity` grows by doubling (amortized O(1) append) until maxEvents.
  private ring: (TimelineEvent | undefined)[] = new Array(INITIAL_CAPACITY)
  private head = 0
  private size = 0
  private nextSeq = 1
  private counters = new Float64Array(LAYERS.length * DIRECTIONS.length)
  private appEventsIn = 0
  private listeners = new Set<TimelineListener>()
  private notified = false

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
    return this.size > 0 ? this.ring[this.head]!.seq : this.nextSeq
  }

  /** The sink: bound so it can be handed to a driver as is. */
  readonly append = (draft: TimelineDraft): TimelineEvent => {
    const event = draft as TimelineEvent
    event.seq = this.nextSeq++
    const bytes = payloadBytes(event)
    while (this.size > 0 && (this.size >= this.maxEvents || this.bytes + bytes > this.maxBytes))
      this.dropOldest()
    if (this.size === this.ring.length) this.grow()
    this.ring[(this.head + this.size) % this.ring.length] = event
    this.size++
    this.bytes += bytes
    const counter = counterIndex(event.layer, event.dir)
    this.counters[counter]! += 1
    // Frames never get past the integer comparison.
    if (counter === APP_IN && event.kind === 'event') this.appEventsIn++
    this.version++
    if (!this.notified) {
      this.notified = true
      for (const listener of this.listeners) listener()
    }
    return event
  }

  /** The i-th retained event, oldest first. */
  get(index: number): TimelineEvent | undefined {
    if (index < 0 || index >= this.size) return undefined
    return this.ring[(this.head + index) % this.ring.length]
  }

  /** Iterate retained events from `start` (an index), oldest first. */
  *iterate(start = 0): IterableIterator<TimelineEvent> {
    for (let i = Math.max(0, start); i < this.size; i++) yield this.ring[(this.head + i) % this.ring.length]!
  }

  toArray(): TimelineEvent[] {
    return [...this.iterate()]
  }

  /** Index of the event with this seq, or -1 when it was dropped or never existed. */
  indexOfSeq(seq: number): number {
    const index = this.lowerBound(seq)
    return this.get(index)?.seq === seq ? index : -1
  }

  /** Index of the first retained event whose seq is ≥ `seq` (`length` when there is none). */
  lowerBound(seq: number): number {
    if (this.size === 0) return 0
    // seqs are strictly increasing and, for live sessions, contiguous: the guess is almost always right.
    const guess = seq - this.firstSeq
    if (guess <= 0) return 0
    if (guess < this.size && this.get(guess)!.seq === seq) return guess
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.get(mid)!.seq < seq) lo = mid + 1
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
    this.ring = new Array(INITIAL_CAPACITY)
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

  /** Double the capacity (up to maxEvents), unrolling the ring so it starts at 0 again. */
  private grow(): void {
    const capacity = this.ring.length
    const next: (TimelineEvent | undefined)[] = new Array(Math.max(INITIAL_CAPACITY, Math.min(capacity * 2, this.maxEvents)))
    for (let i = 0; i < this.size; i++) next[i] = this.ring[(this.head + i) % capacity]
    this.ring = next
    this.head = 0
  }

  private dropOldest(): void {
    const index = this.head
    const oldest = this.ring[index]!
    this.ring[index] = undefined
    this.head = (this.head + 1) % this.ring.length
    this.size--
    this.bytes -= payloadBytes(oldest)
    this.dropped++
  }
}

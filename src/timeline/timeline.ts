import type { Direction, DraftEvent, Layer, TimelineEvent } from '../protocol/types'

export interface TimelineOptions {
  /**
   * Most events kept; the oldest are dropped past it.
   * @default 1_000_000
   */
  maxEvents?: number
  /**
   * Most payload bytes kept; the oldest events are dropped past it.
   * @default 256 MiB
   */
  maxBytes?: number
}

export type TimelineListener = () => void

const LAYERS: readonly Layer[] = ['lifecycle', 'wire', 'engine', 'socketio', 'app']
const DIRECTIONS: readonly Direction[] = ['in', 'out', 'local']

function counterIndex(layer: Layer, dir: Direction): number {
  return LAYERS.indexOf(layer) * DIRECTIONS.length + DIRECTIONS.indexOf(dir)
}

/** Bytes an event's payload holds in memory (UTF-16 for strings). */
export function payloadBytes(event: Pick<TimelineEvent, 'data'>): number {
  const data = event.data
  if (data === undefined) return 0
  return typeof data === 'string' ? data.length * 2 : data.byteLength
}

/**
 * The log engine: a ring buffer of plain (never reactive) events with a frame cap and a byte budget.
 *
 * `append` is the drivers' sink and runs once per frame, so it is kept short and allocation-light:
 * one object stored, a few counters bumped, listeners told at most once until they read.
 */
export class Timeline {
  readonly maxEvents: number
  readonly maxBytes: number
  /** Events dropped by the cap or the byte budget since the timeline was created or cleared. */
  dropped = 0
  /** Bumped on every append or clear; the UI compares it once per animation frame. */
  version = 0
  /** Payload bytes currently retained. */
  bytes = 0

  private ring: (TimelineEvent | undefined)[] = []
  private head = 0
  private size = 0
  private nextSeq = 1
  private counters = new Float64Array(LAYERS.length * DIRECTIONS.length)
  private listeners = new Set<TimelineListener>()
  private notified = false

  constructor(options: TimelineOptions = {}) {
    this.maxEvents = Math.max(1, options.maxEvents ?? 1_000_000)
    this.maxBytes = Math.max(1, options.maxBytes ?? 256 * 1024 * 1024)
  }

  /** Retained events. */
  get length(): number {
    return this.size
  }

  /** Sequence number the next appended event will get. */
  get seqNext(): number {
    return this.nextSeq
  }

  /** The sink: bound so it can be handed to a driver as is. */
  readonly append = (draft: DraftEvent): TimelineEvent => {
    const event = draft as TimelineEvent
    event.seq = this.nextSeq++
    const bytes = payloadBytes(event)
    while (this.size > 0 && (this.size >= this.maxEvents || this.bytes + bytes > this.maxBytes))
      this.dropOldest()
    if (this.size < this.ring.length) {
      this.ring[(this.head + this.size) % this.ring.length] = event
    }
    else if (this.head === 0) {
      this.ring.push(event)
    }
    else {
      // Full ring that started mid-array: unroll it once so it can grow again.
      this.ring = [...this.ring.slice(this.head), ...this.ring.slice(0, this.head), event]
      this.head = 0
    }
    this.size++
    this.bytes += bytes
    this.counters[counterIndex(event.layer, event.dir)]! += 1
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
    const first = this.get(0)
    if (!first) return -1
    // seqs are strictly increasing and contiguous within a session, so this is O(1) except after clear().
    const guess = seq - first.seq
    if (this.get(guess)?.seq === seq) return guess
    let lo = 0
    let hi = this.size - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = this.get(mid)!.seq
      if (s === seq) return mid
      if (s < seq) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** Events ever appended with this layer and direction (dropped ones included). */
  count(layer: Layer, dir: Direction): number {
    return this.counters[counterIndex(layer, dir)]!
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

  clear(): void {
    this.ring = []
    this.head = 0
    this.size = 0
    this.bytes = 0
    this.dropped = 0
    this.counters.fill(0)
    this.version++
    this.notified = false
    for (const listener of this.listeners) listener()
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

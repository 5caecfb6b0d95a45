import type { TimelineEvent } from '../protocol/types'

/**
 * What the merge reads from one session: its (filtered) events in seq order. `FilteredView` is one as it is; a
 * bare `Timeline` is one too (without `complete`). Positions are into the retained, matching events, oldest first.
 */
export interface MergeSource {
  readonly length: number
  get: (index: number) => TimelineEvent | undefined
  seqAt: (index: number) => number | undefined
  /** Position of the first event with seq ≥ `seq` (`length` when there is none). */
  lowerBound: (seq: number) => number
  /** False while the source's own index is still being built (a new filter applied in time slices). */
  readonly complete?: boolean
}

/** One row of the merged view: which source (its position in the list given to the index) and its event. */
export interface MergedRow {
  source: number
  event: TimelineEvent
}

export interface MergeOptions {
  /**
   * Align the sources' starts: each source's events are placed by their time since the source's origin (its first
   * event, by default), so a recording and its replay, made hours apart, line up. Without it: by wall-clock time.
   */
  alignStarts?: boolean
  /**
   * A source's origin when aligning (its first event's time); undefined while it has none yet. Read until defined,
   * then kept, so the alignment does not move as old events are dropped or the filter changes.
   */
  origin?: (source: number) => number | undefined
}

const INITIAL_CAPACITY = 1024
/** Sources one index can hold: the source of an entry is a byte. */
export const MAX_MERGE_SOURCES = 255

/**
 * Several sessions' timelines on one time axis: a k-way merge by event time, kept as an index that is extended
 * incrementally — each `update()` merges only the events the sources gained since the last one, so a flood costs
 * O(new events), never a copy of the logs. Each entry is three numbers in typed arrays (source, seq, time: 17 bytes),
 * never the event: events stay in their sessions' ring buffers and are looked up by seq when a row is shown.
 *
 * Order: by `time`; equal times keep the sources' order (the list given here), and one source's events keep their
 * own order (seq) whatever their times say: a merge never reorders within a session. A source's clock is almost
 * monotonic (a driver may stamp a frame's time before recording the events it caused), so events that arrive with a
 * time earlier than the merged tail are merged into the tail: the tail is rewound to that time and merged again,
 * which costs the few entries rewound.
 *
 * Eviction: the sources are ring buffers that drop their oldest events. An entry whose event a source has dropped
 * (seq below the source's oldest retained one) is dead; `update()` compacts dead entries away, which costs the
 * entries between the oldest entry and the last dead one — in a flood of one session, only what was dropped.
 * A cleared timeline keeps its seqs rising, so everything merged from before the clear is dead the same way.
 */
export class MergedIndex {
  private src = new Uint8Array(INITIAL_CAPACITY)
  private seqs = new Float64Array(INITIAL_CAPACITY)
  private times = new Float64Array(INITIAL_CAPACITY)
  private start = 0
  private end = 0
  /** Per source: the highest seq merged (every matching event up to it is in the index, or dead). */
  private mergedSeq: Float64Array
  /** Per source: entries of it in [start, end), dead ones included. */
  private indexed: Float64Array
  /** Per source: the next pending position and its time (scratch for `update`). */
  private headPos: Float64Array
  private headEnd: Float64Array
  private headTime: Float64Array
  private headSeq: Float64Array
  private lastComplete = true
  /** Per source: subtracted from its times (its origin when aligning starts, else 0; NaN: not known yet). */
  private offsets: Float64Array

  constructor(readonly sources: readonly MergeSource[], private readonly options: MergeOptions = {}) {
    if (sources.length > MAX_MERGE_SOURCES) throw new RangeError(`at most ${MAX_MERGE_SOURCES} sources can be merged`)
    const k = sources.length
    this.mergedSeq = new Float64Array(k)
    this.indexed = new Float64Array(k)
    this.headPos = new Float64Array(k)
    this.headEnd = new Float64Array(k)
    this.headTime = new Float64Array(k)
    this.headSeq = new Float64Array(k)
    this.offsets = new Float64Array(k).fill(options.alignStarts ? Number.NaN : 0)
  }

  /** Merged rows whose events are retained. */
  get length(): number {
    return this.end - this.start
  }

  /** True when every source is complete and every event it holds is merged (false while a merge goes on in slices). */
  get complete(): boolean {
    return this.lastComplete
  }

  /** Forget everything merged (the filter changed: the sources' views were rebuilt); the next `update` merges anew. */
  reset(): void {
    this.start = 0
    this.end = 0
    this.mergedSeq.fill(0)
    this.indexed.fill(0)
    if (this.src.length > INITIAL_CAPACITY) {
      this.src = new Uint8Array(INITIAL_CAPACITY)
      this.seqs = new Float64Array(INITIAL_CAPACITY)
      this.times = new Float64Array(INITIAL_CAPACITY)
    }
    this.lastComplete = false
  }

  /** Source of the i-th merged row. */
  sourceAt(index: number): number | undefined {
    return index >= 0 && index < this.end - this.start ? this.src[this.start + index] : undefined
  }

  /** Seq (in its own source) of the i-th merged row. */
  seqAt(index: number): number | undefined {
    return index >= 0 && index < this.end - this.start ? this.seqs[this.start + index] : undefined
  }

  /** True when the rows are placed by time since each source's start rather than by wall-clock time. */
  get aligned(): boolean {
    return this.options.alignStarts === true
  }

  /**
   * What is subtracted from a source's event times to place them (its origin when aligning starts, else 0): an
   * event's place is `time - offsetOf(source)`, which `timeAt` and `lowerBound` speak.
   */
  offsetOf(source: number): number {
    const offset = this.offsets[source]
    return offset === undefined || Number.isNaN(offset) ? 0 : offset
  }

  /** Place (time, less the source's offset) of the i-th merged row. */
  timeAt(index: number): number | undefined {
    return index >= 0 && index < this.end - this.start ? this.times[this.start + index] : undefined
  }

  /** The i-th merged row's event, or undefined when out of range or dropped by its source since the last update. */
  event(index: number): TimelineEvent | undefined {
    if (index < 0 || index >= this.end - this.start) return undefined
    const at = this.start + index
    const source = this.sources[this.src[at]!]!
    const seq = this.seqs[at]!
    const event = source.get(source.lowerBound(seq))
    return event?.seq === seq ? event : undefined
  }

  /** The i-th merged row: its source and event. */
  get(index: number): MergedRow | undefined {
    const event = this.event(index)
    return event ? { source: this.src[this.start + index]!, event } : undefined
  }

  /**
   * Position of the first row that sorts at or after (`time`, `source`) — where an event of that time and source
   * is, or would be. Binary search over the merged times (a tail merged out of order is bounded by the rewinds).
   */
  lowerBound(time: number, source = 0): number {
    let lo = this.start
    let hi = this.end
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const t = this.times[mid]!
      if (t < time || (t === time && this.src[mid]! < source)) lo = mid + 1
      else hi = mid
    }
    return lo - this.start
  }

  /** Position of the row holding `seq` of `source`, or -1. */
  indexOf(source: number, seq: number): number {
    const view = this.sources[source]
    if (!view) return -1
    const event = view.get(view.lowerBound(seq))
    const guess = event?.seq === seq ? this.lowerBound(event.time - this.offsetOf(source), source) + this.start : this.start
    // The guess is exact unless a source's clock went back; look around it, then everywhere.
    const near = 64
    for (let i = Math.max(this.start, guess - near); i < Math.min(this.end, guess + near); i++) {
      if (this.seqs[i] === seq && this.src[i] === source) return i - this.start
    }
    for (let i = this.start; i < this.end; i++) {
      if (this.seqs[i] === seq && this.src[i] === source) return i - this.start
    }
    return -1
  }

  /**
   * Catch up with the sources: drop what they dropped, then merge what they gained. With `deadline` (a
   * `performance.now()` time) stop there and carry on at the next call (`complete` says when it is done), so merging
   * two logs of a million events each is spread over frames. Nothing new is merged while a source is incomplete (its
   * filter is still being applied): its events would arrive late and rewind the whole index. Returns true when the
   * merged rows changed.
   */
  update(deadline = Number.POSITIVE_INFINITY): boolean {
    const sources = this.sources
    const k = sources.length
    let changed = this.compact()
    for (let s = 0; s < k; s++) {
      if (sources[s]!.complete === false) {
        this.lastComplete = false
        return changed
      }
    }
    // Pending: [headPos, headEnd) of each source.
    let pending = 0
    for (let s = 0; s < k; s++) {
      const source = sources[s]!
      this.headPos[s] = source.lowerBound(this.mergedSeq[s]! + 1)
      this.headEnd[s] = source.length
      if (this.loadHead(s)) pending++
    }
    if (pending === 0) {
      this.lastComplete = true
      return changed
    }
    changed = true
    this.rewind()
    let steps = 0
    for (;;) {
      // The source with the earliest head; the first source wins a tie.
      let best = -1
      let bestTime = 0
      for (let s = 0; s < k; s++) {
        if (this.headPos[s]! >= this.headEnd[s]!) continue
        const t = this.headTime[s]!
        if (best < 0 || t < bestTime) {
          best = s
          bestTime = t
        }
      }
      if (best < 0) break
      const seq = this.headSeq[best]!
      this.push(best, seq, bestTime)
      this.mergedSeq[best] = seq
      this.headPos[best]!++
      this.loadHead(best)
      // Look at the clock only every 1,024 entries: performance.now() is not free either.
      if ((++steps & 1023) === 0 && performance.now() > deadline) {
        this.lastComplete = false
        return true
      }
    }
    this.lastComplete = true
    return changed
  }

  /**
   * Pending events earlier than the merged tail: take the tail back (its sources will merge it again) until the
   * last entry sorts before every pending head.
   */
  private rewind(): void {
    const k = this.sources.length
    let minTime = Number.POSITIVE_INFINITY
    let minSource = k
    for (let s = 0; s < k; s++) {
      if (this.headPos[s]! >= this.headEnd[s]!) continue
      const t = this.headTime[s]!
      if (t < minTime) {
        minTime = t
        minSource = s
      }
    }
    let rewound = false
    while (this.end > this.start) {
      const last = this.end - 1
      const t = this.times[last]!
      const s = this.src[last]!
      if (t < minTime || (t === minTime && s <= minSource)) break
      this.end = last
      this.indexed[s]!--
      // seqs are integers: everything after seq - 1 is pending again.
      this.mergedSeq[s] = this.seqs[last]! - 1
      rewound = true
    }
    if (!rewound) return
    for (let s = 0; s < k; s++) {
      this.headPos[s] = this.sources[s]!.lowerBound(this.mergedSeq[s]! + 1)
      this.loadHead(s)
    }
  }

  /**
   * Read the event at source `s`'s pending position into the head (time, seq); false when nothing is pending. A
   * position whose event is gone (a filtered view not yet told that its timeline dropped it) is skipped.
   */
  private loadHead(s: number): boolean {
    const source = this.sources[s]!
    const end = this.headEnd[s]!
    for (let pos = this.headPos[s]!; pos < end; pos++) {
      const event = source.get(pos)
      if (event) {
        let offset = this.offsets[s]!
        if (Number.isNaN(offset)) {
          offset = this.options.origin?.(s) ?? event.time
          this.offsets[s] = offset
        }
        this.headPos[s] = pos
        this.headTime[s] = event.time - offset
        this.headSeq[s] = event.seq
        return true
      }
    }
    this.headPos[s] = end
    return false
  }

  /**
   * Remove the entries whose events their sources dropped. They all sort before each source's oldest retained
   * event, so they lie at the front, mixed only with older events of sources that dropped nothing: scan from the
   * front until all dead ones are passed and slide the live ones among them up to the clean part.
   */
  private compact(): boolean {
    const sources = this.sources
    const k = sources.length
    let dead = 0
    for (let s = 0; s < k; s++) {
      const source = sources[s]!
      // Events of this source with seq ≤ mergedSeq that are still retained are all in the index.
      const live = source.lowerBound(this.mergedSeq[s]! + 1)
      const gone = this.indexed[s]! - live
      if (gone < 0) {
        // The source no longer matches what was merged (its view was rebuilt): merge anew.
        this.reset()
        return true
      }
      dead += gone
    }
    if (dead === 0) return false
    const floors = new Float64Array(k)
    for (let s = 0; s < k; s++) {
      const source = sources[s]!
      floors[s] = source.length > 0 ? source.seqAt(0)! : Number.POSITIVE_INFINITY
    }
    // Find the end of the region holding the dead entries.
    let seen = 0
    let boundary = this.start
    while (seen < dead && boundary < this.end) {
      const s = this.src[boundary]!
      if (this.seqs[boundary]! < floors[s]!) {
        seen++
        this.indexed[s]!--
      }
      boundary++
    }
    // Slide the live entries of that region, in order, to end at the boundary.
    let write = boundary
    for (let read = boundary - 1; read >= this.start; read--) {
      const s = this.src[read]!
      if (this.seqs[read]! < floors[s]!) continue
      write--
      if (write !== read) {
        this.src[write] = s
        this.seqs[write] = this.seqs[read]!
        this.times[write] = this.times[read]!
      }
    }
    this.start = write
    return true
  }

  private push(source: number, seq: number, time: number): void {
    if (this.end === this.src.length) {
      const live = this.end - this.start
      if (live * 2 <= this.src.length) {
        // Reuse the space compaction left at the front before growing.
        this.src.copyWithin(0, this.start, this.end)
        this.seqs.copyWithin(0, this.start, this.end)
        this.times.copyWithin(0, this.start, this.end)
      }
      else {
        const capacity = this.src.length * 2
        const src = new Uint8Array(capacity)
        const seqs = new Float64Array(capacity)
        const times = new Float64Array(capacity)
        src.set(this.src.subarray(this.start, this.end))
        seqs.set(this.seqs.subarray(this.start, this.end))
        times.set(this.times.subarray(this.start, this.end))
        this.src = src
        this.seqs = seqs
        this.times = times
      }
      this.start = 0
      this.end = live
    }
    this.src[this.end] = source
    this.seqs[this.end] = seq
    this.times[this.end] = time
    this.end++
    this.indexed[source]!++
  }
}

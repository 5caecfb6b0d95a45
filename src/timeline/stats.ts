import type { TimelineEvent } from '../protocol/types'
import type { EventKind } from '../protocol/events'
import type { Timeline } from './timeline'

export interface Summary {
  count: number
  min: number
  median: number
  /** Nearest-rank 95th percentile. */
  p95: number
  max: number
}

/** min / median / p95 / max of a list of numbers (nearest-rank percentiles), or undefined when empty. */
export function summarize(values: ArrayLike<number>): Summary | undefined {
  const n = values.length
  if (n === 0) return undefined
  const sorted = Float64Array.from(values).sort()
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  return { count: n, min: sorted[0]!, median, p95: rank(0.95), max: sorted[n - 1]! }
}

/** Columnar per-bucket throughput: cheap to append to and handed to uPlot as is. */
export interface ThroughputSeries {
  /** Bucket start, epoch ms. */
  time: number[]
  framesIn: number[]
  framesOut: number[]
  bytesIn: number[]
  bytesOut: number[]
}

export interface Sample { time: number, value: number }

/** Something worth a vertical line on the charts' time axis. */
export interface StatsMarker {
  time: number
  kind: string
  label: string
}

export interface TimelineStatsOptions {
  /**
   * Width of a throughput bucket; rates are per second whatever the width.
   * @default 1000
   */
  bucketMs?: number
  /**
   * Most buckets kept (the oldest go first).
   * @default 86_400 (a day at one-second buckets)
   */
  maxBuckets?: number
  /**
   * Most latency samples and markers kept each.
   * @default 100_000
   */
  maxSamples?: number
}

/** Kinds that mark the charts' time axis: reconnect steps and transport upgrades. */
const MARKER_KINDS: ReadonlySet<string> = new Set<EventKind>(['reconnect_attempt', 'reconnect', 'reconnect_failed', 'upgrade', 'upgradeError'])
/** Kinds after which the next heartbeat starts a new series: the interval across a reconnect is not a heartbeat. */
const HEARTBEAT_RESET_KINDS: ReadonlySet<string> = new Set<EventKind>(['open', 'close', 'handshake', 'disconnect', 'reconnect_attempt'])
/** A silence longer than this many buckets is drawn as one zero bucket on each side, not thousands. */
const MAX_GAP_BUCKETS = 600

/** What the throughput reads of a frame. */
interface FrameFacts { dir: 'in' | 'out', size: number, time: number }

function pushCapped<T>(list: T[], item: T, max: number): void {
  list.push(item)
  if (list.length > max) list.splice(0, list.length - max)
}

/**
 * Statistics over a timeline, extended incrementally like the filtered view: throughput in/out per bucket,
 * heartbeat intervals, ack round trips, and markers. Stats cover every event seen since the last clear, including
 * ones the ring buffer later dropped.
 */
export class TimelineStats {
  readonly bucketMs: number
  readonly maxBuckets: number
  readonly maxSamples: number
  readonly throughput: ThroughputSeries = { time: [], framesIn: [], framesOut: [], bytesIn: [], bytesOut: [] }
  /** Time between heartbeats (Engine.IO pings: v4 servers ping the client, v2 clients ping the server). */
  readonly heartbeats: Sample[] = []
  /** Acknowledgement round trips (emit → ack). */
  readonly acks: Sample[] = []
  readonly markers: StatsMarker[] = []
  private scannedSeq = 0
  private readonly facts: FrameFacts = { dir: 'in', size: 0, time: 0 }
  private epoch = -1
  private lastPing: Record<string, number | undefined> = {}

  constructor(options: TimelineStatsOptions = {}) {
    this.bucketMs = Math.max(1, options.bucketMs ?? 1000)
    this.maxBuckets = Math.max(2, options.maxBuckets ?? 86_400)
    this.maxSamples = Math.max(1, options.maxSamples ?? 100_000)
  }

  /** Take in the events appended since the last call; returns true when anything was added. */
  update(timeline: Timeline): boolean {
    let changed = false
    if (timeline.epoch !== this.epoch) {
      this.reset()
      this.epoch = timeline.epoch
      changed = true
    }
    const length = timeline.length
    const facts = this.facts
    for (let i = timeline.lowerBound(this.scannedSeq + 1); i < length; i++) {
      // A compact frame is counted from the timeline's columns, without making its event. The other compact events
      // (packet events, application events) are none of the kinds `add` reads, and are skipped without being made.
      if (timeline.frameFactsAt(i, facts)) this.addFrame(facts)
      else {
        const event = timeline.objectAt(i)
        if (event !== undefined) this.add(event)
      }
      changed = true
    }
    this.scannedSeq = timeline.seqNext - 1
    return changed
  }

  add(event: TimelineEvent): void {
    if (event.layer === 'wire' && event.kind === 'frame') {
      if (event.dir === 'in' || event.dir === 'out') {
        const size = event.size ?? (typeof event.data === 'string' ? event.data.length : event.data?.byteLength ?? 0)
        this.addFrame({ dir: event.dir, size, time: event.time })
      }
    }
    else if (event.kind === 'ping' && event.layer === 'engine') {
      // Measured from the previous ping when a ping comes without its interval (not from a driver of this version).
      const interval: number | undefined = event.detail?.intervalMs
      const last = this.lastPing[event.dir]
      const value = typeof interval === 'number' ? interval : last !== undefined ? event.time - last : undefined
      if (value !== undefined) pushCapped(this.heartbeats, { time: event.time, value }, this.maxSamples)
      this.lastPing[event.dir] = event.time
    }
    else if (event.layer === 'app' && event.kind === 'ack') {
      pushCapped(this.acks, { time: event.time, value: event.rttMs }, this.maxSamples)
    }
    if (MARKER_KINDS.has(event.kind)) {
      const label = event.attempt !== undefined ? `${event.kind} #${event.attempt}` : event.kind
      pushCapped(this.markers, { time: event.time, kind: event.kind, label }, this.maxSamples)
    }
    if (HEARTBEAT_RESET_KINDS.has(event.kind) && event.layer !== 'wire') this.lastPing = {}
  }

  /** Summary of ack round trips. */
  ackSummary(): Summary | undefined {
    return summarize(this.acks.map(s => s.value))
  }

  /** Summary of heartbeat intervals. */
  heartbeatSummary(): Summary | undefined {
    return summarize(this.heartbeats.map(s => s.value))
  }

  /** Rates per second for bucket `i` (the buckets may be wider or narrower than a second). */
  rate(values: number[], i: number): number {
    return (values[i] ?? 0) * 1000 / this.bucketMs
  }

  reset(): void {
    const t = this.throughput
    t.time.length = t.framesIn.length = t.framesOut.length = t.bytesIn.length = t.bytesOut.length = 0
    this.heartbeats.length = 0
    this.acks.length = 0
    this.markers.length = 0
    this.scannedSeq = 0
    this.lastPing = {}
  }

  private addFrame(event: FrameFacts): void {
    const t = this.throughput
    const bucketStart = Math.floor(event.time / this.bucketMs) * this.bucketMs
    const lastStart = t.time[t.time.length - 1]
    let index: number
    if (lastStart === undefined || bucketStart > lastStart) {
      if (lastStart !== undefined) {
        const gap = (bucketStart - lastStart) / this.bucketMs - 1
        if (gap > MAX_GAP_BUCKETS) {
          this.pushBucket(lastStart + this.bucketMs)
          this.pushBucket(bucketStart - this.bucketMs)
        }
        else {
          for (let b = 1; b <= gap; b++) this.pushBucket(lastStart + b * this.bucketMs)
        }
      }
      this.pushBucket(bucketStart)
      index = t.time.length - 1
    }
    else {
      // Out of order (imports merge connections): find the bucket; before the first one counts in the first.
      index = this.findBucket(bucketStart)
    }
    if (event.dir === 'in') {
      t.framesIn[index]! += 1
      t.bytesIn[index]! += event.size
    }
    else {
      t.framesOut[index]! += 1
      t.bytesOut[index]! += event.size
    }
  }

  private pushBucket(start: number): void {
    const t = this.throughput
    t.time.push(start)
    t.framesIn.push(0)
    t.framesOut.push(0)
    t.bytesIn.push(0)
    t.bytesOut.push(0)
    if (t.time.length > this.maxBuckets) {
      const excess = t.time.length - this.maxBuckets
      for (const list of [t.time, t.framesIn, t.framesOut, t.bytesIn, t.bytesOut]) list.splice(0, excess)
    }
  }

  private findBucket(start: number): number {
    const times = this.throughput.time
    let lo = 0
    let hi = times.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (times[mid]! <= start) lo = mid
      else hi = mid - 1
    }
    return lo
  }
}

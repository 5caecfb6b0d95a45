import { describe, expect, it } from 'vitest'
import type { DraftEvent } from '../../src/protocol/types'
import { draft } from '../support/events'
import { summarize, TimelineStats } from '../../src/timeline/stats'
import { Timeline } from '../../src/timeline/timeline'

const T0 = 1_700_000_000_000 // a whole second
/**
 * A ping without its interval, which no driver of this version records (the contract requires detail.intervalMs):
 * the stats then measure from the previous ping. Outside the contract on purpose, hence the cast.
 */
function withoutInterval(time: number): DraftEvent {
  const { detail: _detail, ...ping } = draft('engine', 'ping', { time, dir: 'out' })
  return ping as unknown as DraftEvent
}

describe('summarize', () => {
  it('gives min, median, nearest-rank p95 and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ count: 3, min: 1, median: 3, p95: 5, max: 5 })
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, min: 1, median: 2.5, p95: 4, max: 4 })
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i) // 100..1
    expect(summarize(hundred)).toEqual({ count: 100, min: 1, median: 50.5, p95: 95, max: 100 })
    expect(summarize([])).toBeUndefined()
  })
})

describe('TimelineStats', () => {
  it('buckets frames and bytes in and out per second, filling silent seconds with zeros', () => {
    const t = new Timeline()
    t.append(draft('wire', 'frame', { time: T0 + 10, size: 100 }))
    t.append(draft('wire', 'frame', { time: T0 + 900, size: 50 }))
    t.append(draft('wire', 'frame', { time: T0 + 950, dir: 'out', size: 7 }))
    t.append(draft('wire', 'frame', { time: T0 + 3_100, size: 1 })) // two silent seconds before it
    t.append(draft('lifecycle', 'open', { time: T0 + 3_200, dir: 'local' })) // not a frame
    const stats = new TimelineStats()
    expect(stats.update(t)).toBe(true)
    expect(stats.throughput).toEqual({
      time: [T0, T0 + 1000, T0 + 2000, T0 + 3000],
      framesIn: [2, 0, 0, 1],
      framesOut: [1, 0, 0, 0],
      bytesIn: [150, 0, 0, 1],
      bytesOut: [7, 0, 0, 0],
    })
  })

  it('takes in only new events on update, and nothing twice', () => {
    const t = new Timeline()
    const stats = new TimelineStats()
    t.append(draft('wire', 'frame', { time: T0, size: 1 }))
    stats.update(t)
    expect(stats.update(t)).toBe(false)
    t.append(draft('wire', 'frame', { time: T0 + 1, size: 2 }))
    stats.update(t)
    expect(stats.throughput.framesIn).toEqual([2])
    expect(stats.throughput.bytesIn).toEqual([3])
  })

  it('rates are per second whatever the bucket width', () => {
    const stats = new TimelineStats({ bucketMs: 250 })
    stats.add({ seq: 1, ...draft('wire', 'frame', { time: T0 + 10 }) })
    stats.add({ seq: 2, ...draft('wire', 'frame', { time: T0 + 20 }) })
    expect(stats.rate(stats.throughput.framesIn, 0)).toBe(8)
  })

  it('draws a long silence as one zero bucket each side', () => {
    const stats = new TimelineStats()
    stats.add({ seq: 1, ...draft('wire', 'frame', { time: T0 }) })
    stats.add({ seq: 2, ...draft('wire', 'frame', { time: T0 + 3_600_000 }) })
    expect(stats.throughput.time).toEqual([T0, T0 + 1000, T0 + 3_599_000, T0 + 3_600_000])
    expect(stats.throughput.framesIn).toEqual([1, 0, 0, 1])
  })

  it('puts out-of-order frames (merged imports) into their own bucket', () => {
    const stats = new TimelineStats()
    for (const [seq, time] of [[1, T0 + 5], [2, T0 + 2500], [3, T0 + 1500], [4, T0 - 9000]] as const)
      stats.add({ seq, ...draft('wire', 'frame', { time }) })
    expect(stats.throughput.time).toEqual([T0, T0 + 1000, T0 + 2000])
    expect(stats.throughput.framesIn).toEqual([2, 1, 1]) // the one before the first bucket counts in the first
  })

  it('measures heartbeat intervals from the driver, or between pings, and not across a reconnect', () => {
    const t = new Timeline()
    t.append(draft('engine', 'ping', { time: T0, detail: { intervalMs: 25_003, expectedMs: 25_000 } }))
    t.append(withoutInterval(T0 + 100)) // v2: the client pings
    t.append(withoutInterval(T0 + 25_200))
    t.append(draft('lifecycle', 'reconnect_attempt', { time: T0 + 26_000, dir: 'local', attempt: 1 }))
    t.append(withoutInterval(T0 + 60_000))
    const stats = new TimelineStats()
    stats.update(t)
    expect(stats.heartbeats).toEqual([{ time: T0, value: 25_003 }, { time: T0 + 25_200, value: 25_100 }])
    expect(stats.heartbeatSummary()).toEqual({ count: 2, min: 25_003, median: 25_051.5, p95: 25_100, max: 25_100 })
  })

  it('collects ack round trips and summarizes them', () => {
    const t = new Timeline()
    for (const [i, rtt] of [3, 1, 2, 10].entries())
      t.append(draft('app', 'ack', { time: T0 + i, ackId: i, rttMs: rtt }))
    t.append(draft('app', 'ack_timeout', { time: T0 + 9, dir: 'local', ackId: 9 }))
    const stats = new TimelineStats()
    stats.update(t)
    expect(stats.acks.map(s => s.value)).toEqual([3, 1, 2, 10])
    expect(stats.ackSummary()).toEqual({ count: 4, min: 1, median: 2.5, p95: 10, max: 10 })
  })

  it('marks reconnects and upgrades', () => {
    const t = new Timeline()
    t.append(draft('engine', 'upgrade', { time: T0, dir: 'local', transport: 'websocket' }))
    t.append(draft('lifecycle', 'reconnect_attempt', { time: T0 + 1, dir: 'local', attempt: 2 }))
    t.append(draft('lifecycle', 'reconnect', { time: T0 + 2, dir: 'local', attempt: 2 }))
    t.append(draft('engine', 'upgradeError', { time: T0 + 3, dir: 'local' }))
    const stats = new TimelineStats()
    stats.update(t)
    expect(stats.markers).toEqual([
      { time: T0, kind: 'upgrade', label: 'upgrade' },
      { time: T0 + 1, kind: 'reconnect_attempt', label: 'reconnect_attempt #2' },
      { time: T0 + 2, kind: 'reconnect', label: 'reconnect #2' },
      { time: T0 + 3, kind: 'upgradeError', label: 'upgradeError' },
    ])
  })

  it('starts over when the timeline is cleared, and caps what it keeps', () => {
    const t = new Timeline()
    const stats = new TimelineStats({ maxBuckets: 2, maxSamples: 2 })
    for (let i = 0; i < 4; i++) t.append(draft('app', 'ack', { time: T0 + i * 1000, rttMs: i }))
    for (let i = 0; i < 4; i++) t.append(draft('wire', 'frame', { time: T0 + i * 1000 }))
    stats.update(t)
    expect(stats.acks.map(s => s.value)).toEqual([2, 3])
    expect(stats.throughput.time).toEqual([T0 + 2000, T0 + 3000])
    t.clear()
    t.append(draft('wire', 'frame', { time: T0 + 5000 }))
    stats.update(t)
    expect(stats.acks).toEqual([])
    expect(stats.throughput.time).toEqual([T0 + 5000])
  })
})

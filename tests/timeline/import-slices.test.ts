import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '../../src/protocol/types'
import { runInSlices, sortInSlices, timelineInSlices } from '../../src/timeline/importCommon'
import { Timeline } from '../../src/timeline/timeline'

const frame = (seq: number, time = seq): TimelineEvent => ({ seq, time, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: `#${seq}`, size: 3 })
const summary = (t: Timeline) => ({ seqs: t.toArray().map(e => e.seq), next: t.seqNext, length: t.length, inWire: t.count('wire', 'in'), bytes: t.bytes })

describe('timelineInSlices: Timeline.from in slices', () => {
  it.each([
    ['numbers that run on from 1', Array.from({ length: 5000 }, (_, i) => frame(i + 1))],
    ['numbers that run on from 70,001 (the ring had dropped the oldest)', Array.from({ length: 5000 }, (_, i) => frame(70_001 + i))],
    ['numbers with gaps (a filtered view)', Array.from({ length: 5000 }, (_, i) => frame(3 * i + 2))],
    ['numbers out of order (renumbered from 1)', Array.from({ length: 5000 }, (_, i) => frame(i % 7 === 0 ? 1 : i + 10))],
    ['no events', []],
  ])('builds the timeline Timeline.from builds: %s', async (_, events) => {
    const expected = Timeline.from(events.map(e => ({ ...e })), { maxEvents: 10 })
    let progressed = 0
    const built = await runInSlices(timelineInSlices(events.map(e => ({ ...e })), { maxEvents: 10 }), { budgetMs: 0, onProgress: () => { progressed++ } })
    expect(summary(built)).toEqual(summary(expected))
    if (events.length > 0) expect(progressed).toBeGreaterThan(0)
  })

  it('yields between thousands of events, so no slice holds the page', () => {
    const work = timelineInSlices(Array.from({ length: 10_000 }, (_, i) => frame(i + 1)))
    let steps = 0
    while (!work.next().done) steps++
    expect(steps).toBeGreaterThanOrEqual(9)
  })

  it('tells the first listener of the next append, as Timeline.from does', async () => {
    const built = await runInSlices(timelineInSlices([frame(1), frame(2)]))
    let told = 0
    built.subscribe(() => { told++ })
    built.append({ time: 3, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: '#3', size: 2 })
    expect(told).toBe(1)
    expect(built.toArray().map(e => e.seq)).toEqual([1, 2, 3])
  })
})

describe('sortInSlices', () => {
  it('sorts stably, and returns a copy of a list already in order', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ key: (i * 7919) % 100, i }))
    const sorted = await runInSlices(sortInSlices(items, (a, b) => a.key - b.key))
    expect(sorted).toEqual([...items].sort((a, b) => a.key - b.key))
    const again = await runInSlices(sortInSlices(sorted, (a, b) => a.key - b.key))
    expect(again).toEqual(sorted)
    expect(again).not.toBe(sorted)
  })
})

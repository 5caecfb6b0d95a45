import { describe, expect, it } from 'vitest'
import type { DraftEvent } from '../../src/protocol/types'
import { FilteredView } from '../../src/timeline/filter'
import { MergedIndex } from '../../src/timeline/merge'
import { Timeline } from '../../src/timeline/timeline'
import { createFilterSpec, type TimelineFilterSpec } from '../../src/timeline/viewState'

function frame(time: number, data: string, dir: 'in' | 'out' = 'in'): DraftEvent {
  return { seq: 0, time, layer: 'wire', kind: 'frame', dir, transport: 'websocket', data, size: data.length }
}

/** What the merged view shows: `<source>:<payload>` per row. */
function rows(index: MergedIndex): string[] {
  const out: string[] = []
  for (let i = 0; i < index.length; i++) {
    const row = index.get(i)
    out.push(row ? `${row.source}:${String(row.event.kind === 'frame' ? row.event.data : row.event.kind)}` : 'gone')
  }
  return out
}

/** A merge of filtered views that share one spec, as the side by side view holds them. */
function views(timelines: Timeline[], spec: TimelineFilterSpec = createFilterSpec()): { views: FilteredView[], index: MergedIndex, update: () => void } {
  const list = timelines.map(t => new FilteredView(t, spec))
  const index = new MergedIndex(list)
  return {
    views: list,
    index,
    update() {
      for (const v of list) v.update()
      index.update()
    },
  }
}

/** The reference: every retained event of every source, sorted by (time, source, seq). */
function reference(sources: FilteredView[]): string[] {
  const all: { time: number, source: number, seq: number, data: string }[] = []
  sources.forEach((view, source) => {
    for (let i = 0; i < view.length; i++) {
      const e = view.get(i)!
      all.push({ time: e.time, source, seq: e.seq, data: e.kind === 'frame' ? String(e.data) : e.kind })
    }
  })
  all.sort((a, b) => a.time - b.time || a.source - b.source || a.seq - b.seq)
  return all.map(e => `${e.source}:${e.data}`)
}

describe('MergedIndex: k-way merge by time', () => {
  it('interleaves three sessions by event time', () => {
    const [a, b, c] = [new Timeline(), new Timeline(), new Timeline()]
    for (const t of [1, 4, 7]) a.append(frame(t, `a${t}`))
    for (const t of [2, 5, 8]) b.append(frame(t, `b${t}`))
    for (const t of [3, 6, 9]) c.append(frame(t, `c${t}`))
    const m = views([a, b, c])
    m.update()
    expect(rows(m.index)).toEqual(['0:a1', '1:b2', '2:c3', '0:a4', '1:b5', '2:c6', '0:a7', '1:b8', '2:c9'])
    expect(m.index.complete).toBe(true)
  })

  it('keeps ties stable: equal times in the sources\' order, and one session\'s events in its own order', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    b.append(frame(10, 'b1'))
    a.append(frame(10, 'a1'))
    a.append(frame(10, 'a2'))
    b.append(frame(10, 'b2'))
    // A clock that went back inside one session: its order wins over its times.
    a.append(frame(12, 'a3'))
    a.append(frame(11, 'a4'))
    const m = views([a, b])
    m.update()
    expect(rows(m.index)).toEqual(['0:a1', '0:a2', '1:b1', '1:b2', '0:a3', '0:a4'])
  })

  it('merges only what is new on each update, and merges a late event into the tail', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    const m = views([a, b])
    a.append(frame(1, 'a1'))
    b.append(frame(2, 'b2'))
    m.update()
    expect(rows(m.index)).toEqual(['0:a1', '1:b2'])
    b.append(frame(5, 'b5'))
    m.update()
    // a's event stamped before b's last one, recorded after it: rewound into place.
    a.append(frame(3, 'a3'))
    a.append(frame(6, 'a6'))
    expect(m.index.update()).toBe(true)
    expect(rows(m.index)).toEqual(['0:a1', '1:b2', '0:a3', '1:b5', '0:a6'])
    expect(m.index.update()).toBe(false)
  })

  it('finds rows by source and seq, and positions by time', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    for (let i = 0; i < 100; i++) (i % 3 ? a : b).append(frame(i, `x${i}`))
    const m = views([a, b])
    m.update()
    for (let i = 0; i < m.index.length; i++) {
      expect(m.index.indexOf(m.index.sourceAt(i)!, m.index.seqAt(i)!)).toBe(i)
      expect(m.index.timeAt(i)).toBe(i)
    }
    expect(m.index.lowerBound(50.5)).toBe(51)
    expect(m.index.indexOf(0, 10_000)).toBe(-1)
  })

  it('matches a full sort after random appends, ties and evictions, update by update', () => {
    let seed = 42
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const timelines = [new Timeline({ maxEvents: 50 }), new Timeline({ maxEvents: 200 }), new Timeline({ maxEvents: 30 })]
    const m = views(timelines)
    let clock = 0
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(random() * 20)
      for (let i = 0; i < n; i++) {
        if (random() < 0.7) clock += Math.floor(random() * 3) // many equal times
        const s = Math.floor(random() * 3)
        timelines[s]!.append(frame(clock, `r${round}.${i}`))
      }
      m.update()
      expect(rows(m.index)).toEqual(reference(m.views))
    }
  })
})

describe('MergedIndex: ring buffer eviction', () => {
  it('drops the rows a flooding session dropped, keeping the quiet session\'s old rows', () => {
    const quiet = new Timeline()
    const flood = new Timeline({ maxEvents: 100 })
    quiet.append(frame(0, 'q0'))
    const m = views([quiet, flood])
    for (let i = 1; i <= 10_000; i++) {
      flood.append(frame(i, `f${i}`))
      if (i === 5) quiet.append(frame(5.5, 'q5'))
      if (i % 250 === 0) m.update()
    }
    m.update()
    expect(m.index.length).toBe(102)
    expect(rows(m.index).slice(0, 4)).toEqual(['0:q0', '0:q5', '1:f9901', '1:f9902'])
    expect(rows(m.index).at(-1)).toBe('1:f10000')
    expect(rows(m.index)).toEqual(reference(m.views))
  })

  it('drops what was merged before a clear, and merges what comes after', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    a.append(frame(1, 'a1'))
    b.append(frame(2, 'b2'))
    const m = views([a, b])
    m.update()
    a.clear()
    a.append(frame(3, 'a3'))
    m.update()
    expect(rows(m.index)).toEqual(['1:b2', '0:a3'])
  })

  it('shows no dropped event between updates: a row whose event is gone reads as undefined', () => {
    const a = new Timeline({ maxEvents: 2 })
    const m = views([a])
    a.append(frame(1, 'a1'))
    a.append(frame(2, 'a2'))
    m.update()
    a.append(frame(3, 'a3'))
    expect(m.index.get(0)).toBeUndefined()
    m.update()
    expect(rows(m.index)).toEqual(['0:a2', '0:a3'])
  })
})

describe('MergedIndex: filters', () => {
  it('merges only what matches the filter every session shares', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    a.append(frame(1, 'hello from a', 'out'))
    b.append(frame(2, 'hello from a', 'in'))
    a.append(frame(3, 'other', 'out'))
    b.append(frame(4, 'bye', 'in'))
    const spec = createFilterSpec({ text: 'hello' })
    const m = views([a, b], spec)
    m.update()
    expect(rows(m.index)).toEqual(['0:hello from a', '1:hello from a'])
    a.append(frame(5, 'hello again'))
    m.update()
    expect(rows(m.index)).toEqual(['0:hello from a', '1:hello from a', '0:hello again'])
  })

  it('merges anew when the filter changes (the views were rebuilt)', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    a.append(frame(1, 'x', 'out'))
    b.append(frame(2, 'y', 'in'))
    a.append(frame(3, 'z', 'in'))
    const m = views([a, b])
    m.update()
    expect(m.index.length).toBe(3)
    for (const v of m.views) v.setFilter(createFilterSpec({ directions: ['in'] }))
    m.index.reset()
    m.update()
    expect(rows(m.index)).toEqual(['1:y', '0:z'])
    // Back to no filter: everything again.
    for (const v of m.views) v.setFilter(createFilterSpec())
    m.index.reset()
    m.update()
    expect(rows(m.index)).toEqual(['0:x', '1:y', '0:z'])
  })

  it('waits while a source is still applying its filter, then merges in time slices', () => {
    const [a, b] = [new Timeline(), new Timeline()]
    for (let i = 0; i < 5000; i++) {
      a.append(frame(2 * i, i % 2 ? `a${i} odd` : `a${i} even`))
      b.append(frame(2 * i + 1, i % 2 ? `b${i} odd` : `b${i} even`))
    }
    const spec = createFilterSpec({ text: 'even' })
    const list = [new FilteredView(a), new FilteredView(b)]
    // A deadline already passed: each view tests 1,024 events and stops.
    for (const v of list) v.setFilter(spec, 0)
    const index = new MergedIndex(list)
    expect(list[0]!.complete).toBe(false)
    index.update()
    expect(index.length).toBe(0)
    expect(index.complete).toBe(false)
    for (const v of list) v.update()
    expect(index.update(0)).toBe(true)
    expect(index.complete).toBe(false)
    expect(index.length).toBe(1024)
    while (!index.complete) index.update(0)
    expect(index.length).toBe(5000)
    expect(rows(index)).toEqual(reference(list))
  })
})

describe('MergedIndex: aligned starts', () => {
  it('places each session by its time since its own start, so a recording and its replay line up', () => {
    const recording = new Timeline()
    const replay = new Timeline()
    // Recorded yesterday; replayed now, each step a little later than recorded.
    for (const [t, data] of [[0, 'connect'], [100, 'a'], [300, 'b']] as const) recording.append(frame(1_000 + t, `rec ${data}`))
    const views = [new FilteredView(recording), new FilteredView(replay)]
    const index = new MergedIndex(views, { alignStarts: true, origin: s => [recording, replay][s]!.get(0)?.time })
    index.update()
    expect(rows(index)).toEqual(['0:rec connect', '0:rec a', '0:rec b'])
    for (const [t, data] of [[0, 'connect'], [120, 'a'], [290, 'b']] as const) replay.append(frame(90_000_000 + t, `replay ${data}`))
    for (const v of views) v.update()
    index.update()
    expect(rows(index)).toEqual(['0:rec connect', '1:replay connect', '0:rec a', '1:replay a', '1:replay b', '0:rec b'])
    expect(index.offsetOf(1)).toBe(90_000_000)
    expect(index.timeAt(3)).toBe(120)
    expect(index.indexOf(1, 2)).toBe(3)
    // By wall-clock time, the replay comes after the whole recording.
    const byClock = new MergedIndex(views)
    byClock.update()
    expect(rows(byClock).slice(0, 3)).toEqual(['0:rec connect', '0:rec a', '0:rec b'])
  })

  it('keeps the origin when the first events are dropped or the filter changes', () => {
    const a = new Timeline({ maxEvents: 2 })
    const b = new Timeline()
    a.append(frame(1000, 'a0'))
    b.append(frame(5000, 'b0'))
    const views = [new FilteredView(a), new FilteredView(b)]
    const index = new MergedIndex(views, { alignStarts: true })
    index.update()
    a.append(frame(1010, 'a10'))
    a.append(frame(1020, 'a20'))
    b.append(frame(5015, 'b15'))
    for (const v of views) v.update()
    index.update()
    expect(rows(index)).toEqual(['1:b0', '0:a10', '1:b15', '0:a20'])
    index.reset()
    index.update()
    expect(rows(index)).toEqual(['1:b0', '0:a10', '1:b15', '0:a20'])
  })
})

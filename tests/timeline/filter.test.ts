import { describe, expect, it } from 'vitest'
import type { DraftEvent } from '../../src/protocol/types'
import { draft, event as timelineEvent } from '../support/events'
import { compileFilter, FilteredView, filterKey } from '../../src/timeline/filter'
import { previewOf, searchableText } from '../../src/timeline/payload'
import { Timeline } from '../../src/timeline/timeline'
import { importedExplanation } from '../../src/timeline/exportWords'
import { createFilterSpec } from '../../src/timeline/viewState'

const enc = new TextEncoder()

/** A small Socket.IO-shaped session: every layer, both directions, two namespaces, binary. */
function sample(): Timeline {
  const t = new Timeline()
  t.append(draft('lifecycle', 'connecting', { dir: 'local' })) // 1
  t.append(draft('wire', 'frame', { data: '0{"sid":"abc"}' })) // 2
  t.append(draft('engine', 'handshake')) // 3
  t.append(draft('app', 'event', { name: 'chat', namespace: '/', detail: { args: [{ text: 'Hello World' }] } })) // 4
  t.append(draft('app', 'emit', { dir: 'out', name: 'joinRoom', namespace: '/', detail: { args: ['lobby'] } })) // 5
  t.append(draft('app', 'event', { name: 'stats', namespace: '/admin', detail: { args: [enc.encode('secret-bytes').buffer] } })) // 6
  t.append(draft('wire', 'frame', { data: enc.encode('binary HELLO').buffer })) // 7
  t.append(draft('wire', 'frame', { dir: 'out', data: '42["chat","hello again"]' })) // 8
  t.append(draft('lifecycle', 'close', { code: 1006, reason: '', explain: importedExplanation('closed without a close frame') })) // 9
  return t
}

function matching(t: Timeline, spec: Parameters<typeof createFilterSpec>[0]): number[] {
  const view = new FilteredView(t, createFilterSpec(spec))
  return Array.from({ length: view.length }, (_, i) => view.get(i)!.seq)
}

describe('compileFilter', () => {
  it('lets everything through with an empty spec (no predicate at all)', () => {
    expect(compileFilter(createFilterSpec())).toEqual({ ok: true, predicate: null })
    // Every direction / every layer selected is no restriction either.
    expect(compileFilter(createFilterSpec({ directions: ['in', 'out', 'local'] }))).toEqual({ ok: true, predicate: null })
  })

  it('explains an invalid regular expression', () => {
    const result = compileFilter(createFilterSpec({ text: '([a-', regex: true }))
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatchObject({ key: 'timeline.filter.invalidRegex', params: { detail: expect.any(String) } })
  })

  it('keys equal specs equally whatever the order of chips', () => {
    expect(filterKey(createFilterSpec({ directions: ['out', 'in'] }))).toBe(filterKey(createFilterSpec({ directions: ['in', 'out'] })))
    expect(filterKey(createFilterSpec({ text: 'a' }))).not.toBe(filterKey(createFilterSpec({ text: 'A' })))
  })
})

describe('FilteredView', () => {
  it('filters by direction', () => {
    expect(matching(sample(), { directions: ['out'] })).toEqual([5, 8])
    expect(matching(sample(), { directions: ['local'] })).toEqual([1])
  })

  it('filters by layer', () => {
    expect(matching(sample(), { layers: ['lifecycle', 'engine'] })).toEqual([1, 3, 9])
  })

  it('filters by event name or kind, case-insensitively', () => {
    expect(matching(sample(), { name: 'CHAT' })).toEqual([4])
    expect(matching(sample(), { name: 'emit' })).toEqual([5])
    expect(matching(sample(), { name: 'handshake' })).toEqual([3])
  })

  it('filters by namespace exactly', () => {
    expect(matching(sample(), { namespace: '/admin' })).toEqual([6])
    expect(matching(sample(), { namespace: '/' })).toEqual([4, 5])
  })

  it('searches text in payloads, Socket.IO args, binary as UTF-8, and reasons', () => {
    expect(matching(sample(), { text: 'hello' })).toEqual([4, 7, 8])
    expect(matching(sample(), { text: 'hello', caseSensitive: true })).toEqual([8])
    expect(matching(sample(), { text: 'secret-bytes' })).toEqual([6])
    expect(matching(sample(), { text: 'close frame' })).toEqual([9])
  })

  it('searches with a regular expression', () => {
    expect(matching(sample(), { text: '^42\\[', regex: true })).toEqual([8])
    expect(matching(sample(), { text: '42\\["chat"', regex: true })).toEqual([8])
    expect(matching(sample(), { text: 'h[ae]llo', regex: true })).toEqual([4, 7, 8])
    expect(matching(sample(), { text: 'H[ae]llo', regex: true, caseSensitive: true })).toEqual([4])
  })

  it('combines conditions with AND', () => {
    expect(matching(sample(), { text: 'hello', directions: ['in'], layers: ['wire'] })).toEqual([7])
  })

  it('an invalid regex shows everything and says why', () => {
    const view = new FilteredView(sample(), createFilterSpec({ text: '(', regex: true }))
    expect(view.length).toBe(9)
    expect(view.active).toBe(false)
    expect(view.error?.key).toBe('timeline.filter.invalidRegex')
  })

  it('extends incrementally: update() tests only new events', () => {
    const t = new Timeline()
    let tested = 0
    const view = new FilteredView(t)
    // Count predicate calls through a getter on `kind`, which only the name filter reads (and the timeline, for
    // a wire event: these are lifecycle events, kept as they are).
    view.setFilter(createFilterSpec({ name: 'frame' }))
    const counted = (kind: string): DraftEvent => {
      const e = draft('lifecycle', 'open')
      Object.defineProperty(e, 'kind', { get: () => { tested++; return kind }, enumerable: true })
      return e
    }
    for (let i = 0; i < 5; i++) t.append(counted(i % 2 ? 'frame' : 'open'))
    view.update()
    expect(tested).toBe(5)
    expect(view.length).toBe(2)
    t.append(counted('frame'))
    view.update()
    expect(tested).toBe(6)
    expect(view.length).toBe(3)
    view.update()
    expect(tested).toBe(6)
    expect([0, 1, 2].map(i => view.seqAt(i))).toEqual([2, 4, 6])
  })

  it('rebuilds only when the filter changes', () => {
    const view = new FilteredView(sample())
    expect(view.setFilter(createFilterSpec({ directions: ['out'] }))).toBe(true)
    expect(view.setFilter(createFilterSpec({ directions: ['out'] }))).toBe(false)
    expect(view.length).toBe(2)
    expect(view.setFilter(createFilterSpec())).toBe(true)
    expect(view.length).toBe(9)
  })

  it('follows ring-buffer drops: matches that were dropped leave the view', () => {
    const t = new Timeline({ maxEvents: 4 })
    const view = new FilteredView(t, createFilterSpec({ directions: ['out'] }))
    for (let i = 1; i <= 6; i++) t.append(draft('wire', 'frame', { dir: i % 2 ? 'in' : 'out', data: String(i) }))
    view.update()
    // Retained: 3 4 5 6 → outs 4 and 6.
    expect(Array.from({ length: view.length }, (_, i) => view.get(i)?.data)).toEqual(['4', '6'])
    for (let i = 7; i <= 9; i++) t.append(draft('wire', 'frame', { dir: i % 2 ? 'in' : 'out', data: String(i) }))
    view.update()
    // Retained: 6 7 8 9 → outs 6 and 8.
    expect(Array.from({ length: view.length }, (_, i) => view.get(i)?.data)).toEqual(['6', '8'])
    expect(view.indexOfSeq(8)).toBe(1)
    expect(view.indexOfSeq(4)).toBe(-1)
    expect(view.lowerBound(7)).toBe(1)
  })

  it('keeps a long-running filtered view compact while the ring drops (index space is reused)', () => {
    const t = new Timeline({ maxEvents: 100 })
    const view = new FilteredView(t, createFilterSpec({ directions: ['out'] }))
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) t.append(draft('wire', 'frame', { dir: 'out', data: String(round * 100 + i) }))
      view.update()
    }
    expect(view.length).toBe(100)
    expect(view.get(0)?.data).toBe('4900')
    expect(view.get(99)?.data).toBe('4999')
  })

  it('rebuilds in time slices when given a deadline, carrying on where it stopped', () => {
    const t = new Timeline()
    for (let i = 0; i < 5000; i++) t.append(draft('wire', 'frame', { dir: i % 5 === 0 ? 'out' : 'in' }))
    const view = new FilteredView(t)
    // A deadline already past: each call tests one batch of 1,024 events, then stops.
    view.setFilter(createFilterSpec({ directions: ['out'] }), 0)
    expect(view.complete).toBe(false)
    expect(view.length).toBe(205) // seqs 1, 6, … 1021
    expect(view.progress).toBeCloseTo(1024 / 5000)
    view.update(0)
    expect(view.length).toBe(410)
    t.append(draft('wire', 'frame', { dir: 'out' }))
    view.update()
    expect(view.complete).toBe(true)
    expect(view.progress).toBe(1)
    expect(view.length).toBe(1001)
    expect(view.seqAt(1000)).toBe(5001)
  })

  it('rebuilds after clear()', () => {
    const t = sample()
    const view = new FilteredView(t, createFilterSpec({ directions: ['out'] }))
    t.clear()
    view.update()
    expect(view.length).toBe(0)
    t.append(draft('wire', 'frame', { dir: 'out' }))
    view.update()
    expect(view.length).toBe(1)
    expect(view.get(0)?.seq).toBe(10)
  })

  it('with no filter maps straight onto the timeline', () => {
    const t = sample()
    const view = new FilteredView(t)
    expect(view.length).toBe(9)
    expect(view.get(3)).toBe(t.get(3))
    expect(view.seqAt(8)).toBe(9)
    expect(view.active).toBe(false)
  })
})

describe('payload previews', () => {
  it('previews text, binary, args, closes and reconnect delays on one line', () => {
    const [, wire, , event, , binArgs, bin, , close] = sample().toArray()
    expect(previewOf(wire!)).toBe('0{"sid":"abc"}')
    expect(previewOf(event!)).toBe('[{"text":"Hello World"}]')
    expect(previewOf(binArgs!)).toBe('["<binary 12 B>"]')
    expect(previewOf(bin!)).toBe('binary 12 B: 62 69 6e 61 72 79 20 48 45 4c 4c 4f ')
    expect(previewOf(close!)).toBe('1006  — closed without a close frame')
    expect(previewOf(timelineEvent('lifecycle', 'reconnect_attempt', { seq: 1, time: 0, delayMs: 1234.5 }))).toBe('in 1235 ms')
  })

  it('clips long payloads, leaving control characters for the row to show as markers', () => {
    const e = timelineEvent('wire', 'frame', { seq: 1, time: 0, data: `a\nb\tc${'x'.repeat(500)}` })
    const preview = previewOf(e, 20)
    expect(preview).toBe('a\nb\tcxxxxxxxxxxxxxx…')
    expect(preview.length).toBe(20)
  })

  it('searchable text names kind and event', () => {
    expect(searchableText(timelineEvent('app', 'ack_error', { seq: 1, time: 0, name: 'echo', reason: 'r' }))).toBe('ack_error echo\nr')
  })
})

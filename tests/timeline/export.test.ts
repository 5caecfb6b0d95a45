import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '../../src/protocol/types'
import { eventToLine, exportNdjson, exportNdjsonChunks, exportNdjsonSliced, exportSequenceSliced, type ExportProblem, importTimeline } from '../../src/timeline/importExport'
import { FilteredView } from '../../src/timeline/filter'
import { Timeline } from '../../src/timeline/timeline'
import { createFilterSpec } from '../../src/timeline/viewState'
import { appEvent, draft, event, FIXTURE_TIME, frame } from '../support/events'
import { importErrorWords } from '../support/importWords'
import { nestedArray } from '../support/nested'

const bytes = (...values: number[]) => new Uint8Array(values).buffer

/** Every layer and field, text and binary (every byte value), binary inside Socket.IO args. */
function sampleEvents(): TimelineEvent[] {
  const all = new Uint8Array(256)
  for (let i = 0; i < 256; i++) all[i] = i
  return [
    event('lifecycle', 'connecting', { seq: 1, time: 1_700_000_000_000.25, attempt: 0, detail: { url: 'ws://localhost:8080', protocols: [] } }),
    event('lifecycle', 'open', { seq: 2, time: 1_700_000_000_001.5, dir: 'in', detail: { handshakeMs: 1.25, protocol: '', extensions: 'permessage-deflate' } }),
    event('wire', 'frame', { seq: 3, time: 1_700_000_000_002, dir: 'out', transport: 'websocket', size: 14, data: 'héllo ✓ \u0000\n' }),
    event('wire', 'frame', { seq: 4, time: 1_700_000_000_003, transport: 'websocket', size: 256, data: all.buffer }),
    event('wire', 'frame', { seq: 5, time: 1_700_000_000_004, transport: 'polling', size: 0, data: new ArrayBuffer(0) }),
    event('app', 'emit', { seq: 7, time: 1_700_000_000_005, name: 'upload', namespace: '/admin', ackId: 3, detail: { args: [{ file: bytes(0, 255, 128) }, 'x', 42, null] } }),
    event('app', 'ack', { seq: 8, time: 1_700_000_000_006, name: 'upload', namespace: '/admin', ackId: 3, rttMs: 0.75, detail: { args: [true] } }),
    event('lifecycle', 'reconnect_attempt', { seq: 9, time: 1_700_000_000_007, attempt: 2, delayMs: 1500 }),
    event('lifecycle', 'close', { seq: 10, time: 1_700_000_000_008, code: 4001, reason: 'bye', explain: { key: 'closeCodes.application', params: { code: 4001 } } }),
  ]
}

function hexOf(buffer: unknown): string {
  return Buffer.from(buffer as ArrayBuffer).toString('hex')
}

describe('exportNdjson', () => {
  it('writes a header line, then one event per line, binary as base64', () => {
    const text = exportNdjson(sampleEvents().slice(2, 5), { protocol: 'ws', sessionName: 'local echo', exportedAt: '2024-01-01T00:00:00.000Z', dropped: 12 })
    const lines = text.split('\n')
    expect(lines).toHaveLength(5) // header + 3 events + the final newline
    expect(lines[4]).toBe('')
    expect(JSON.parse(lines[0]!)).toEqual({
      format: 'socketlens-timeline', version: 1, exportedAt: '2024-01-01T00:00:00.000Z', events: 3, protocol: 'ws', sessionName: 'local echo', dropped: 12,
    })
    expect(JSON.parse(lines[1]!)).toEqual({ seq: 3, time: 1_700_000_000_002, layer: 'wire', kind: 'frame', dir: 'out', transport: 'websocket', size: 14, data: 'héllo ✓ \u0000\n' })
    expect(JSON.parse(lines[3]!)).toEqual({ seq: 5, time: 1_700_000_000_004, layer: 'wire', kind: 'frame', dir: 'in', transport: 'polling', size: 0, data: '', dataEncoding: 'base64' })
    expect(JSON.parse(lines[2]!).data).toBe(Buffer.from(sampleEvents()[3]!.data as ArrayBuffer).toString('base64'))
  })

  it('records the filter of a filtered export', () => {
    const filter = createFilterSpec({ directions: ['in'], text: 'x' })
    const header = JSON.parse(exportNdjson([], { filter, exportedAt: 'now' }).split('\n')[0]!)
    expect(header).toEqual({ format: 'socketlens-timeline', version: 1, exportedAt: 'now', events: 0, filter })
  })

  it('makes detail JSON-safe: binary tagged, bigint as text, errors by name and message, cycles cut', () => {
    const detail: Record<string, unknown> = { n: 10n, err: new TypeError('boom'), fn: () => 1, inf: Infinity, u8: new Uint8Array([1, 2]) }
    detail.self = detail
    // A detail no driver writes (bigint, a function, a cycle): as an imported kind of unknown shape could hold.
    const line = eventToLine({ seq: 1, time: 0, layer: 'lifecycle', kind: 'unknown-kind', importedKind: 'error', dir: 'local', importedDetail: detail })
    expect(JSON.parse(line).detail).toEqual({ n: '10', err: { name: 'TypeError', message: 'boom' }, inf: 'Infinity', u8: { $binary: 'AQI=' }, self: '[Circular]' })
  })

  it('splits big exports into ~chunk-sized pieces of whole lines', () => {
    const events = Array.from({ length: 100 }, (_, i): TimelineEvent => event('wire', 'frame', { seq: i + 1, time: i, data: 'x'.repeat(50) }))
    const chunks = exportNdjsonChunks(events, { exportedAt: 'now' }, 1000)
    expect(chunks.length).toBeGreaterThan(5)
    expect(chunks.every(c => c.endsWith('\n'))).toBe(true)
    expect(chunks.join('')).toBe(exportNdjson(events, { exportedAt: 'now' }))
  })
})

describe('exportNdjsonSliced', () => {
  it('gives the same text as exportNdjson, yielding between slices and reporting progress', async () => {
    const events = Array.from({ length: 3000 }, (_, i): TimelineEvent => event('wire', 'frame', { seq: i + 1, time: i, data: `m${i}` }))
    const progress: number[] = []
    let yielded = 0
    const timer = setInterval(() => yielded++, 0)
    const chunks = await exportNdjsonSliced(events, { exportedAt: 'T' }, { sliceMs: 0, chunkChars: 10_000, onProgress: done => progress.push(done) })
    clearInterval(timer)
    expect(chunks.join('')).toBe(exportNdjson(events, { exportedAt: 'T' }))
    expect(chunks.length).toBeGreaterThan(3)
    // With a 0 ms slice it yields after every 256 events: 11 times for 3,000, then reports 1.
    expect(progress).toHaveLength(12)
    expect(progress.at(-1)).toBe(1)
    expect(progress.every((p, i) => i === 0 || p > progress[i - 1]!)).toBe(true)
    expect(yielded).toBeGreaterThan(0)
  })
})

/**
 * A timeline of `n` frames kept compact (ASCII text, other text, binary), every 100th a Socket.IO event with a binary
 * argument (kept as an object).
 */
function liveTimeline(n: number, maxEvents = n): Timeline {
  const timeline = new Timeline({ maxEvents })
  for (let i = 0; i < n; i++) {
    timeline.append(i % 100 === 50
      ? appEvent('tick', [i, { bin: new Uint8Array([i & 255]).buffer }], { time: FIXTURE_TIME + i })
      : frame(i % 7 === 0 ? new Uint8Array([i & 255, 0xFF]).buffer : i % 3 === 0 ? `m${i} é` : `m${i}`, { time: FIXTURE_TIME + i, dir: i % 2 ? 'in' : 'out' }))
  }
  return timeline
}

/** The file's text, as the download's Blob holds it. */
const textOf = (done: { parts: Blob[] }): Promise<string> => new Blob(done.parts).text()
const seqsOf = (text: string): number[] => text.trimEnd().split('\n').slice(1).map(line => (JSON.parse(line) as { seq: number }).seq)
const headerOf = (text: string): { events: number, dropped?: number } => JSON.parse(text.slice(0, text.indexOf('\n'))) as { events: number, dropped?: number }
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('exportSequenceSliced (a live timeline walked by seq, not copied first)', () => {
  it('writes what exportNdjson writes for the same events, compact frames and objects alike, in slices', async () => {
    const timeline = liveTimeline(3000)
    const progress: number[] = []
    const done = await exportSequenceSliced(timeline, { protocol: 'socketio', exportedAt: 'T', dropped: 4 }, { sliceMs: 0, chunkBytes: 10_000, onProgress: share => progress.push(share) })
    const text = await textOf(done)
    expect(text).toBe(exportNdjson(timeline.toArray(), { protocol: 'socketio', exportedAt: 'T', dropped: 4 }))
    expect(done).toMatchObject({ events: 3000, lost: 0 })
    // The header, then parts of about 10,000 bytes, each whole lines.
    expect(done.parts.length).toBeGreaterThan(3)
    for (const part of done.parts) expect((await part.text()).endsWith('\n')).toBe(true)
    expect(progress.length).toBeGreaterThan(5)
    expect(progress.at(-1)).toBe(1)
    const back = importTimeline(text)
    if (!back.ok) throw new Error(importErrorWords(back))
    expect(back.events).toHaveLength(3000)
    expect([...new Uint8Array(back.events[7]!.data as ArrayBuffer)]).toEqual([7, 0xFF])
  })

  it('writes the same bytes as a Blob of the text: lines longer than a part, non-ASCII lines at a part\'s end, emoji, surrogates', async () => {
    const timeline = new Timeline()
    const texts = ['é'.repeat(400), 'a'.repeat(5000), '😀 ok', 'x'.repeat(1000), '한국어 '.repeat(100), 'plain', '\u0000\u001F"\\']
    for (let i = 0; i < 300; i++) timeline.append(frame(texts[i % texts.length]!, { dir: 'in' }))
    // A lone surrogate: kept as an object, escaped by JSON.stringify.
    timeline.append(frame('bad \uD800 half', { dir: 'in' }))
    const done = await exportSequenceSliced(timeline, { exportedAt: 'T' }, { sliceMs: 0, chunkBytes: 1024 })
    const expected = exportNdjson(timeline.toArray(), { exportedAt: 'T' })
    expect(Buffer.from(await new Blob(done.parts).arrayBuffer()).equals(Buffer.from(expected, 'utf8'))).toBe(true)
    expect(done.parts.length).toBeGreaterThan(100)
    for (const part of done.parts) expect((await part.text()).endsWith('\n')).toBe(true)
  })

  it('an empty timeline: the header alone', async () => {
    const done = await exportSequenceSliced(new Timeline(), { exportedAt: 'T' })
    expect(await textOf(done)).toBe(exportNdjson([], { exportedAt: 'T' }))
    expect(done).toMatchObject({ events: 0, lost: 0 })
  })

  it('a stream that goes on during the export: events appended after the call are not in it, those dropped after they were written cost nothing', async () => {
    const timeline = liveTimeline(3000)
    const before = exportNdjson(timeline.toArray(), { exportedAt: 'T' })
    let next = 3000
    // Between slices the stream appends 200 frames: the ring (full) drops 200 of the oldest, already written.
    const done = await exportSequenceSliced(timeline, { exportedAt: 'T' }, {
      sliceMs: 0,
      onProgress: () => {
        for (let i = 0; i < 200; i++) timeline.append(frame(`late${next++}`, { dir: 'in' }))
      },
    })
    expect(timeline.dropped).toBeGreaterThan(1000)
    expect(done).toMatchObject({ events: 3000, lost: 0 })
    expect(await textOf(done)).toBe(before)
  })

  it('events the ring drops before the export reaches them are counted as lost, in the header too, never written twice', async () => {
    const timeline = liveTimeline(2000)
    let bursts = 0
    // After the first 256 lines the stream drops 1,000 of the oldest: 1..256 are written, 257..1000 are gone.
    const done = await exportSequenceSliced(timeline, { exportedAt: 'T', dropped: 5 }, {
      sliceMs: 0,
      onProgress: () => {
        if (bursts++ === 0) for (let i = 0; i < 1000; i++) timeline.append(frame(`late${i}`, { dir: 'in' }))
      },
    })
    expect(done).toMatchObject({ events: 1256, lost: 744 })
    const text = await textOf(done)
    expect(seqsOf(text)).toEqual([...range(1, 256), ...range(1001, 2000)])
    expect(headerOf(text)).toMatchObject({ events: 1256, dropped: 5 + 744 })
    const back = importTimeline(text)
    if (!back.ok) throw new Error(importErrorWords(back))
    expect(back.events).toHaveLength(1256)
  })

  it('a timeline cleared during the export: what was written, the rest counted as lost', async () => {
    const timeline = liveTimeline(2000)
    let cleared = false
    const done = await exportSequenceSliced(timeline, { exportedAt: 'T' }, {
      sliceMs: 0,
      onProgress: () => {
        if (!cleared) {
          cleared = true
          timeline.clear()
          timeline.append(frame('after the clear'))
        }
      },
    })
    expect(done).toMatchObject({ events: 256, lost: 1744 })
    expect(seqsOf(await textOf(done))).toEqual(range(1, 256))
  })

  it('a filtered view: its matches only, and matches the ring drops before they are written are lost whether the view has caught up or not', async () => {
    for (const caughtUp of [false, true]) {
      const timeline = new Timeline({ maxEvents: 2000 })
      for (let i = 0; i < 2000; i++) timeline.append(frame(`m${i}`, { dir: i % 2 ? 'in' : 'out' }))
      const view = new FilteredView(timeline, createFilterSpec({ directions: ['in'] }))
      expect(view.length).toBe(1000)
      let bursts = 0
      const done = await exportSequenceSliced(view, { exportedAt: 'T' }, {
        sliceMs: 0,
        onProgress: () => {
          if (bursts++ > 0) return
          // 1,000 dropped: seqs 1..1000, of which 256 matches (seqs 2..512) were written and 244 are gone.
          for (let i = 0; i < 1000; i++) timeline.append(frame(`late${i}`, { dir: 'in' }))
          if (caughtUp) view.update()
        },
      })
      expect(done).toMatchObject({ events: 756, lost: 244 })
      expect(seqsOf(await textOf(done))).toEqual([...range(1, 256).map(i => 2 * i), ...range(501, 1000).map(i => 2 * i)])
    }
  })

  it('a detail that cannot be written is a problem, as in exportNdjsonSliced', async () => {
    const timeline = new Timeline()
    timeline.append(draft('app', 'event', { name: 'bad', detail: { get args(): unknown[] { throw new Error('getter exploded') } } }))
    timeline.append(frame('after'))
    const problems: ExportProblem[] = []
    const done = await exportSequenceSliced(timeline, { exportedAt: 'T' }, { onProblem: p => problems.push(p) })
    expect(done.events).toBe(2)
    expect(problems).toEqual([{ seq: 1, kind: 'event', name: 'bad', error: 'its detail could not be written (getter exploded)' }])
  })
})

describe('export → import round trip', () => {
  it('gives back every event, byte-exact binary included', () => {
    const original = sampleEvents()
    const result = importTimeline(exportNdjson(original, { protocol: 'socketio', sessionName: 'S', endpoint: 'http://localhost:3000', exportedAt: 'T' }), 'x.ndjson')
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.warnings).toBeUndefined()
    expect(result.meta).toEqual({ format: 'socketlens', protocol: 'socketio', sessionName: 'S', endpoint: 'http://localhost:3000', exportedAt: 'T', fileName: 'x.ndjson', count: 9 })
    expect(result.events).toHaveLength(original.length)
    for (const [i, event] of result.events.entries()) {
      const source = original[i]!
      const { data, detail, ...rest } = event
      const { data: sourceData, detail: sourceDetail, ...sourceRest } = source
      expect(rest).toEqual(sourceRest)
      if (sourceData instanceof ArrayBuffer) {
        expect(data).toBeInstanceOf(ArrayBuffer)
        expect(hexOf(data)).toBe(hexOf(sourceData))
      }
      else {
        expect(data).toBe(sourceData)
      }
      if (i !== 5) expect(detail).toEqual(sourceDetail)
    }
    const args = result.events[5]!.detail!.args as [{ file: ArrayBuffer }, string, number, null]
    expect(hexOf(args[0].file)).toBe('00ff80')
    expect(args.slice(1)).toEqual(['x', 42, null])
  })

  it('re-exports an import to the same text', () => {
    const first = exportNdjson(sampleEvents(), { protocol: 'ws', exportedAt: 'T' })
    const result = importTimeline(first)
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(exportNdjson(result.events, { protocol: 'ws', exportedAt: 'T' })).toBe(first)
  })
})

describe('export of hostile events', () => {
  it('writes arguments nested 10,000 levels deep, and any other event of the session around them', () => {
    const deep = nestedArray(10_000)
    const events: TimelineEvent[] = [
      event('app', 'event', { seq: 1, time: 1, name: 'deep', namespace: '/', detail: { args: [deep, { bin: bytes(1, 2) }] } }),
      event('wire', 'frame', { seq: 2, time: 2, data: 'after' }),
    ]
    const problems: ExportProblem[] = []
    const lines = exportNdjsonChunks(events, { exportedAt: 'T' }, undefined, problems).join('').trimEnd().split('\n')
    expect(problems).toEqual([])
    expect(lines).toHaveLength(3)
    const line = lines[1]!
    expect(line.startsWith('{"seq":1,"time":1,"layer":"app","kind":"event","dir":"in","name":"deep","namespace":"/","detail":{"args":[[[[')).toBe(true)
    expect(line.endsWith(']]]],{"bin":{"$binary":"AQI="}}]}}')).toBe(true)
    expect(line.split('[').length - 1).toBe(10_001)
    expect(JSON.parse(lines[2]!)).toMatchObject({ seq: 2, data: 'after' })
  })

  it('imports back what it wrote for 10,000 levels, binary inside included', () => {
    const text = exportNdjson([event('app', 'event', { seq: 1, time: 1, name: 'deep', detail: { args: [nestedArray(10_000), { bin: bytes(1, 2) }] } })], { exportedAt: 'T' })
    const result = importTimeline(text, 'deep.ndjson')
    if (!result.ok) throw new Error(importErrorWords(result))
    const args = result.events[0]!.detail!.args as [unknown[], { bin: ArrayBuffer }]
    let depth = 0
    for (let node: unknown = args[0]; Array.isArray(node); node = node[0]) depth++
    expect(depth).toBe(10_000)
    expect(hexOf(args[1].bin)).toBe('0102')
    expect(exportNdjson(result.events, { exportedAt: 'T' })).toBe(text)
  })

  it('writes deep and shallow events alike through exportNdjsonSliced', async () => {
    const events: TimelineEvent[] = [
      event('app', 'event', { seq: 1, time: 1, name: 'deep', detail: { args: [nestedArray(2_000)] } }),
      event('app', 'event', { seq: 2, time: 2, name: 'deeper', detail: { args: [nestedArray(100_000)] } }),
    ]
    const chunks = await exportNdjsonSliced(events, { exportedAt: 'T' })
    expect(chunks.join('').trimEnd().split('\n')).toHaveLength(3)
  })

  it('writes an event whose detail cannot be converted with its fields and data, and names it as a problem', async () => {
    const detail = { get args(): unknown[] { throw new Error('getter exploded') } }
    const events: TimelineEvent[] = [
      event('app', 'event', { seq: 7, time: 1, name: 'bad', data: 'kept', detail }),
      event('wire', 'frame', { seq: 8, time: 2, data: 'after' }),
    ]
    const problems: { seq: number, kind: string, error: string }[] = []
    const chunks = await exportNdjsonSliced(events, { exportedAt: 'T' }, { onProblem: p => problems.push(p) })
    const lines = chunks.join('').trimEnd().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
    expect(lines[1]).toEqual({ seq: 7, time: 1, layer: 'app', kind: 'event', dir: 'in', name: 'bad', namespace: '/', data: 'kept', exportError: 'its detail could not be written (getter exploded)' })
    expect(lines[2]).toMatchObject({ seq: 8 })
    expect(problems).toEqual([{ seq: 7, kind: 'event', name: 'bad', error: 'its detail could not be written (getter exploded)' }])
  })
})

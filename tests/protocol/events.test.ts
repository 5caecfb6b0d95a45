/**
 * The timeline event contract (src/protocol/events.ts). The type-level half runs in the typecheck
 * (`tsc -p tsconfig.node.json`): every `@ts-expect-error` below must stay an error, so renaming a kind or a detail key,
 * or giving a kind another's detail, fails to compile. The run-time half checks the tables imports rely on.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { Diagnosis } from '../../src/protocol/diagnose'
import { diagnosisIdOf, EVENT_KINDS, isKnownKind, kindLabel, type DraftEvent, type EventOf, type TimelineEvent } from '../../src/protocol/events'
import type { Sink } from '../../src/protocol/types'
import { exportNdjson, importTimeline } from '../../src/timeline/importExport'
import { draft, event } from '../support/events'
import { importErrorWords } from '../support/importWords'

describe('the event union, at compile time', () => {
  it('checks every draft a sink takes: kinds, directions, fields and detail keys', () => {
    const sink: Sink = () => {}
    sink({ seq: 0, time: 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 2, data: 'hi' })
    sink({ time: 1, layer: 'engine', kind: 'ping', dir: 'in', detail: { intervalMs: 25_000, expectedMs: 25_000 } })
    // @ts-expect-error a renamed kind ('pings') is no kind of the engine layer
    sink({ time: 1, layer: 'engine', kind: 'pings', dir: 'in', detail: { intervalMs: 25_000, expectedMs: 25_000 } })
    // @ts-expect-error a renamed detail key ('interval' for 'intervalMs') fails
    sink({ time: 1, layer: 'engine', kind: 'ping', dir: 'in', detail: { interval: 25_000, expectedMs: 25_000 } })
    // @ts-expect-error another kind's detail key (a close's 'closedBy' on a ping) fails
    sink({ time: 1, layer: 'engine', kind: 'ping', dir: 'in', detail: { intervalMs: 1, expectedMs: 1, closedBy: 'server' } })
    // @ts-expect-error a frame never goes 'local'
    sink({ time: 1, layer: 'wire', kind: 'frame', dir: 'local', transport: 'websocket', size: 2, data: 'hi' })
    // @ts-expect-error a frame without its data
    sink({ time: 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 2 })
    // @ts-expect-error a kind on the wrong layer ('frame' is the wire's)
    sink({ time: 1, layer: 'lifecycle', kind: 'frame', dir: 'in', transport: 'websocket', size: 2, data: 'hi' })
    // @ts-expect-error an app event's args are its detail's, not loose
    sink({ time: 1, layer: 'app', kind: 'event', dir: 'in', name: 'chat', namespace: '/', args: [] })
    expect(true).toBe(true)
  })

  it('narrows by layer and kind, so a consumer reads typed fields and detail', () => {
    const e = event('lifecycle', 'close', { seq: 1, code: 1006, reason: '', detail: { wasClean: false, byUser: false, closedBy: 'network' } }) as TimelineEvent
    if (e.layer === 'lifecycle' && e.kind === 'close') {
      expectTypeOf(e.code).toEqualTypeOf<number>()
      expectTypeOf(e.detail?.closedBy).toEqualTypeOf<'client' | 'server' | 'network' | undefined>()
    }
    if (e.layer === 'engine' && e.kind === 'ping') expectTypeOf(e.detail.intervalMs).toEqualTypeOf<number>()
    if (e.kind === 'connect_error') expectTypeOf(e.detail.diagnosis).toEqualTypeOf<Diagnosis | string | undefined>()
    // Not narrowed yet: a detail key reads as what any kind puts there, never as `unknown`.
    expectTypeOf(e.detail?.closeCode).toEqualTypeOf<number | undefined>()
    expectTypeOf<EventOf<'app', 'ack'>['rttMs']>().toEqualTypeOf<number>()
    expectTypeOf<DraftEvent>().not.toHaveProperty('importedKind')
    expect(diagnosisIdOf(e.kind === 'close' ? e.detail : undefined)).toBeUndefined()
  })

  it('the test fixtures are checked the same way', () => {
    const neverCalled = (): void => {
      // @ts-expect-error a misspelt detail key in a fixture
      draft('lifecycle', 'stable', { detail: { stableMS: 5000 } })
      // @ts-expect-error a kind the layer does not have
      draft('app', 'frame')
    }
    expect(neverCalled).toBeTypeOf('function')
    expect(draft('app', 'ack', { rttMs: 3 })).toMatchObject({ layer: 'app', kind: 'ack', dir: 'in', rttMs: 3, detail: { args: [] } })
  })
})

describe('the event tables', () => {
  it('name every kind with its directions, and tell imports which layer, kind and direction exist', () => {
    expect(Object.keys(EVENT_KINDS.wire)).toEqual(['frame'])
    expect(EVENT_KINDS.engine.ping).toEqual(['in', 'out'])
    expect(isKnownKind('engine', 'close', 'local')).toBe(true)
    expect(isKnownKind('lifecycle', 'close', 'out')).toBe(false)
    expect(isKnownKind('wire', 'toString', 'in')).toBe(false)
    expect(isKnownKind('app', 'subscribe', 'in')).toBe(false)
  })

  it('read a diagnosis id from a Diagnosis or the bare id of an older file', () => {
    const diagnosis: Diagnosis = { id: 'tls-untrusted', variant: 'default', params: {}, evidence: [], guess: true }
    expect(diagnosisIdOf({ diagnosis })).toBe('tls-untrusted')
    expect(diagnosisIdOf({ diagnosis: 'socketio-server' })).toBe('socketio-server')
    expect(diagnosisIdOf(undefined)).toBeUndefined()
  })
})

describe('an imported file, validated into the union', () => {
  const header = '{"format":"socketlens-timeline","version":1,"exportedAt":"T"}'
  const read = (...lines: object[]): TimelineEvent[] => {
    const result = importTimeline([header, ...lines.map(line => JSON.stringify(line))].join('\n'))
    if (!result.ok) throw new Error(importErrorWords(result))
    return result.events
  }

  it('keeps a kind this version does not know whole, shows it by its own name, and exports it back as it came', () => {
    const future = { seq: 1, time: 5, layer: 'engine', kind: 'webtransport_datagram', dir: 'in', size: 3, detail: { stream: 7, nested: { a: [1] } } }
    const [e] = read(future)
    expect(e).toEqual({ seq: 1, time: 5, layer: 'engine', kind: 'unknown-kind', importedKind: 'webtransport_datagram', dir: 'in', size: 3, importedDetail: { stream: 7, nested: { a: [1] } } })
    expect(kindLabel(e!)).toBe('webtransport_datagram')
    expect(JSON.parse(exportNdjson([e!], { exportedAt: 'T' }).split('\n')[1]!)).toEqual(future)
  })

  it('keeps an event that lacks what its kind needs (a frame without data) as unknown-kind, not as what it is not', () => {
    const [frame, close, ping] = read(
      { seq: 1, time: 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 0 },
      { seq: 2, time: 2, layer: 'lifecycle', kind: 'close', dir: 'out', code: 1000, reason: '' },
      { seq: 3, time: 3, layer: 'engine', kind: 'ping', dir: 'in', detail: { intervalMs: 1, expectedMs: 1 } },
    )
    expect(frame).toMatchObject({ kind: 'unknown-kind', importedKind: 'frame' })
    expect(close).toMatchObject({ kind: 'unknown-kind', importedKind: 'close' }) // a close never goes out
    expect(ping).toMatchObject({ layer: 'engine', kind: 'ping', detail: { intervalMs: 1 } })
  })

  it('reads an explanation message back as it was written', () => {
    const explain = { key: 'closeCodes.application', params: { code: 4001 } }
    const [close] = read({ seq: 1, time: 1, layer: 'lifecycle', kind: 'close', dir: 'in', code: 4001, reason: 'bye', explain })
    expect(close).toMatchObject({ kind: 'close', explain })
    const bad = importTimeline(`${header}\n${JSON.stringify({ seq: 1, time: 1, layer: 'lifecycle', kind: 'close', dir: 'in', code: 4001, reason: '', explain: 'words' })}`)
    expect(bad).toMatchObject({ ok: false, error: { key: 'timeline.import.badExplain' } })
    expect(importErrorWords(bad)).toContain('Line 2: "explain" must be a message')
  })
})

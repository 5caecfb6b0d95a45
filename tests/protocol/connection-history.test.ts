/**
 * ConnectionHistory with a fake clock: when the attempt counter may reset, short-lived streaks, failures of the
 * same kind, and how diagnose() lists the history as evidence.
 */
import { describe, expect, it } from 'vitest'
import { ConnectionHistory, DEFAULT_STABLE_MS, formatDuration } from '../../src/protocol/connectionHistory'
import { diagnose, evidenceOf } from '../../src/protocol/diagnose'
import { ms, seconds } from '../support/durations'
import { inEnglish } from '../../src/i18n'

function fakeClock(start = 1_000_000): { now: () => number, advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => { t += ms } }
}

/** One connection that opens, stays up `upMs`, and closes. */
function connection(h: ConnectionHistory, clock: ReturnType<typeof fakeClock>, upMs: number): ReturnType<ConnectionHistory['closed']> {
  h.attempt()
  h.opened()
  clock.advance(upMs)
  return h.closed()
}

describe('ConnectionHistory', () => {
  it('starts empty, with the default stable period', () => {
    const h = new ConnectionHistory({ now: fakeClock().now })
    h.start()
    expect(h.stableMs).toBe(DEFAULT_STABLE_MS)
    expect(h.facts()).toEqual({ stableMs: DEFAULT_STABLE_MS, wasOpenBefore: false, shortLivedInARow: 0, sameFailureInARow: 0, attemptsSinceStable: 0 })
    expect(h.isStable()).toBe(false)
    expect(h.msUntilStable()).toBeUndefined()
    expect(h.closed()).toBeUndefined()
  })

  it('says stable only after the connection stayed up for the stable period, not on open', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now, stableMs: 3000 })
    h.start()
    h.attempt()
    h.opened()
    expect(h.isStable()).toBe(false)
    expect(h.msUntilStable()).toBe(3000)
    clock.advance(2999)
    expect(h.isStable()).toBe(false)
    expect(h.msUntilStable()).toBe(1)
    clock.advance(1)
    expect(h.isStable()).toBe(true)
    expect(h.msUntilStable()).toBe(0)
    expect(h.closed()).toEqual({ upMs: 3000, stable: true })
  })

  it('counts connections in a row that close within the stable period, with their typical and longest up time', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    for (const up of [1500, 1400, 1600, 1500, 1550]) {
      expect(connection(h, clock, up)).toEqual({ upMs: up, stable: false })
      h.failed('close:1011', { afterOpen: true })
      clock.advance(500) // the reconnect delay
    }
    const facts = h.facts()
    expect(facts.shortLivedInARow).toBe(5)
    expect(facts.shortLivedTypicalMs).toBe(1500)
    expect(facts.shortLivedLongestMs).toBe(1600)
    expect(facts.sameFailureInARow).toBe(5)
    expect(facts.failureKind).toBe('close:1011')
    expect(facts.attemptsSinceStable).toBe(5)
    expect(facts.wasOpenBefore).toBe(true)
    expect(facts.lastUpMs).toBe(1550)
    expect(facts.msSinceLastOpen).toBe(500)
  })

  it('a stable connection ends the streak and resets the counters', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now, stableMs: 2000 })
    h.start()
    connection(h, clock, 100)
    h.failed('close:1011', { afterOpen: true })
    connection(h, clock, 100)
    h.failed('close:1011', { afterOpen: true })
    expect(connection(h, clock, 2500)).toEqual({ upMs: 2500, stable: true })
    h.failed('close:1006', { afterOpen: true })
    const facts = h.facts()
    expect(facts.shortLivedInARow).toBe(0)
    expect(facts.shortLivedTypicalMs).toBeUndefined()
    expect(facts.sameFailureInARow).toBe(1)
    expect(facts.attemptsSinceStable).toBe(0)
  })

  it('counts failures of the same kind in a row, and starts over on another kind', () => {
    const h = new ConnectionHistory({ now: fakeClock().now })
    h.start()
    h.failed('nothing-listening')
    h.failed('nothing-listening')
    expect(h.facts().sameFailureInARow).toBe(2)
    h.failed('cors-polling')
    expect(h.facts()).toMatchObject({ sameFailureInARow: 1, failureKind: 'cors-polling' })
  })

  it('a handshake that never opened breaks a short-lived streak, but remembers the session was open', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    connection(h, clock, 800)
    h.failed('close:1006', { afterOpen: true })
    connection(h, clock, 900)
    h.failed('close:1006', { afterOpen: true })
    clock.advance(2000)
    h.attempt()
    h.failed('nothing-listening')
    expect(h.facts()).toMatchObject({ shortLivedInARow: 0, wasOpenBefore: true, lastUpMs: 900, msSinceLastOpen: 2000 })
  })

  it('start() forgets the last run', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    connection(h, clock, 100)
    h.failed('close:1000', { afterOpen: true })
    h.start()
    expect(h.facts()).toEqual({ stableMs: DEFAULT_STABLE_MS, wasOpenBefore: false, shortLivedInARow: 0, sameFailureInARow: 0, attemptsSinceStable: 0 })
    expect(h.runStartedAt).toBe(clock.now())
  })

  it('reports the up time of a connection that is still open', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    h.attempt()
    h.opened()
    clock.advance(1234)
    expect(h.facts()).toMatchObject({ lastUpMs: 1234, msSinceLastOpen: 0, wasOpenBefore: true })
  })

  it('keeps bounded memory over a long run', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    for (let i = 0; i < 10_000; i++) connection(h, clock, i % 2 === 0 ? 100 : 300)
    expect(h.facts().shortLivedInARow).toBe(10_000)
    expect(h.facts().shortLivedLongestMs).toBe(300)
  })

  it('an invalid stable period keeps the default; a valid one can be set later', () => {
    for (const bad of [-1, Number.NaN, Infinity, undefined]) expect(new ConnectionHistory({ stableMs: bad }).stableMs).toBe(DEFAULT_STABLE_MS)
    const h = new ConnectionHistory()
    h.setStableMs(0)
    expect(h.stableMs).toBe(0)
    h.setStableMs(Number.NaN)
    expect(h.stableMs).toBe(DEFAULT_STABLE_MS)
  })
})

describe('formatDuration', () => {
  it.each([[0, '0 ms'], [850, '850 ms'], [1500, '1.5 s'], [1000, '1 s'], [9960, '10 s'], [12_400, '12 s'], [125_000, '2 min 5 s'], [120_000, '2 min']])('%d ms → %s', (duration, text) => {
    expect(inEnglish(formatDuration(duration))).toBe(text)
  })
})

describe('history as evidence', () => {
  it('a close after open says how long it was open and the short-lived streak', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    for (let i = 0; i < 5; i++) {
      connection(h, clock, 1500)
      h.failed('close:1011', { afterOpen: true })
    }
    const lines = evidenceOf({ protocol: 'ws', url: 'ws://localhost:8080/', everOpened: true, closeCode: 1011, history: h.facts() })
    expect(lines).toContainEqual({ key: 'diagnoses.evidence.wasOpen', params: { duration: seconds(1.5) } })
    expect(lines).toContainEqual({ key: 'diagnoses.evidence.shortLived', params: { within: seconds(1.5), times: 5 } })
    // The same closes, counted once.
    expect(lines.map(line => line.key)).not.toContain('diagnoses.evidence.sameFailure')
  })

  it('a handshake failure after an earlier open says the session was open before', () => {
    const clock = fakeClock()
    const h = new ConnectionHistory({ now: clock.now })
    h.start()
    connection(h, clock, 12_000)
    clock.advance(800)
    h.attempt()
    h.failed('nothing-listening')
    const d = diagnose({ protocol: 'ws', url: 'ws://localhost:8080/', everOpened: false, closeCode: 1006, msToFail: 3, history: h.facts() })
    expect(d.evidence).toContainEqual({ key: 'diagnoses.evidence.openEarlier', params: { duration: seconds(12), ago: ms(800) } })
  })

  it('no history, no history lines', () => {
    const lines = evidenceOf({ protocol: 'ws', url: 'ws://localhost:8080/', everOpened: false, closeCode: 1006 })
    const history = ['diagnoses.evidence.wasOpen', 'diagnoses.evidence.openEarlier', 'diagnoses.evidence.shortLived', 'diagnoses.evidence.sameFailure']
    expect(lines.some(line => history.includes(line.key))).toBe(false)
  })
})

/**
 * Issue 8, cases 6 and 7, against the real dev server over real sockets (Node; the `ws` package stands in for the
 * browser's WebSocket):
 * - 6: no automatic reconnect after the server's clean close (1000, 1001) unless the setting asks for it, and a
 *   timeline event that says why (`/close?code=1000`, `/flood?close=1`).
 * - 7: a server that closes every connection soon after it opens (`/close?code=1011&delay=…`): the attempt counter
 *   resets only after a connection stayed up for the stable period, so delays grow and maxAttempts applies, and
 *   the close carries a diagnosis from the session's history.
 * No timing is asserted: delays are read from the events (jitter 0), and waits resolve on events.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import { createWebSocketDriver, type WebSocketDriver, type WebSocketDriverOptions } from '../../src/protocol/websocket/driver'
import { sleep, useDevServer } from '../support/devServer'
import { Recorder } from '../support/recorder'
import { ms } from '../support/durations'

const WS = NodeWebSocket as unknown as typeof WebSocket
const drivers: WebSocketDriver[] = []

function driverFor(options: Partial<WebSocketDriverOptions> & { url: string }, rec: Recorder): WebSocketDriver {
  const driver = createWebSocketDriver({ WebSocket: WS, random: () => 0.5, ...options }, rec.sink, { onState: rec.onState })
  drivers.push(driver)
  return driver
}

const server = useDevServer()

afterEach(() => {
  for (const driver of drivers.splice(0)) driver.dispose()
})

/** A reconnect policy that would come back within a few ms, so a reconnect that should not happen would show. */
const eager = { enabled: true, initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, jitter: 0 }

describe('case 6: after a clean close by the server', () => {
  for (const code of [1000, 1001]) {
    it(`does not reconnect after ${code} by default, and says why on the timeline`, async () => {
      const rec = new Recorder()
      driverFor({ url: `${server().urls.ws}/close?code=${code}`, reconnect: eager }, rec).connect()
      const skipped = await rec.kind('reconnect_skipped')
      // Long enough for the eager policy to have reconnected several times, had it tried.
      await sleep(300)
      expect(rec.events.filter(e => e.kind === 'connecting')).toHaveLength(1)
      expect(rec.events.some(e => e.kind === 'reconnect_attempt')).toBe(false)
      expect(skipped).toMatchObject({ layer: 'lifecycle', dir: 'local', code, detail: { reason: 'clean-close' } })
      expect(skipped.explain).toEqual({ key: 'protocol.websocket.cleanClose', params: { code, name: { key: `protocol.closeCode.${code}.name` } } })
      expect(rec.states.at(-1)).toBe('closed')
    })
  }

  it('does not flood again and again after /flood?close=1', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/flood?n=50&size=10&close=1`, reconnect: eager }, rec).connect()
    await rec.kind('reconnect_skipped')
    await sleep(300)
    expect(rec.events.filter(e => e.kind === 'open')).toHaveLength(1)
    expect(rec.events.filter(e => e.kind === 'frame' && e.dir === 'in')).toHaveLength(50)
  })

  it('reconnects after a clean close when the setting asks for it, within maxAttempts', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/close?code=1000`, reconnect: { ...eager, afterCleanClose: true, maxAttempts: 2 } }, rec).connect()
    await rec.kind('reconnect_failed')
    expect(rec.events.filter(e => e.kind === 'open')).toHaveLength(3)
    expect(rec.events.some(e => e.kind === 'reconnect_skipped')).toBe(false)
  })

  it('still reconnects after a close that is not clean or not normal (1011)', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/close?code=1011`, reconnect: { ...eager, maxAttempts: 1 } }, rec).connect()
    await rec.kind('reconnect_failed')
    expect(rec.events.filter(e => e.kind === 'reconnect_attempt')).toHaveLength(1)
  })
})

describe('case 7: a server that closes every connection soon after it opens', () => {
  it('grows the delay and gives up after maxAttempts, since no connection stayed up for the stable period', async () => {
    const rec = new Recorder()
    const url = `${server().urls.ws}/close?code=1011&delay=150&reason=bye`
    driverFor({ url, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 10_000, maxAttempts: 4, jitter: 0, stableMs: 5000 } }, rec).connect()
    const gaveUp = await rec.kind('reconnect_failed')
    const attempts = rec.events.filter(e => e.kind === 'reconnect_attempt')
    expect(attempts.map(e => [e.attempt, e.delayMs])).toEqual([[1, 20], [2, 40], [3, 80], [4, 160]])
    expect(rec.events.filter(e => e.kind === 'open')).toHaveLength(5)
    expect(gaveUp.attempt).toBe(4)
    expect(rec.states.at(-1)).toBe('closed')
  })

  it('diagnoses the pattern from the history on the close, with evidence, and keeps it through the next open', async () => {
    const rec = new Recorder()
    const url = `${server().urls.ws}/close?code=1011&delay=150`
    driverFor({ url, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 10_000, maxAttempts: 4, jitter: 0 } }, rec).connect()
    await rec.kind('reconnect_failed')
    const closes = rec.events.filter(e => e.kind === 'close')
    expect(closes).toHaveLength(5)
    // The first close is one close; from the second on it is a pattern.
    expect(closes[0]!.detail?.diagnosis).toBeUndefined()
    expect(closes[0]!.detail?.evidence).toContainEqual({ key: 'diagnoses.evidence.wasOpen', params: { duration: { key: expect.stringMatching(/^protocol\.duration\.m?s$/), params: { n: expect.any(Number) } } } })
    const last = closes.at(-1)!
    expect(last.detail).toMatchObject({
      diagnosis: { id: 'short-lived', variant: 'closes', guess: false, params: { times: 5, how: { key: 'diagnoses.fragment.withCode', params: { code: 1011 } } } },
      untilStable: true,
    })
    expect(last.detail?.evidence).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'diagnoses.evidence.closeCode', params: expect.objectContaining({ code: 1011 }) }),
      { key: 'diagnoses.evidence.shortLived', params: { within: { key: expect.stringMatching(/^protocol\.duration\.m?s$/), params: { n: expect.any(Number) } }, times: 5 } },
    ]))
  })

  it('resets the attempt counter once a connection stayed up for the stable period, and says so', async () => {
    const rec = new Recorder()
    const url = `${server().urls.ws}/close?code=1011&delay=400`
    driverFor({ url, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 10_000, maxAttempts: 2, jitter: 0, stableMs: 100 } }, rec).connect()
    await rec.until(e => e.kind === 'stable', 2, 'stable')
    const attempts = rec.events.filter(e => e.kind === 'reconnect_attempt')
    expect(attempts.every(e => e.attempt === 1 && e.delayMs === 20)).toBe(true)
    expect(rec.events.some(e => e.kind === 'reconnect_failed')).toBe(false)
    const stable = rec.events.find(e => e.kind === 'stable')!
    expect(stable).toMatchObject({ layer: 'lifecycle', dir: 'local', attempt: 1 })
    expect(stable.explain).toEqual({ key: 'protocol.reconnect.stable', params: { duration: ms(100) } })
  })
})

describe('the settings for it', () => {
  it('default to no reconnect after a clean close and a 5 s stable period, and survive a save', async () => {
    const { defaultWebSocketSettings } = await import('../../src/stores/session')
    const { webSocketSettingsFrom } = await import('../../src/stores/savedSettings')
    expect(defaultWebSocketSettings()).toMatchObject({ reconnectAfterCleanClose: false, stableMs: 5000 })
    const saved = JSON.parse(JSON.stringify({ ...defaultWebSocketSettings(), reconnectAfterCleanClose: true, stableMs: 1200 }))
    expect(webSocketSettingsFrom(saved)).toMatchObject({ reconnectAfterCleanClose: true, stableMs: 1200 })
    // A tab saved before these settings existed gets their defaults.
    const { reconnectAfterCleanClose: _a, stableMs: _b, ...old } = saved
    expect(webSocketSettingsFrom(old)).toMatchObject({ reconnectAfterCleanClose: false, stableMs: 5000 })
  })
})

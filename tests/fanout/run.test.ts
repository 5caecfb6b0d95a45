/**
 * A fan-out against the real dev server, in Node: real v4 drivers, one room, a burst, and a server restart (the
 * reconnect storm timed until all clients are back and in their room again).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import { CHROMIUM_WEBSOCKETS_PER_PAGE, FanoutRun, MAX_CLIENTS, type FanoutSettings } from '../../src/fanout/run'
import * as store from '../../src/stores/fanout'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import { BrowserLikeWS } from '../support/browserLikeWebSocket'
import { useDevServer, waitFor } from '../support/devServer'

const server = useDevServer()
const runs: FanoutRun[] = []

afterEach(() => {
  for (const run of runs.splice(0)) run.stop()
})

function settings(overrides: Partial<FanoutSettings> = {}): FanoutSettings {
  return {
    type: 'socketio', clients: 12, rampPerSecond: 100, rooms: ['fan'], joinEvent: 'joinRoom', joinPayload: 'string',
    sendEvent: 'message', sendShape: 'object', roomKey: 'room', messageKey: 'message', tag: true, senderHearsOwn: false,
    sender: 'first', ...overrides,
  }
}

function start(overrides: Partial<FanoutSettings> = {}): FanoutRun {
  const run = new FanoutRun(settings(overrides), async (_client, sink, onState) => ({
    ok: true,
    driver: createSocketIoDriver({ url: server().urls.socketio, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500 }, sink, { onState }),
  }))
  runs.push(run)
  run.start()
  return run
}

describe('fan-out run against the dev server', { timeout: 30_000 }, () => {
  it('states the same limits as the store, which loads the run only when a fan-out starts', () => {
    expect([store.MAX_CLIENTS, store.CHROMIUM_WEBSOCKETS_PER_PAGE]).toEqual([MAX_CLIENTS, CHROMIUM_WEBSOCKETS_PER_PAGE])
  })

  it('delivers a burst to every other client in the room, once each, with latencies', async () => {
    const run = start()
    await waitFor('all 12 clients in the room', () => run.readyCount() === 12, 10_000)
    const sent = run.burst('hello', 10)
    expect(sent.every(r => r.ok && r.expected === 11 && r.sender === 1)).toBe(true)
    await waitFor('110 deliveries', () => run.log.totals().delivered === 110, 10_000)
    const totals = run.log.totals()
    expect(totals).toMatchObject({ sent: 10, expected: 110, delivered: 110, missed: 0, duplicates: 0, complete: 10 })
    const first = run.log.summary(1)!
    expect(first.missed).toEqual([])
    expect(first.latency!.count).toBe(11)
    expect(first.latency!.min).toBeGreaterThan(0)
    // Each client's timeline holds its own events: client 2 received all ten.
    const received = run.clients[1]!.timeline.toArray().filter(e => e.layer === 'app' && e.kind === 'event' && e.name === 'message' && String(e.detail.args[0]).includes('[fanout'))
    expect(received).toHaveLength(10)
  })

  it('matches on equal payloads when tagging is off, and names the clients that missed a message', async () => {
    const run = start({ tag: false, clients: 4, rooms: ['a', 'b'] })
    await waitFor('4 clients in their rooms', () => run.readyCount() === 4, 10_000)
    // Client 1 is in room a with client 3; client 2 and 4 are in b.
    const result = run.send('plain text')
    expect(result).toMatchObject({ ok: true, sender: 1, expected: 1 })
    await waitFor('the delivery', () => run.log.totals().delivered === 1, 5000)
    expect(run.log.summary(1)).toMatchObject({ received: 1, missed: [] })
    // Client 3 leaves the room behind the run's back: the next message misses it.
    await run.clients[2]!.driver!.send({ kind: 'event', name: 'leaveRoom', args: ['a'], ack: true })
    run.send('plain text')
    await new Promise(r => setTimeout(r, 500))
    expect(run.log.summary(2)).toMatchObject({ expected: 1, received: 0, missed: [3] })
  })

  it('each in turn sends, and a server restart is a storm timed until every client is back', async () => {
    const run = start({ clients: 6, sender: 'each' })
    await waitFor('6 clients in the room', () => run.readyCount() === 6, 10_000)
    expect(run.burst('x', 3).map(r => r.ok && r.sender)).toEqual([1, 2, 3])
    await server().restart({ downtimeMs: 300 })
    await waitFor('the storm to end', () => run.grid.storms[0]?.end !== undefined, 15_000)
    const storm = run.grid.storms[0]!
    expect(storm.peakDown).toBe(6)
    expect(storm.end! - storm.start).toBeGreaterThanOrEqual(250)
    // Back in the room after the restart (rooms are rejoined on every open).
    await waitFor('rejoined', () => run.readyCount() === 6, 10_000)
    run.send('after')
    await waitFor('5 deliveries after the restart', () => run.log.summary(4)?.received === 5, 5000)
  })

  it('raw WebSocket: text frames are tagged and matched (the echo server answers the sender alone)', async () => {
    const run = new FanoutRun(settings({ type: 'ws', clients: 3, rooms: [], senderHearsOwn: true }), async (_client, sink, onState) => ({
      ok: true,
      driver: createWebSocketDriver({ url: `${server().urls.ws}/`, WebSocket: BrowserLikeWS, reconnect: { enabled: false } }, sink, { onState }),
    }))
    runs.push(run)
    run.start()
    await waitFor('3 clients open', () => run.readyCount() === 3, 10_000)
    expect(run.send('hi')).toMatchObject({ ok: true, sender: 1, expected: 3 })
    await waitFor('the echo', () => run.log.summary(1)?.received === 1, 5000)
    await new Promise(r => setTimeout(r, 200))
    // `echo message hi [fanout …]` came back to client 1 only: the others are named as having missed it.
    expect(run.log.summary(1)).toMatchObject({ received: 1, missed: [2, 3] })
  })
})

// @vitest-environment node
/**
 * The driver Worker's two halves (src/protocol/worker/): the host, which builds and runs drivers, and the page's
 * thread, which mirrors them, talking through a real MessageChannel (the structured clone a Worker's postMessage
 * uses), with real drivers against the real dev server. In the browser the host runs in a Worker; the e2e suite
 * runs every session that way.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DriverSpec } from '../../src/protocol/driverSpec'
import type { DraftEvent } from '../../src/protocol/events'
import type { SocketIoDriver } from '../../src/protocol/socketio-core/types'
import type { ConnectionState, Driver } from '../../src/protocol/types'
import type { WebSocketDriver } from '../../src/protocol/websocket/driver'
import { DriverHost, MAX_BATCH } from '../../src/protocol/worker/host'
import { PACKED, type FromHost, type Segment, type ToHost } from '../../src/protocol/worker/messages'
import { DriverThread } from '../../src/protocol/worker/thread'
import { Timeline } from '../../src/timeline/timeline'
import { useDevServer, waitFor } from '../support/devServer'
import { BrowserLikeWS } from '../support/browserLikeWebSocket'

const server = useDevServer()

// The raw WebSocket driver uses the global WebSocket, as in a browser (Node 20 has none): the `ws` package's, real.
const hadWebSocket = 'WebSocket' in globalThis
beforeAll(() => {
  if (!hadWebSocket) (globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWS
})
afterAll(() => {
  if (!hadWebSocket) delete (globalThis as { WebSocket?: unknown }).WebSocket
})

interface Pair {
  thread: DriverThread
  host: DriverHost
  /** Every batch the page received, as it arrived. */
  batches: Segment[][]
  close: () => void
}

const pairs: Pair[] = []
const drivers: Driver[] = []

/** A host and a thread joined by a MessageChannel: what crosses it is cloned as between a page and its Worker. */
function pair(): Pair {
  const channel = new MessageChannel()
  const pagePort = channel.port1 as MessagePort
  const workerPort = channel.port2 as MessagePort
  const host = new DriverHost(message => workerPort.postMessage(message))
  workerPort.on('message', (message: ToHost) => host.receive(message))
  const thread = new DriverThread({ postMessage: message => pagePort.postMessage(message) }, { ready: true })
  const batches: Segment[][] = []
  pagePort.on('message', (reply: FromHost) => {
    if (reply.t === 'batch') batches.push(reply.segments)
    thread.receive(reply)
  })
  const made: Pair = { thread, host, batches, close: () => channel.port1.close() }
  pairs.push(made)
  return made
}

afterEach(() => {
  for (const driver of drivers.splice(0)) driver.dispose()
  for (const made of pairs.splice(0)) setTimeout(made.close, 200)
})

function wsSpec(url: string): DriverSpec {
  return { type: 'ws', options: { url, reconnect: { enabled: false } } }
}

function sioSpec(url: string): DriverSpec {
  return { type: 'socketio', setup: { version: 'v4', options: { url, transports: ['websocket'], reconnection: false } }, auto: { version: false, parser: false, path: false } }
}

/** `packed`: the page takes plain frames packed, into `timeline.appendPack`, as the app's sessions do. */
async function open(spec: DriverSpec, timeline = new Timeline(), packed = false) {
  const { thread, batches } = pair()
  const states: ConnectionState[] = []
  /** How many events the timeline held when each state was told. */
  const eventsAtState: number[] = []
  const driver = await thread.create(spec, timeline.append, {
    onState: (state) => {
      states.push(state)
      eventsAtState.push(timeline.length)
    },
  }, packed ? timeline.appendPack : undefined)
  drivers.push(driver)
  return { driver, timeline, states, eventsAtState, batches }
}

const kinds = (timeline: Timeline) => [...timeline.iterate()].map(e => `${e.layer}:${e.kind}:${e.dir}`)

describe('a raw WebSocket driver in the driver thread', () => {
  it.each([['one by one', false], ['packed', true]])('connects, sends and receives text and binary byte-exact, in order, with its states after their events (frames %s)', async (_, packed) => {
    const { driver, timeline, states, eventsAtState } = await open(wsSpec(`${server().urls.ws}/echo`), new Timeline(), packed)
    expect(driver.type).toBe('ws')
    expect(driver.state).toBe('idle')
    driver.connect()
    await waitFor('open', () => driver.state === 'open')
    const sent = await driver.send({ kind: 'text', text: 'hello 한국어 \u202e' })
    expect(sent.ok).toBe(true)
    // The send's own frame reached the timeline before its result.
    expect(kinds(timeline)).toContain('wire:frame:out')
    const bytes = new Uint8Array(256).map((_, i) => i)
    expect((await driver.send({ kind: 'binary', data: bytes })).ok).toBe(true)
    await waitFor('both echoes', () => [...timeline.iterate()].filter(e => e.layer === 'wire' && e.dir === 'in').length === 2)
    const incoming = [...timeline.iterate()].filter(e => e.layer === 'wire' && e.dir === 'in')
    expect(incoming[0]!.data).toBe('hello 한국어 \u202e')
    expect(new Uint8Array(incoming[1]!.data as ArrayBuffer)).toEqual(bytes)
    // seqs are the page's, strictly increasing; times are the Worker's, in order.
    const all = [...timeline.iterate()]
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.seq).toBe(all[i - 1]!.seq + 1)
      expect(all[i]!.time).toBeGreaterThanOrEqual(all[i - 1]!.time)
    }
    expect(states.slice(0, 2)).toEqual(['connecting', 'open'])
    // When 'open' was told, the open event was on the timeline already.
    const openIndex = all.findIndex(e => e.layer === 'lifecycle' && e.kind === 'open')
    expect(eventsAtState[1]).toBeGreaterThan(openIndex)
    ;(driver as WebSocketDriver).disconnect(4001, 'bye')
    await waitFor('closed', () => driver.state === 'closed')
    const close = all.concat([...timeline.iterate()].slice(all.length)).find(e => e.layer === 'lifecycle' && e.kind === 'close')
    expect(close?.code).toBe(4001)
  })

  it('delivers a flood whole and in order, in batches of at most MAX_BATCH events', async () => {
    const n = 10_000
    const { driver, timeline, batches } = await open(wsSpec(`${server().urls.ws}/flood?n=${n}&size=64&close=1`))
    driver.connect()
    await waitFor('the flood and its close', () => driver.state === 'closed', 20_000)
    const frames = [...timeline.iterate()].filter(e => e.layer === 'wire' && e.dir === 'in')
    expect(frames).toHaveLength(n)
    for (const batch of batches) expect(batch.reduce((sum, s) => sum + s.events.length, 0)).toBeLessThanOrEqual(MAX_BATCH)
    // Batched: far fewer posts than frames.
    expect(batches.length).toBeLessThan(n / 4)
  })

  it('packs a flood\'s frames: whole and in order, at most MAX_BATCH frames a batch, no object made per frame', async () => {
    const n = 10_000
    const { driver, timeline, batches } = await open(wsSpec(`${server().urls.ws}/flood?n=${n}&size=64&close=1`), new Timeline(), true)
    driver.connect()
    await waitFor('the flood and its close', () => driver.state === 'closed', 20_000)
    const all = [...timeline.iterate()]
    const frames = all.filter(e => e.layer === 'wire' && e.dir === 'in')
    expect(frames).toHaveLength(n)
    expect(frames.every(e => typeof e.data === 'string' && e.data.length === 64 && e.size === 64 && e.transport === 'websocket')).toBe(true)
    // Lifecycle events keep their places around the frames: open before the first, close after the last.
    expect(all.findIndex(e => e.kind === 'open')).toBeLessThan(all.indexOf(frames[0]!))
    expect(all.findIndex(e => e.kind === 'close')).toBeGreaterThan(all.indexOf(frames.at(-1)!))
    expect(timeline.count('wire', 'in')).toBe(n)
    // Each segment's frames are one pack, a PACKED mark standing in its events for each frame.
    const segments = batches.flat()
    expect(segments.reduce((sum, s) => sum + (s.frames?.n ?? 0), 0)).toBe(n)
    for (const segment of segments) expect(segment.events.filter(e => e === PACKED)).toHaveLength(segment.frames?.n ?? 0)
    for (const batch of batches) expect(batch.reduce((sum, s) => sum + s.events.length, 0)).toBeLessThanOrEqual(MAX_BATCH)
    expect(timeline.arenaBytes).toBeGreaterThan(0)
  })

  it('answers a send after dispose, and a driver that failed to build, with "closed"', async () => {
    const { driver } = await open(wsSpec(`${server().urls.ws}/echo`))
    driver.dispose()
    const result = await driver.send({ kind: 'text', text: 'late' })
    expect(result).toEqual({ ok: false, error: { key: 'protocol.send.closed' } })
  })
})

describe('a Socket.IO driver in the driver thread', () => {
  it('with frames packed, keeps each frame before the packet and the event it carried', async () => {
    const { driver, timeline, batches } = await open(sioSpec(server().urls.socketio), new Timeline(), true)
    ;(driver as SocketIoDriver).setCatchAll(true)
    driver.connect()
    await waitFor('open', () => driver.state === 'open')
    const answer = await driver.send({ kind: 'event', name: 'echo', args: ['packed', { n: 2 }], ack: true })
    expect(answer.ackArgs).toEqual(['packed', { n: 2 }])
    const all = [...timeline.iterate()]
    const ackFrame = all.findIndex(e => e.layer === 'wire' && e.dir === 'in' && typeof e.data === 'string' && e.data.startsWith('43'))
    const ackPacket = all.findIndex(e => e.layer === 'socketio' && e.kind === 'packet' && e.dir === 'in' && e.name === 'ACK')
    const ack = all.findIndex(e => e.layer === 'app' && e.kind === 'ack')
    expect(ackFrame).toBeGreaterThan(-1)
    expect(ackFrame).toBeLessThan(ackPacket)
    expect(ackPacket).toBeLessThan(ack)
    expect(all.every((e, i) => i === 0 || e.seq === all[i - 1]!.seq + 1)).toBe(true)
    // Frames and the objects between them alternate: one pack per segment, not one per run.
    expect(batches.flat().some(s => s.frames !== undefined && s.frames.n > 1 && s.events.some(e => e !== PACKED))).toBe(true)
  })

  it('emits with an ack, mirrors its namespaces, and forwards the Socket.IO calls', async () => {
    const { driver, timeline } = await open(sioSpec(server().urls.socketio))
    const sio = driver as SocketIoDriver
    sio.setCatchAll(true)
    driver.connect()
    await waitFor('open', () => driver.state === 'open')
    const answer = await driver.send({ kind: 'event', name: 'echo', args: [{ n: 1, nested: [1, [2, [3]]] }, 'two'], ack: true })
    expect(answer.ok).toBe(true)
    expect(answer.ackArgs).toEqual([{ n: 1, nested: [1, [2, [3]]] }, 'two'])
    expect(kinds(timeline)).toContain('app:ack:in')
    sio.addNamespace('/admin', { token: 'secret' })
    await waitFor('the /admin namespace answered', () => sio.namespaces.get('/admin') === 'open' || sio.namespaces.get('/admin') === 'closed')
    expect(sio.namespaces.get('/')).toBe('open')
    sio.removeNamespace('/admin')
    await waitFor('/admin removed', () => !sio.namespaces.has('/admin'))
  })

  it('keeps an event whose argument the clone refuses, with a stand-in for that value', async () => {
    const { thread } = pair()
    const timeline = new Timeline()
    const driver = await thread.create(wsSpec(`${server().urls.ws}/echo`), timeline.append)
    drivers.push(driver)
    // What a driver would record if a library left a function among the arguments (the clone throws on it).
    const record = (thread as unknown as { drivers: Map<number, unknown> }).drivers
    expect(record.size).toBe(1)
    const host = pairs[pairs.length - 1]!.host
    const id = [...record.keys()][0]!
    const event: DraftEvent = { time: 1, layer: 'app', kind: 'event', dir: 'in', name: 'odd', detail: { args: [{ keep: 'me', fn: () => 1 }, Symbol('s')] } } as unknown as DraftEvent
    ;(host as unknown as { record: (id: number, e: DraftEvent) => void }).record(id, event)
    host.flush()
    await waitFor('the event', () => timeline.length === 1)
    const got = timeline.get(0) as unknown as { name: string, detail: { args: unknown[] } }
    expect(got.name).toBe('odd')
    expect(got.detail.args).toEqual([{ keep: 'me', fn: '[function fn]' }, 'Symbol(s)'])
  })

  it('keeps a value nested 10,000 levels whole, though the structured clone cannot take it', async () => {
    const { thread } = pair()
    const timeline = new Timeline()
    const driver = await thread.create(wsSpec(`${server().urls.ws}/echo`), timeline.append)
    drivers.push(driver)
    const host = pairs[pairs.length - 1]!.host
    const id = [...(thread as unknown as { drivers: Map<number, unknown> }).drivers.keys()][0]!
    let deep: unknown = ['bottom']
    for (let i = 0; i < 10_000; i++) deep = [deep]
    // The clone's serializer recurses: this depth overflows it (a Chromium Worker's stack overflows from ~2,000).
    expect(() => structuredClone(deep)).toThrow(RangeError)
    const event = { time: 1, layer: 'app', kind: 'event', dir: 'in', name: 'deep', detail: { args: [deep, 'after'] } } as unknown as DraftEvent
    ;(host as unknown as { record: (id: number, e: DraftEvent) => void }).record(id, event)
    host.flush()
    await waitFor('the event', () => timeline.length === 1)
    const args = (timeline.get(0) as unknown as { detail: { args: unknown[] } }).detail.args
    expect(args[1]).toBe('after')
    let levels = 0
    let at = args[0]
    while (Array.isArray(at) && typeof at[0] !== 'string') {
      at = at[0]
      levels++
    }
    expect(levels).toBe(10_000)
    expect(at).toEqual(['bottom'])
  })
})


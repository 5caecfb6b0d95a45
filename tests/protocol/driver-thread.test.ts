// @vitest-environment node
/**
 * The driver Worker's two halves (src/protocol/worker/): the host, which builds and runs drivers, and the page's
 * thread, which mirrors them, talking through a real MessageChannel (the structured clone a Worker's postMessage
 * uses), with real drivers against the real dev server. In the browser the host runs in a Worker; the e2e suite
 * runs every session that way.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DriverSpec } from '../../src/protocol/driverSpec'
import type { DraftEvent } from '../../src/protocol/events'
import type { SocketIoDriver } from '../../src/protocol/socketio-core/types'
import type { ConnectionState, Driver } from '../../src/protocol/types'
import type { WebSocketDriver } from '../../src/protocol/websocket/driver'
import { BATCH_MS, DriverHost, MAX_BATCH, MAX_PACKED_BYTES, STREAM_MS } from '../../src/protocol/worker/host'
import { PACKED, type FromHost, type Segment, type ToHost } from '../../src/protocol/worker/messages'
import { DriverThread } from '../../src/protocol/worker/thread'
import { APP, PACKET, packCursor, unpackEvents } from '../../src/timeline/framePack'
import { buildDriver } from '../../src/protocol/driverSpec'
import { Timeline } from '../../src/timeline/timeline'
import { draft } from '../support/events'
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
  const thread = new DriverThread({ postMessage: (message, transfer) => pagePort.postMessage(message, transfer as never) }, { ready: true })
  const batches: Segment[][] = []
  pagePort.on('message', (reply: FromHost) => {
    // A copy: once taken in, a pack's buffer goes back to the host (recycled), and the page's views of it are empty.
    if (reply.t === 'batch') batches.push(structuredClone(reply.segments))
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
    // Sizes in bytes, as on the wire: UTF-8 for text.
    expect([incoming[0]!.size, incoming[1]!.size]).toEqual([Buffer.byteLength('hello 한국어 \u202e'), 256])
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

  it('keeps a frame too long for a pack as an event, whole, between packed ones', async () => {
    const { driver, timeline, batches } = await open(wsSpec(`${server().urls.ws}/echo`), new Timeline(), true)
    driver.connect()
    await waitFor('open', () => driver.state === 'open')
    const long = `${'long '.repeat(80_000)}é`
    for (const text of ['before', long, 'after']) expect((await driver.send({ kind: 'text', text })).ok).toBe(true)
    await waitFor('the three echoes', () => timeline.count('wire', 'in') === 3)
    const incoming = [...timeline.iterate()].filter(e => e.layer === 'wire' && e.dir === 'in')
    expect(incoming.map(e => [e.data === long ? 'long' : e.data, e.size])).toEqual([['before', 6], ['long', 400_002], ['after', 5]])
    // The long one crossed as an object; the short ones packed.
    const crossed = batches.flat().flatMap(s => s.events).filter(e => e !== PACKED && (e as DraftEvent).layer === 'wire' && (e as DraftEvent).dir === 'in')
    expect(crossed.map(e => ((e as DraftEvent).data as string).length)).toEqual([long.length])
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
    // The page gave the packs' buffers back (each one it took in): the host made no more than one per pack.
    const host = pairs[pairs.length - 1]!.host
    await waitFor('the buffers back', () => (host as unknown as { buffers: ArrayBuffer[] }).buffers.length > 0)
    expect(host.buffersMade).toBeLessThanOrEqual(segments.filter(s => s.frames !== undefined).length)
  })

  it('says a flood is mid-stream while its batches come, and that it paused once they stop (the socket still open)', async () => {
    const n = 20_000
    const { thread } = pair()
    const timeline = new Timeline()
    const told: { streaming: boolean, frames: number }[] = []
    const driver = await thread.create(wsSpec(`${server().urls.ws}/flood?n=${n}&size=64`), timeline.append, {
      onStreaming: streaming => told.push({ streaming, frames: timeline.count('wire', 'in') }),
    }, timeline.appendPack)
    drivers.push(driver)
    driver.connect()
    await waitFor('the flood', () => timeline.count('wire', 'in') === n, 20_000)
    await waitFor('the pause said', () => told.at(-1)?.streaming === false)
    expect(driver.state).toBe('open')
    // Told mid-stream before the flood was over, and the pause only after its last frame.
    expect(told[0]).toMatchObject({ streaming: true })
    expect(told[0]!.frames).toBeLessThan(n)
    expect(told.at(-1)).toEqual({ streaming: false, frames: n })
    // Each change told once: true and false take turns.
    for (let i = 1; i < told.length; i++) expect(told[i]!.streaming).not.toBe(told[i - 1]!.streaming)
    // A disposed driver is not mid-stream.
    driver.dispose()
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

  it('packs a flood\'s packet events: the same timeline as the driver on the page gives, no packet object cloned', async () => {
    const echoes = 300
    const acked = 40
    /** Connect, then emit `echoes` echo events (the server emits each back) and `acked` with an ack, all at once. */
    const flood = async (driver: Driver, timeline: Timeline, expected?: Timeline) => {
      ;(driver as SocketIoDriver).setCatchAll(true)
      driver.connect()
      await waitFor('open', () => driver.state === 'open')
      const sends = []
      for (let i = 0; i < echoes + acked; i++) sends.push(driver.send({ kind: 'event', name: 'echo', args: [`m${i}`], ack: i >= echoes }))
      for (const result of await Promise.all(sends)) expect(result.ok).toBe(true)
      await waitFor('every echo and ack back', () => timeline.count('socketio', 'in') >= 1 + echoes + acked
        && (!expected || timeline.length >= expected.length), 20_000)
    }
    const signature = (timeline: Timeline) => [...timeline.iterate()]
      .filter(e => e.layer !== 'wire' && e.layer !== 'engine' && e.layer !== 'lifecycle')
      .map(e => JSON.stringify([e.layer, e.kind, e.dir, e.name ?? null, e.namespace ?? null, e.ackId ?? null]))
      .sort()
    const onPage = new Timeline()
    const pageDriver = await buildDriver(sioSpec(server().urls.socketio), onPage.append, {})
    drivers.push(pageDriver)
    await flood(pageDriver, onPage)

    const { driver, timeline, batches } = await open(sioSpec(server().urls.socketio), new Timeline(), true)
    await flood(driver, timeline, onPage)
    expect(signature(timeline)).toEqual(signature(onPage))
    expect(timeline.length).toBe(onPage.length)
    for (const layer of ['wire', 'socketio', 'app'] as const) {
      for (const dir of ['in', 'out'] as const) expect([layer, dir, timeline.count(layer, dir)]).toEqual([layer, dir, onPage.count(layer, dir)])
    }
    expect(timeline.eventsIn).toBe(onPage.eventsIn)
    const packets = [...timeline.iterate()].filter(e => e.layer === 'socketio' && e.kind === 'packet')
    expect(packets.filter(e => e.ackId !== undefined).length).toBeGreaterThanOrEqual(2 * acked)
    // Crossed packed: the only packet objects in the batches carry a detail (the CONNECTs); the rest are PACKED slots.
    const segments = batches.flat()
    const cloned = segments.flatMap(s => s.events).filter(e => e !== PACKED && e.layer === 'socketio' && e.kind === 'packet')
    expect(cloned.every(e => e.detail !== undefined)).toBe(true)
    const packedPackets = segments.reduce((sum, s) => sum + (s.frames ? [...s.frames.meta].filter(m => m & PACKET).length : 0), 0)
    expect(packedPackets).toBe(packets.length - cloned.length)
    expect(packedPackets).toBeGreaterThanOrEqual(2 * (echoes + acked))
    // Kept compact on the page too, not as objects.
    const compact = Array.from({ length: timeline.length }, (_, i) => i).filter(i => timeline.get(i)!.kind === 'packet' && timeline.objectAt(i) === undefined)
    expect(compact.length).toBe(packedPackets)
  })

  it('packs application events with JSON arguments: the same events, arguments and key order as on the page; binary ones cross as objects', async () => {
    const argLists: unknown[][] = [
      ['plain', 'ünïcode 한국어 🎉', '\ud800 lone surrogate'],
      [0, -5, 0.1, 1e21, 5e-324, 2 ** 53 + 2, null, true],
      [{ nested: { deeper: [1, [2, [3, { four: 4 }]]] }, empty: {}, list: [] }],
      [JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}')],
      [],
    ]
    const run = async (driver: Driver, timeline: Timeline) => {
      ;(driver as SocketIoDriver).setCatchAll(true)
      driver.connect()
      await waitFor('open', () => driver.state === 'open')
      for (const args of argLists) expect((await driver.send({ kind: 'event', name: 'echo', args })).ok).toBe(true)
      expect((await driver.send({ kind: 'event', name: 'binary', args: [] })).ok).toBe(true)
      // The server asks this client a question with an ack: the event says so.
      expect((await driver.send({ kind: 'event', name: 'ask', args: [{ question: 'q?', timeoutMs: 50 }] })).ok).toBe(true)
      await waitFor('every event back', () => [...timeline.iterate()].some(e => e.layer === 'app' && e.name === 'answer'), 10_000)
    }
    // The dev server recovers connection state: its events end with an offset of their own connection.
    const offset = /^[\w-]{6,}(\.\d+)?$/
    const appEvents = (timeline: Timeline) => [...timeline.iterate()]
      .filter(e => e.layer === 'app' && e.kind === 'event' && e.name !== 'welcome')
      .map(({ seq: _, time: __, ...e }) => {
        const args = [...(e.detail as { args: unknown[] }).args]
        if (typeof args[args.length - 1] === 'string' && offset.test(args[args.length - 1] as string)) args[args.length - 1] = '<offset>'
        return { ...e, detail: { ...e.detail, args } }
      })
    const onPage = new Timeline()
    const pageDriver = await buildDriver(sioSpec(server().urls.socketio), onPage.append, {})
    drivers.push(pageDriver)
    await run(pageDriver, onPage)

    const { driver, timeline, batches } = await open(sioSpec(server().urls.socketio), new Timeline(), true)
    await run(driver, timeline)
    const expected = appEvents(onPage)
    expect(expected.map(e => e.name)).toEqual(['echo', 'echo', 'echo', 'echo', 'echo', 'binary', 'question', 'answer'])
    expect(appEvents(timeline)).toEqual(expected)
    expect(appEvents(timeline).map(e => JSON.stringify(e))).toEqual(expected.map(e => JSON.stringify(e)))
    expect((appEvents(timeline)[6]!.detail as { ackRequested?: boolean }).ackRequested).toBe(true)
    expect(((appEvents(timeline)[0]!.detail as { args: string[] }).args[2]!).charCodeAt(0)).toBe(0xd800)
    expect(timeline.eventsIn).toBe(onPage.eventsIn)
    // Crossed packed, all but the binary one (an ArrayBuffer argument); the welcome too.
    const cloned = batches.flat().flatMap(s => s.events).filter(e => e !== PACKED && e.layer === 'app' && e.kind === 'event')
    expect(cloned.map(e => e.name)).toEqual(['binary'])
    const packedApps = batches.flat().reduce((sum, s) => sum + (s.frames ? [...s.frames.meta].filter(m => m & APP).length : 0), 0)
    expect(packedApps).toBe(8)
    // Kept compact on the page: no object until read.
    const kept = Array.from({ length: timeline.length }, (_, i) => i).filter(i => timeline.get(i)!.layer === 'app' && timeline.get(i)!.kind === 'event')
    expect(kept.filter(i => timeline.objectAt(i) === undefined).length).toBe(8)
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


/** The host's own sink and state hook (private): what a driver's events and states go through. */
interface HostInside {
  record: (id: number, event: DraftEvent, packs?: boolean) => void
  state: (id: number, state: ConnectionState) => void
  hosted: Map<number, unknown>
  wait: number
}

describe('the host\'s batch timer: 4 ms for a trickle, 16 ms while events stream', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A host under fake timers whose posts are kept with the time they were made at (no clone: synchronous). */
  function timedHost() {
    vi.useFakeTimers({ now: 1_000_000 })
    const posts: { at: number, message: FromHost, transfer: Transferable[] }[] = []
    const host = new DriverHost((message, transfer = []) => posts.push({ at: Date.now(), message, transfer }))
    const inside = host as unknown as HostInside
    /** A frame stamped now, so a post's time minus an event's is the delay the batching added. */
    const frame = (id = 1, data = 'x', packs = false) => inside.record(id, draft('wire', 'frame', { time: Date.now(), data }), packs)
    const batches = () => posts.flatMap(p => p.message.t === 'batch' ? [{ at: p.at, segments: p.message.segments, transfer: p.transfer }] : [])
    /** The longest any event of any batch waited (packed frames stand for no object: their times are in the pack). */
    const longestWait = () => Math.max(...batches().flatMap(b => b.segments.flatMap(s => [
      ...s.events.flatMap(e => e === PACKED ? [] : [b.at - e.time]),
      ...(s.frames ? [...s.frames.times].map(t => b.at - t) : []),
    ])))
    return { host, inside, posts, frame, batches, longestWait }
  }

  it('sends a trickle 4 ms after its first event, and a slow stream (1 event/ms) keeps the 4 ms wait', () => {
    const { frame, batches, longestWait } = timedHost()
    const start = Date.now()
    frame()
    vi.advanceTimersByTime(BATCH_MS - 1)
    expect(batches()).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(batches().map(b => b.at - start)).toEqual([BATCH_MS])
    // 1 event a ms for 40 ms: 4 events a batch, under 2 per ms of the wait: every batch still goes after 4 ms.
    vi.advanceTimersByTime(100)
    const slow = Date.now()
    for (let ms = 0; ms < 40; ms++) {
      frame()
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(100)
    expect(batches().slice(1).map(b => b.at - slow)).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 40])
    expect(longestWait()).toBe(BATCH_MS)
  })

  it('waits up to 16 ms while frames stream (3 a ms), never longer, and goes back to 4 ms once the stream stops', () => {
    const { frame, batches, longestWait } = timedHost()
    const start = Date.now()
    for (let ms = 0; ms < 200; ms++) {
      frame(1, 'x', ms % 2 === 0)
      frame(1, 'y', true)
      frame()
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(100)
    const at = batches().map(b => b.at - start)
    // The first batch after 4 ms (12 events: a stream), then one every 16 ms: 13 posts for 200 ms, not 50.
    expect(at.slice(0, 4)).toEqual([4, 20, 36, 52])
    expect(at).toHaveLength(1 + Math.ceil((200 - 4) / STREAM_MS))
    expect(longestWait()).toBeLessThanOrEqual(STREAM_MS)
    expect(batches().reduce((sum, b) => sum + b.segments.reduce((n, s) => n + s.events.length, 0), 0)).toBe(600)
    // The stream's last batch held 3 × (196 - 192) = 12 < 32 events: the wait is 4 ms again.
    const later = Date.now()
    frame()
    vi.advanceTimersByTime(STREAM_MS)
    expect(batches().at(-1)!.at - later).toBe(BATCH_MS)
  })

  it('says whether it is mid-stream, and that the stream paused STREAM_MS after its last streaming batch', () => {
    const { frame, posts } = timedHost()
    const said = () => posts.map(p => p.message.t === 'batch' ? `batch ${p.message.streaming ? 'streaming' : 'trickle'}` : p.message.t)
    // A trickle: its batches say so, and no idle follows them.
    frame()
    vi.advanceTimersByTime(100)
    expect(said()).toEqual(['batch trickle'])
    // A stream (3 frames a ms for 100 ms): every batch of it says so; one idle, STREAM_MS after the last.
    for (let ms = 0; ms < 100; ms++) {
      frame()
      frame()
      frame()
      vi.advanceTimersByTime(1)
    }
    const streamed = said().slice(1)
    expect(streamed.slice(0, -1).every(s => s === 'batch streaming')).toBe(true)
    const lastBatch = posts.at(-1)!.at
    vi.advanceTimersByTime(STREAM_MS - 1)
    expect(posts.at(-1)!.message.t).toBe('batch')
    vi.advanceTimersByTime(100)
    expect(said().filter(s => s === 'idle')).toHaveLength(1)
    expect(posts.at(-1)!.message.t).toBe('idle')
    // The idle comes STREAM_MS after the last streaming batch, nothing having been recorded since.
    const idleAt = posts.at(-1)!.at
    const lastStreaming = posts.filter(p => p.message.t === 'batch' && p.message.streaming).at(-1)!.at
    expect(idleAt - lastStreaming).toBe(STREAM_MS)
    expect(lastBatch).toBeLessThanOrEqual(idleAt)
  })

  it('after a full batch (MAX_BATCH events, or MAX_PACKED_BYTES packed) waits 16 ms, and a state still goes at once', () => {
    const { inside, frame, batches, posts } = timedHost()
    for (let i = 0; i < MAX_BATCH; i++) frame()
    expect(batches()).toHaveLength(1)
    expect(batches()[0]!.segments[0]!.events).toHaveLength(MAX_BATCH)
    let start = Date.now()
    frame()
    vi.advanceTimersByTime(BATCH_MS)
    expect(batches()).toHaveLength(1)
    vi.advanceTimersByTime(STREAM_MS - BATCH_MS)
    expect(batches().map(b => b.at - start)).toEqual([0, STREAM_MS])
    // One event after 16 ms: a trickle again. 64 KiB frames, packed: the 64th reaches MAX_PACKED_BYTES and goes at once.
    const big = 'z'.repeat(64 * 1024)
    const frames = MAX_PACKED_BYTES / big.length
    for (let i = 0; i < frames; i++) frame(1, big, true)
    expect(batches()).toHaveLength(3)
    const full = batches()[2]!
    expect(full.segments[0]!.frames!.n).toBe(frames)
    expect(full.transfer).toHaveLength(1)
    expect(full.transfer[0]).toBe(full.segments[0]!.frames!.bytes.buffer)
    // A state is news: it goes at once, with the event before it, whatever the timer waits (16 ms now).
    expect(inside.wait).toBe(STREAM_MS)
    inside.hosted.set(1, { waiting: [], namespacesKey: '', bufferedAmount: 0 })
    start = Date.now()
    frame()
    inside.state(1, 'reconnecting')
    expect(posts.at(-1)!.message).toMatchObject({ t: 'batch', segments: [{ id: 1, state: 'reconnecting', events: [{ kind: 'frame' }] }] })
    expect(posts.at(-1)!.at).toBe(start)
  })

  it('writes the next packs into the buffers the page gave back: the same buffer, the new pack whole over the old bytes', () => {
    const { host, frame, batches } = timedHost()
    const packOf = (round: number) => batches()[round]!.segments[0]!.frames!
    const texts = (round: number, n: number) => Array.from({ length: n }, (_, i) => `round ${round} frame ${i} ${'ü'.repeat(i)}`)
    const send = (round: number, n: number) => {
      for (const text of texts(round, n)) frame(1, text, true)
      vi.advanceTimersByTime(STREAM_MS)
    }
    send(0, 40)
    const first = packOf(0)
    expect(first.times.buffer.byteLength).toBe(64 * 1024)
    expect(host.buffersMade).toBe(1)
    // The page took it in and gave the buffer back; the next, smaller pack is written into it.
    host.receive({ t: 'recycle', buffers: [first.times.buffer as ArrayBuffer] })
    send(1, 3)
    const second = packOf(1)
    expect(second.times.buffer).toBe(first.times.buffer)
    expect(host.buffersMade).toBe(1)
    expect(unpackEvents(packCursor(second), second.n).map(f => f.data)).toEqual(texts(1, 3))
    // Not given back: the next pack gets a new buffer.
    send(2, 3)
    expect(packOf(2).times.buffer).not.toBe(first.times.buffer)
    expect(host.buffersMade).toBe(2)
    // A pack larger than every buffer back gets a new one, rounded up to a power of two.
    host.receive({ t: 'recycle', buffers: [second.times.buffer as ArrayBuffer] })
    const large = 'L'.repeat(100 * 1024)
    frame(1, large, true)
    vi.advanceTimersByTime(STREAM_MS)
    expect(packOf(3).times.buffer.byteLength).toBe(128 * 1024)
    expect(host.buffersMade).toBe(3)
    // A buffer far too large for a pack (over 8 times) is left in the pool and leaves it as others come back.
    const huge = new ArrayBuffer(4 * 1024 * 1024)
    host.receive({ t: 'recycle', buffers: [huge] })
    send(4, 1)
    expect(packOf(4).times.buffer).toBe(second.times.buffer)
    send(5, 1)
    expect(packOf(5).times.buffer).not.toBe(huge)
    expect(packOf(5).times.buffer.byteLength).toBe(64 * 1024)
    expect(host.buffersMade).toBe(4)
    for (let i = 0; i < 4; i++) host.receive({ t: 'recycle', buffers: [new ArrayBuffer(64 * 1024)] })
    expect((host as unknown as { buffers: ArrayBuffer[] }).buffers).not.toContain(huge)
    expect((host as unknown as { buffers: ArrayBuffer[] }).buffers).toHaveLength(4)
  })

  it('gives each segment of a batch its own pack, also two of one driver, and a reused builder leaks nothing into the next batch', () => {
    const { frame, batches } = timedHost()
    const text = (id: number, n: number) => `driver ${id} frame ${n} ${'한'.repeat(n)}`
    const run = (round: number) => {
      for (const [id, n] of [[1, 3], [2, 2], [1, 1]] as const) {
        for (let i = 0; i < n; i++) frame(id, text(id, round * 10 + i), true)
      }
      vi.advanceTimersByTime(STREAM_MS)
    }
    const datas = (round: number) => batches()[round]!.segments.map(s => ({ id: s.id, data: unpackEvents(packCursor(s.frames!), s.frames!.n).map(f => f.data) }))
    const expected = (round: number) => [
      { id: 1, data: [0, 1, 2].map(i => text(1, round * 10 + i)) },
      { id: 2, data: [0, 1].map(i => text(2, round * 10 + i)) },
      { id: 1, data: [text(1, round * 10)] },
    ]
    run(0)
    run(1)
    run(2)
    expect(batches()).toHaveLength(3)
    for (const round of [0, 1, 2]) {
      expect(datas(round)).toEqual(expected(round))
      expect(batches()[round]!.transfer).toHaveLength(3)
    }
  })
})

describe('a send\'s result while the host waits 16 ms', () => {
  it('still comes after the send\'s own frame', async () => {
    const { driver, timeline } = await open(wsSpec(`${server().urls.ws}/echo`), new Timeline(), true)
    driver.connect()
    await waitFor('open', () => driver.state === 'open')
    const host = pairs.at(-1)!.host as unknown as HostInside
    const id = [...host.hosted.keys()][0]!
    // A stream's batch: 40 frames in one 4 ms wait makes the next wait 16 ms.
    const before = timeline.length
    for (let i = 0; i < 40; i++) host.record(id, draft('wire', 'frame', { time: Date.now(), data: `streamed ${i}` }), true)
    await waitFor('the streamed batch', () => timeline.length === before + 40)
    expect(host.wait).toBe(STREAM_MS)
    const sent = await driver.send({ kind: 'text', text: 'during a stream' })
    expect(sent.ok).toBe(true)
    const out = [...timeline.iterate()].filter(e => e.layer === 'wire' && e.dir === 'out')
    expect(out.map(e => e.data)).toEqual(['during a stream'])
    await waitFor('the echo', () => [...timeline.iterate()].some(e => e.dir === 'in' && e.data === 'during a stream'))
  })
})

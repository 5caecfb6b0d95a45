/**
 * The page's side of the driver Worker (./host.ts): a `Driver` for each driver the Worker runs, whose events arrive
 * in batches and go into the page's sink (the session's `Timeline.append`) in the order they were recorded, with
 * their Worker timestamps. The timeline, and everything that reads it, stays on the page and synchronous.
 *
 * What the page's code reads synchronously from a driver (`state`, a Socket.IO driver's `namespaces`, a raw
 * WebSocket's `bufferedAmount`) is mirrored: the Worker sends it with the batch that changed it, and `onState` is
 * called after exactly the events the Worker recorded before the change.
 */
import type { DriverSpec } from '../driverSpec'
import type { DraftEvent } from '../events'
import { message } from '../message'
import type { SocketIoDriver } from '../socketio-core/types'
import type { ConnectionState, Driver, DriverHooks, OutgoingMessage, ProtocolType, SendResult, Sink } from '../types'
import { now } from '../types'
import { PACKED, type DriverCall, type FromHost, type Segment, type ToHost } from './messages'
import { cloneable, MAX_DEPTH, restoreDeep, type DeepValue } from './cloneable'
import { nestsDeeperThan } from '../codec/jsonText'
import { packCursor, packTransfer, unpackEvents, type PackCursor } from '../../timeline/framePack'

/** Takes the next `count` events of a pack (frames, packet and application events) at once: `Timeline.appendPack`. */
export type PackSink = (cursor: PackCursor, count: number) => void

/** What a thread talks through: a Worker, or a MessagePort (tests run the host in the same process). */
export interface HostPort {
  postMessage: (message: ToHost, transfer?: Transferable[]) => void
}

/** The Worker did not start (a policy, an old browser): the caller builds its drivers on the page instead. */
export class DriverThreadUnavailable extends Error {}

/** How long a new Worker may take to say it is ready before the page gives up on it. */
const READY_TIMEOUT_MS = 10_000

/** The reason of the event a driver records when its Worker stopped under it (localReasons.ts). */
export const THREAD_STOPPED = 'the driver thread stopped'

export class DriverThread {
  private nextId = 1
  private nextCall = 1
  private readonly drivers = new Map<number, ThreadDriver>()
  private readonly creating = new Map<number, { resolve: (error?: string) => void }>()
  private readyState: 'waiting' | 'ready' | 'failed'
  private readonly whenReady: Promise<void>
  private markReady!: () => void
  private markFailed!: (reason: Error) => void

  constructor(private readonly port: HostPort, options: { ready?: boolean } = {}) {
    this.readyState = options.ready ? 'ready' : 'waiting'
    this.whenReady = options.ready
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          this.markReady = resolve
          this.markFailed = reject
        })
    // A rejection nobody awaited yet is not an unhandled one: create() awaits it.
    this.whenReady.catch(() => undefined)
  }

  /** The Worker did not load, or stopped: every driver it ran says so on its timeline and closes. */
  fail(reason: string): void {
    if (this.readyState === 'waiting') {
      this.readyState = 'failed'
      this.markFailed(new DriverThreadUnavailable(reason))
      return
    }
    this.readyState = 'failed'
    for (const pending of this.creating.values()) pending.resolve(reason)
    this.creating.clear()
    for (const driver of this.drivers.values()) driver.stopped()
    this.drivers.clear()
  }

  /** Still waiting for the Worker's first word. */
  get starting(): boolean {
    return this.readyState === 'waiting'
  }

  get failed(): boolean {
    return this.readyState === 'failed'
  }

  receive(reply: FromHost): void {
    switch (reply.t) {
      case 'ready':
        if (this.readyState === 'waiting') {
          this.readyState = 'ready'
          this.markReady()
        }
        return
      case 'batch':
        this.batch(reply.segments, reply.streaming)
        return
      case 'idle':
        for (const driver of this.drivers.values()) driver.streaming(false)
        return
      case 'created': {
        const driver = this.drivers.get(reply.id)
        if (driver && reply.error === undefined) driver.mirrorState(reply.state, false)
        this.creating.get(reply.id)?.resolve(reply.error)
        this.creating.delete(reply.id)
        return
      }
      case 'sent':
        this.drivers.get(reply.id)?.answer(reply.call, reply.result)
        return
      case 'disposed':
        this.drivers.get(reply.id)?.gone()
        this.drivers.delete(reply.id)
    }
  }

  /**
   * Build a driver in the Worker; rejects with DriverThreadUnavailable when the Worker never started. With
   * `packSink`, its plain frames, packet events and application events arrive packed and go there (in order with the
   * events `sink` gets); without, every event goes to `sink`.
   */
  async create(spec: DriverSpec, sink: Sink, hooks: DriverHooks = {}, packSink?: PackSink): Promise<Driver> {
    await this.whenReady
    if (this.readyState === 'failed') throw new DriverThreadUnavailable('the driver thread stopped')
    const id = this.nextId++
    const driver = new ThreadDriver(this, id, spec.type, sink, hooks, packSink)
    this.drivers.set(id, driver)
    const error = await new Promise<string | undefined>((resolve) => {
      this.creating.set(id, { resolve })
      this.port.postMessage({ t: 'create', id, spec, packs: packSink !== undefined })
    })
    if (error !== undefined) {
      this.drivers.delete(id)
      throw new Error(error)
    }
    return driver
  }

  /** @internal */
  call(id: number, method: DriverCall, args: unknown[] = []): void {
    if (this.readyState !== 'failed') this.port.postMessage({ t: 'call', id, method, args })
  }

  /** @internal */
  send(id: number, outgoing: OutgoingMessage): number {
    const call = this.nextCall++
    // Arguments nested deeper than the Worker's stack lets the clone read back go as JSON text (./cloneable.ts).
    if (outgoing.kind === 'event' && nestsDeeperThan(outgoing.args, MAX_DEPTH)) {
      const deep: DeepValue[] = []
      const copy = cloneable(outgoing, 0, deep, true)
      this.port.postMessage({ t: 'send', id, call, message: copy, deep })
    }
    else this.port.postMessage({ t: 'send', id, call, message: outgoing })
    return call
  }

  /**
   * A batch's segments into their drivers; then the buffers of its packs, taken in (copied into the timelines' arenas
   * or unpacked into objects), go back to the host for its next packs.
   */
  private batch(segments: Segment[], streaming: boolean): void {
    let buffers: ArrayBuffer[] | undefined
    for (const segment of segments) {
      const driver = this.drivers.get(segment.id)
      driver?.take(segment)
      driver?.streaming(streaming)
      if (segment.frames) (buffers ??= []).push(...packTransfer(segment.frames))
    }
    if (buffers && this.readyState !== 'failed') this.port.postMessage({ t: 'recycle', buffers }, buffers)
  }
}

/** A driver that runs in the Worker, as the page sees it. */
class ThreadDriver implements Driver, Omit<SocketIoDriver, 'type'> {
  state: ConnectionState = 'idle'
  readonly namespaces = new Map<string, ConnectionState>()
  bufferedAmount = 0
  private readonly calls = new Map<number, (result: SendResult) => void>()
  private disposed = false
  /** What `onStreaming` was last told. */
  private midStream = false

  constructor(
    private readonly thread: DriverThread,
    private readonly id: number,
    readonly type: ProtocolType,
    private readonly sink: Sink,
    private readonly hooks: DriverHooks,
    private readonly packSink: PackSink | undefined,
  ) {}

  connect(): void {
    if (!this.disposed) this.thread.call(this.id, 'connect')
  }

  disconnect(code?: number, reason?: string): void {
    if (this.disposed) return
    const args = code === undefined && reason === undefined ? [] : [code, reason]
    this.thread.call(this.id, 'disconnect', args)
  }

  send(outgoing: OutgoingMessage): Promise<SendResult> {
    if (this.disposed || this.thread.failed) return Promise.resolve({ ok: false, error: message('protocol.send.closed') })
    return new Promise((resolve) => {
      this.calls.set(this.thread.send(this.id, outgoing), resolve)
    })
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.thread.call(this.id, 'dispose')
  }

  addNamespace(namespace: string, auth?: Record<string, unknown>): void {
    this.thread.call(this.id, 'addNamespace', [namespace, auth])
  }

  removeNamespace(namespace: string): void {
    this.thread.call(this.id, 'removeNamespace', [namespace])
  }

  setCatchAll(on: boolean): void {
    this.thread.call(this.id, 'setCatchAll', [on])
  }

  listen(eventName: string, on: boolean): void {
    this.thread.call(this.id, 'listen', [eventName, on])
  }

  setServerAckReply(args: unknown[] | undefined): void {
    this.thread.call(this.id, 'setServerAckReply', [args])
  }

  /** @internal A batch's segment: its events into the sink, then the mirrored fields, then the state. */
  take(segment: Segment): void {
    const sink = this.sink
    const events = segment.events
    if (segment.deep) restoreDeep(events, segment.deep)
    const cursor = segment.frames && packCursor(segment.frames)
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!
      if (event !== PACKED) {
        sink(event)
        continue
      }
      // A run of packed events goes in at once.
      let count = 1
      while (events[i + count] === PACKED) count++
      i += count - 1
      if (!cursor) continue
      if (this.packSink) this.packSink(cursor, count)
      else for (const packed of unpackEvents(cursor, count)) sink(packed)
    }
    if (segment.namespaces) {
      this.namespaces.clear()
      for (const [name, state] of segment.namespaces) this.namespaces.set(name, state)
    }
    if (segment.bufferedAmount !== undefined) this.bufferedAmount = segment.bufferedAmount
    if (segment.state !== undefined) this.mirrorState(segment.state, true)
  }

  /** @internal */
  mirrorState(state: ConnectionState, tell: boolean): void {
    this.state = state
    if (tell && !this.disposed) this.hooks.onState?.(state)
  }

  /** @internal */
  answer(call: number, result: SendResult): void {
    const resolve = this.calls.get(call)
    this.calls.delete(call)
    resolve?.(result)
  }

  /** @internal Whether its last batch came mid-stream; told to `onStreaming` when that changes. */
  streaming(streaming: boolean): void {
    if (streaming === this.midStream) return
    this.midStream = streaming
    this.hooks.onStreaming?.(streaming)
  }

  /** @internal The Worker disposed the driver: sends still waiting will never be answered, no more batches come. */
  gone(): void {
    for (const resolve of this.calls.values()) resolve({ ok: false, error: message('protocol.send.closed') })
    this.calls.clear()
    this.streaming(false)
  }

  /** @internal The Worker stopped: say so on the timeline, as a driver whose socket failed would. */
  stopped(): void {
    if (this.disposed) return
    this.gone()
    if (this.state !== 'closed' && this.state !== 'idle') {
      const event: DraftEvent = { time: now(), layer: 'lifecycle', kind: 'error', dir: 'local', reason: THREAD_STOPPED }
      this.sink(event)
    }
    this.disposed = true
    this.mirrorState('closed', true)
  }
}

/**
 * Start the driver Worker. Returns undefined where there is no Worker (Node, tests' jsdom) or it cannot be built;
 * a Worker that fails to load afterwards (refused by a policy) makes `create` reject with DriverThreadUnavailable.
 */
export function startDriverWorker(): DriverThread | undefined {
  if (typeof Worker !== 'function') return undefined
  let worker: Worker
  try {
    worker = new Worker(new URL('./drivers.worker.ts', import.meta.url), { type: 'module', name: 'socketlens-drivers' })
  }
  catch {
    return undefined
  }
  const thread = new DriverThread({ postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []) })
  worker.onmessage = (event: MessageEvent<FromHost>) => thread.receive(event.data)
  worker.onerror = (event) => {
    // Before it is ready, an error is a Worker that could not load. After, it is an exception in a handler, which
    // the host already turns into a failed send or an event: the Worker keeps running.
    if (thread.starting) {
      event.preventDefault()
      thread.fail(event.message || 'the driver Worker could not start')
    }
  }
  setTimeout(() => {
    if (thread.starting) thread.fail('the driver Worker did not start within 10 s')
  }, READY_TIMEOUT_MS)
  return thread
}

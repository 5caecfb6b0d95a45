/**
 * A Socket.IO driver that picks the client version, the parser and the path by itself, on evidence.
 *
 * It holds one real driver (v4 or v2) at a time. When that driver finds evidence that another client version,
 * parser or path would work (it calls `onOffer`: an Engine.IO 3 answer, a handshake followed by a transport close
 * with no connect, an Engine.IO handshake found at the URL's path), and that choice is automatic, it records a
 * `lifecycle` `auto` event naming the choice and the evidence, disposes the driver (it records nothing after that),
 * builds the next one on the same timeline sink, hands it the session's namespaces and listeners, and connects.
 *
 * Bounded: each (choice, value) is taken at most once per driver, so two answers that contradict each other cannot
 * make it switch back and forth. A choice that is not automatic stays an offer in the failure's detail, for the
 * banner's one-click retry.
 *
 * Timeline:
 *   lifecycle  auto local  reason (what was chosen, in words), explain, detail {choice, from, to, evidence}
 */
import type { ConnectionState, DriverHooks, OutgoingMessage, SendResult, Sink } from '../types'
import { now } from '../types'
import { diagnosisText, makeDiagnosis } from '../diagnose'
import { message, type MessageRef } from '../message'
import type { DriverOffer, SocketIoDriver, SocketIoDriverOptions, SocketIoParserName } from './types'

export type ClientVersion = 'v4' | 'v2'

/** Which choices the driver may make by itself (Connection options → Automatic choices). */
export interface AutoChoices {
  version: boolean
  parser: boolean
  path: boolean
}

/** What the next driver is built from. */
export interface AutoDriverSetup {
  version: ClientVersion
  options: SocketIoDriverOptions
}

/** Builds a driver (loading the v2 client or the msgpack parser on first use). */
export type DriverBuilder = (setup: AutoDriverSetup, sink: Sink, hooks: DriverHooks) => Promise<SocketIoDriver>

/** The most switches in one driver's life: version, parser and path once each, with room for one more. */
const MAX_SWITCHES = 4

/** Build the first driver and wrap it. */
export async function createAutoSocketIoDriver(
  setup: AutoDriverSetup, auto: AutoChoices, build: DriverBuilder, sink: Sink, hooks: DriverHooks = {},
): Promise<SocketIoDriver> {
  const driver = new AutoSocketIoDriver(setup, auto, build, sink, hooks)
  await driver.init()
  return driver
}

/** The offers a driver may take by itself: every choice but 'transports', which is only offered. */
type TakenOffer = DriverOffer & { choice: Exclude<DriverOffer['choice'], 'transports'> }

interface NamespaceSetting { auth: Record<string, unknown> | undefined }

export class AutoSocketIoDriver implements SocketIoDriver {
  readonly type = 'socketio' as const
  private inner!: SocketIoDriver
  /** Bumped when a driver is retired: events and states of older ones are dropped. */
  private generation = 0
  private setup: AutoDriverSetup
  private readonly taken = new Set<string>()
  private switching: ReturnType<typeof setTimeout> | undefined
  private disposed = false
  /** The user wants to be connected (connect() called, no disconnect() since). */
  private wanted = false

  // What the session handed the driver, replayed onto the next one.
  private readonly extraNamespaces = new Map<string, NamespaceSetting>()
  private catchAll = true
  private readonly listened = new Map<string, boolean>()
  private ackReply: unknown[] | undefined

  constructor(
    setup: AutoDriverSetup,
    private readonly auto: AutoChoices,
    private readonly build: DriverBuilder,
    private readonly sink: Sink,
    private readonly hooks: DriverHooks,
  ) {
    this.setup = setup
  }

  /** The client version, parser and path in use now. */
  get current(): { version: ClientVersion, parser: SocketIoParserName, path: string, url: string } {
    const { options, version } = this.setup
    return { version, parser: options.parser ?? 'default', path: options.path ?? '/socket.io', url: options.url }
  }

  async init(): Promise<void> {
    this.inner = await this.buildInner()
  }

  get state(): ConnectionState {
    return this.inner.state
  }

  get namespaces(): ReadonlyMap<string, ConnectionState> {
    return this.inner.namespaces
  }

  connect(): void {
    this.wanted = true
    this.inner.connect()
  }

  disconnect(): void {
    this.wanted = false
    if (this.switching !== undefined) {
      // Disconnect pressed between the failure and the switch: stay disconnected.
      clearTimeout(this.switching)
      this.switching = undefined
    }
    this.inner.disconnect()
  }

  send(message: OutgoingMessage): Promise<SendResult> {
    return this.inner.send(message)
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.switching)
    this.generation++
    this.inner.dispose()
  }

  addNamespace(namespace: string, auth?: Record<string, unknown>): void {
    this.extraNamespaces.set(namespace, { auth })
    this.inner.addNamespace(namespace, auth)
  }

  removeNamespace(namespace: string): void {
    this.extraNamespaces.delete(namespace)
    this.inner.removeNamespace(namespace)
  }

  setCatchAll(on: boolean): void {
    this.catchAll = on
    this.inner.setCatchAll(on)
  }

  listen(eventName: string, on: boolean): void {
    this.listened.set(eventName, on)
    this.inner.listen(eventName, on)
  }

  setServerAckReply(args: unknown[] | undefined): void {
    this.ackReply = args
    this.inner.setServerAckReply(args)
  }

  private async buildInner(): Promise<SocketIoDriver> {
    const generation = this.generation
    // The timeline's own sink, not a filter around it (the hot path: one call per event). A retired driver is
    // disposed first, and a disposed driver records nothing and reports no state (socketio-core/session.ts).
    const options: SocketIoDriverOptions = { ...this.setup.options, onOffer: offer => generation === this.generation && this.onOffer(offer) }
    const driver = await this.build({ version: this.setup.version, options }, this.sink, this.hooks)
    driver.setCatchAll(this.catchAll)
    for (const [name, on] of this.listened) driver.listen(name, on)
    driver.setServerAckReply(this.ackReply)
    for (const [name, { auth }] of this.extraNamespaces) driver.addNamespace(name, auth)
    return driver
  }

  /** Whether this offer is taken by itself: the choice is automatic, new, and within the bound. */
  private onOffer(offer: DriverOffer): boolean {
    if (offer.choice === 'transports') return false
    if (this.disposed || !this.wanted || this.switching !== undefined || !this.auto[offer.choice]) return false
    const key = `${offer.choice}:${offer.value}`
    if (this.taken.has(key) || this.taken.size >= MAX_SWITCHES) return false
    this.taken.add(key)
    // After the driver's own event has run its course (it records the failure that carries the offer first).
    this.switching = setTimeout(() => {
      this.switching = undefined
      void this.switchTo(offer)
    }, 0)
    return true
  }

  private async switchTo(given: DriverOffer): Promise<void> {
    if (this.disposed || !this.wanted || given.choice === 'transports') return
    const offer = given as TakenOffer
    const before = this.current
    const next: AutoDriverSetup = { version: this.setup.version, options: { ...this.setup.options } }
    let from: string
    if (offer.choice === 'version') {
      from = before.version
      next.version = offer.value === 'v2' ? 'v2' : 'v4'
    }
    else if (offer.choice === 'parser') {
      from = before.parser
      next.options.parser = offer.value === 'msgpack' ? 'msgpack' : 'default'
    }
    else {
      from = before.path
      next.options.path = offer.value
      if (offer.url) next.options.url = offer.url
    }
    this.sink({
      time: now(), layer: 'lifecycle', kind: 'auto', dir: 'local', reason: autoReason(offer),
      // What was done first (a timeline row shows the start of it), then why; a path found is news in itself.
      explain: autoExplain(offer),
      detail: { choice: offer.choice, from, to: offer.value, ...(offer.url ? { url: offer.url } : {}), evidence: offer.evidence },
    })
    const old = this.inner
    this.generation++
    if (old.retire) old.retire()
    else old.dispose()
    this.setup = next
    try {
      this.inner = await this.buildInner()
    }
    catch (err) {
      // The v2 client or the msgpack parser could not be loaded (offline, a stale deployment): say so, stay closed.
      const loadFailed = makeDiagnosis('unknown', 'load-failed', { message: String((err as Error)?.message ?? err) })
      this.sink({
        time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'local', reason: 'could not load the client',
        explain: diagnosisText(loadFailed, 'explanation'),
        detail: { willRetry: false, diagnosis: loadFailed },
      })
      this.inner = old
      this.hooks.onState?.('closed')
      return
    }
    if (this.disposed || !this.wanted) {
      this.inner.dispose()
      return
    }
    this.inner.connect()
  }
}

function autoReason(offer: TakenOffer): string {
  switch (offer.choice) {
    case 'version': return `connecting with the Socket.IO ${offer.value} client`
    case 'parser': return `connecting with the ${offer.value} parser`
    case 'path': return `Socket.IO server found at path ${offer.value}`
  }
}

/** What was done and why (`protocol.auto.*`): the offer's choice and value name the words. */
function autoExplain(offer: TakenOffer): MessageRef {
  switch (offer.choice) {
    case 'version': return message(offer.value === 'v2' ? 'protocol.auto.versionV2' : 'protocol.auto.versionV4')
    case 'parser': return message(offer.value === 'msgpack' ? 'protocol.auto.parserMsgpack' : 'protocol.auto.parserDefault')
    case 'path': return offer.url
      ? message('protocol.auto.path', { path: offer.value, url: offer.url })
      : message('protocol.auto.pathHere', { path: offer.value })
  }
}

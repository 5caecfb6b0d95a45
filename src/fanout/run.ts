/**
 * One fan-out: N clients to one endpoint, each with its own driver and its own timeline (tagged with its client
 * number by being its own), created on a ramp, each joining a room (rooms from a list: client i joins room
 * i mod rooms), one of them sending (or each in turn), and every received event matched to its send (tag.ts).
 * Pure TypeScript: the driver comes from an injected factory (the store hands it the app's driver factory, the
 * tests the real drivers against the dev server).
 *
 * Everything the UI reads (grid, delivery log, client timelines) is plain data. `version`, `subscribe` and
 * `acknowledge` are the shape of a Timeline the UI's one tick (useTimelineTick) listens to: at most one update per
 * animation frame, slower in a flood, never one per event.
 */
import type { ConnectionState, Driver, OutgoingMessage, ProtocolType, Sink } from '@/protocol/types'
import type { DraftEvent } from '@/protocol/events'
import { now } from '@/protocol/types'
import { Timeline } from '@/timeline/timeline'
import { ClientGrid, nodeOf, rampDelay } from './clients'
import { DeliveryLog } from './deliveries'
import { findTag, payloadKey, receivedKeys, tagMessage } from './tag'
import { roomMessageArgs, type RoomSendShape } from '@/sending/roomMessage'
import { clampClients } from './limits'

export { CHROMIUM_WEBSOCKETS_PER_PAGE, MAX_CLIENTS } from './limits'
/** Each client's own timeline keeps at most this many events (N of them share the page's memory). */
export const CLIENT_TIMELINE_EVENTS = 20_000
const JOIN_ACK_TIMEOUT_MS = 5000


export interface FanoutSettings {
  type: ProtocolType
  clients: number
  /** Clients started per second. */
  rampPerSecond: number
  /** Rooms to join; client i joins rooms[(i - 1) % rooms.length]. Empty: no join (everyone on the namespace). */
  rooms: string[]
  joinEvent: string
  joinPayload: 'string' | 'object'
  sendEvent: string
  sendShape: RoomSendShape
  roomKey: string
  messageKey: string
  /** Tag every send so receivers can be matched exactly; off: match on equality of the payload. */
  tag: boolean
  /** The server sends a room message back to its sender too (the study note's does not). */
  senderHearsOwn: boolean
  /** Client 1 (the first open one) sends, or each open client in turn. */
  sender: 'first' | 'each'
}

export type DriverMaker = (client: number, sink: Sink, onState: (state: ConnectionState) => void) =>
  Promise<{ ok: true, driver: Driver } | { ok: false, error: unknown }>

export interface FanoutClient {
  /** 1-based. */
  readonly n: number
  readonly timeline: Timeline
  readonly room: string | undefined
  driver?: Driver
  /** In its room (the join was acknowledged, or went unanswered for 5 s). */
  joined: boolean
  /** Why no driver could be made. */
  error?: unknown
}

export type FanoutSendResult = { ok: true, seq: number, sender: number, expected: number } | { ok: false, reason: 'noSender' | 'stopped' }


/** A composer text as the value to send: a JSON object stays an object (it gets a `fanout` key), anything else is text. */
export function messageValue(text: string): unknown {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed)
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value
    }
    catch { /* text */ }
  }
  return text
}

let runCounter = 0

export class FanoutRun {
  readonly id: string
  readonly settings: FanoutSettings
  readonly size: number
  readonly clients: FanoutClient[]
  readonly grid: ClientGrid
  readonly log = new DeliveryLog()
  /** Page clock when started; and when the last client was asked to connect. */
  startedAt = 0
  rampDoneAt: number | undefined
  stopped = false
  /** Received events that carried no tag of this run (or matched no send). */
  unmatched = 0

  private timers: ReturnType<typeof setTimeout>[] = []
  private nextSender = 0
  private listeners = new Set<() => void>()
  private notified = false
  private changes = 0

  constructor(settings: FanoutSettings, private readonly makeDriver: DriverMaker) {
    runCounter += 1
    this.id = `${Date.now().toString(36)}${runCounter}`
    this.settings = { ...settings, rooms: settings.rooms.map(r => r.trim()).filter(Boolean) }
    this.size = clampClients(settings.clients)
    this.grid = new ClientGrid(this.size)
    const rooms = this.settings.rooms
    this.clients = Array.from({ length: this.size }, (_, i) => ({
      n: i + 1,
      timeline: new Timeline({ maxEvents: CLIENT_TIMELINE_EVENTS }),
      room: rooms.length > 0 ? rooms[i % rooms.length] : undefined,
      joined: false,
    }))
  }

  // ------------------------------------------------------------ the tick's source (a Timeline's shape)

  get version(): number {
    return this.changes
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  acknowledge(): void {
    this.notified = false
  }

  private changed(): void {
    this.changes++
    if (this.notified) return
    this.notified = true
    for (const listener of this.listeners) listener()
  }

  // ------------------------------------------------------------ lifecycle

  /** Start the clients on the ramp. */
  start(): void {
    this.startedAt = now()
    for (const client of this.clients) {
      const delay = rampDelay(client.n, this.settings.rampPerSecond)
      if (delay <= 0) void this.open(client)
      else this.timers.push(setTimeout(() => void this.open(client), delay))
    }
  }

  private async open(client: FanoutClient): Promise<void> {
    if (this.stopped) return
    this.grid.setState(client.n, 'connecting', now())
    this.changed()
    const result = await this.makeDriver(client.n, this.sinkFor(client), state => this.onState(client, state))
    if (client.n === this.size) this.rampDoneAt = now()
    if (this.stopped) {
      if (result.ok) result.driver.dispose()
      return
    }
    if (!result.ok) {
      client.error = result.error
      this.grid.setState(client.n, 'closed', now())
      this.changed()
      return
    }
    client.driver = result.driver
    result.driver.connect()
  }

  private onState(client: FanoutClient, state: ConnectionState): void {
    if (this.stopped) return
    if (state !== 'open') client.joined = false
    this.grid.setState(client.n, state, now())
    if (state === 'open') this.join(client)
    this.changed()
  }

  /** Join the client's room, on every open: a restarted server has forgotten its rooms. */
  private join(client: FanoutClient): void {
    const driver = client.driver
    if (client.room === undefined || this.settings.type !== 'socketio') {
      client.joined = true
      return
    }
    if (!driver) return
    const payload = this.settings.joinPayload === 'object' ? { room: client.room } : client.room
    void driver.send({ kind: 'event', name: this.settings.joinEvent, args: [payload], ack: true, timeoutMs: JOIN_ACK_TIMEOUT_MS }).then((result) => {
      // No ack (a server that sends none) still leaves the client asked in: only the server knows.
      if (this.stopped || driver.state !== 'open') return
      void result
      client.joined = true
      this.changed()
    })
  }

  /** Dispose every client; the run's figures stay. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers = []
    for (const client of this.clients) {
      client.joined = false
      client.driver?.dispose()
    }
    this.grid.closeAll()
    this.changed()
  }

  // ------------------------------------------------------------ receiving (hot path: once per client event)

  private sinkFor(client: FanoutClient): Sink {
    const append = client.timeline.append
    const n = client.n
    return (draft: DraftEvent) => {
      const event = append(draft)
      if (event.layer === 'app' && event.kind === 'event') this.onAppEvent(n, event.name, event.detail.args, event.time)
      else if (event.layer === 'wire' && event.dir === 'in' && this.settings.type === 'ws' && typeof event.data === 'string') this.onAppEvent(n, '', [event.data], event.time)
      this.changed()
    }
  }

  private onAppEvent(client: number, name: string, args: readonly unknown[], time: number): void {
    if (name === 'welcome') {
      const node = nodeOf(args)
      if (node !== undefined) this.grid.setNode(client, node)
      return
    }
    if (this.log.size === 0) return
    const outcome = this.settings.tag
      ? (() => {
          const seq = findTag(args, this.id)
          return seq === undefined ? 'unknown' : this.log.receive(client, seq, time)
        })()
      : this.log.receiveByKey(client, receivedKeys(args), time)
    if (outcome === 'unknown' && (this.settings.type === 'ws' || name === this.settings.sendEvent)) this.unmatched++
  }

  // ------------------------------------------------------------ sending

  /** The client that sends next, or undefined when none is open and in its room. */
  private pickSender(): FanoutClient | undefined {
    const ready = (c: FanoutClient) => c.driver !== undefined && this.grid.states[c.n - 1] === 'open' && c.joined
    if (this.settings.sender === 'first') return this.clients.find(ready)
    for (let i = 0; i < this.size; i++) {
      const client = this.clients[(this.nextSender + i) % this.size]!
      if (ready(client)) {
        this.nextSender = (client.n) % this.size
        return client
      }
    }
    return undefined
  }

  /** Send one message from the next sender to its room; the clients open and in that room are expected to get it. */
  send(text: string): FanoutSendResult {
    if (this.stopped) return { ok: false, reason: 'stopped' }
    const sender = this.pickSender()
    if (!sender?.driver) return { ok: false, reason: 'noSender' }
    const expected: number[] = []
    for (const c of this.clients) {
      if (c.room !== sender.room || !c.joined || this.grid.states[c.n - 1] !== 'open') continue
      if (c === sender && !this.settings.senderHearsOwn) continue
      expected.push(c.n)
    }
    const value = messageValue(text)
    const seq = this.log.peekSeq()
    const outgoing = this.settings.tag ? tagMessage(value, { run: this.id, seq }) : value
    const key = this.settings.tag ? undefined : payloadKey(value)
    const message: OutgoingMessage = this.settings.type === 'ws'
      ? { kind: 'text', text: typeof outgoing === 'string' ? outgoing : JSON.stringify(outgoing) }
      : { kind: 'event', name: this.settings.sendEvent, args: roomMessageArgs(this.settings, sender.room, outgoing) }
    this.log.send(sender.n, now(), expected, key)
    void sender.driver.send(message)
    this.changed()
    return { ok: true, seq, sender: sender.n, expected: expected.length }
  }

  /** `count` sends at once (one task: the receivers' events arrive as their own tasks). */
  burst(text: string, count: number): FanoutSendResult[] {
    const out: FanoutSendResult[] = []
    for (let i = 0; i < count; i++) out.push(this.send(text))
    return out
  }

  /** Clients that are open and in their room. */
  readyCount(): number {
    let ready = 0
    for (const c of this.clients) if (c.joined && this.grid.states[c.n - 1] === 'open') ready++
    return ready
  }
}

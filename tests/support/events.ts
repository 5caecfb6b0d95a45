/**
 * Timeline events for tests, built through the contract (src/protocol/events.ts) instead of shapes copied by hand:
 * `draft('engine', 'ping', { detail: { intervalMs: 25_000, expectedMs: 25_000 } })` is checked by the compiler
 * like a driver's own event (a misspelt kind or detail key fails to compile), and fields a test does not care
 * about get the values below.
 */
import { EVENT_KINDS, type DraftEvent, type EventOf, type KindOf, type TimelineEvent } from '../../src/protocol/events'
import type { Layer } from '../../src/protocol/types'
import { utf8Length } from '../../src/protocol/types'

/** The draft of one variant. */
export type DraftOf<L extends Layer, K extends string> = Omit<EventOf<L, K>, 'seq'> & { seq?: number }
/** What a test may give: any field of the variant, but not another kind's. */
export type Given<L extends Layer, K extends string> = Partial<Omit<EventOf<L, K>, 'layer' | 'kind'>>

/** Time of the first event of a fixture unless given. */
export const FIXTURE_TIME = 1_700_000_000_000

const args = (): { args: unknown[] } => ({ args: [] })

/** Values for the fields each variant cannot go without (the direction defaults to its first allowed one). */
const DEFAULTS: { readonly [L in Layer]: { readonly [K in KindOf<L>]: () => Given<L, K> } } = {
  lifecycle: {
    connecting: () => ({}),
    open: () => ({}),
    reconnect: () => ({ attempt: 1 }),
    error: () => ({}),
    connect_timeout: () => ({ detail: { timeoutMs: 10_000 } }),
    close: () => ({ code: 1000, reason: '' }),
    reconnect_attempt: () => ({ attempt: 1 }),
    reconnect_failed: () => ({ attempt: 1 }),
    reconnect_cancelled: () => ({ attempt: 1 }),
    reconnect_skipped: () => ({ code: 1000, detail: { reason: 'clean-close' } }),
    reconnect_error: () => ({ attempt: 1, reason: 'xhr poll error' }),
    stable: () => ({ attempt: 1, detail: { stableMs: 5000 } }),
    warning: () => ({ reason: 'warning' }),
    connect: () => ({ namespace: '/', detail: { sid: 'sid', recovered: false } }),
    connect_error: () => ({ reason: 'xhr poll error', detail: {} }),
    disconnect: () => ({ namespace: '/', reason: 'transport close', detail: {} }),
    auto: () => ({ reason: 'auto', detail: { choice: 'transports', to: ['websocket'], evidence: [] } }),
    diagnosis: () => ({ reason: 'probe', detail: {} }),
  },
  wire: {
    frame: () => ({ transport: 'websocket', data: '', size: 0 }),
  },
  engine: {
    handshake: () => ({ detail: { sid: 'sid', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000 } }),
    open: () => ({}),
    ping: () => ({ detail: { intervalMs: 25_000, expectedMs: 25_000 } }),
    pong: () => ({}),
    upgrading: () => ({}),
    upgrade: () => ({}),
    upgradeError: () => ({ reason: 'probe error', detail: { transport: 'websocket' } }),
    transport_error: () => ({ reason: 'xhr poll error', detail: {} }),
    close: () => ({ reason: 'transport close' }),
  },
  socketio: {
    packet: () => ({ name: 'EVENT', namespace: '/' }),
  },
  app: {
    event: () => ({ name: 'message', namespace: '/', detail: args() }),
    emit: () => ({ name: 'message', namespace: '/', detail: args() }),
    buffered: () => ({ name: 'message', namespace: '/', reason: 'not connected' }),
    flushed: () => ({ name: 'message', namespace: '/', detail: { waitedMs: 0 } }),
    dropped: () => ({ name: 'message', namespace: '/', reason: 'volatile' }),
    ack: () => ({ name: 'message', namespace: '/', rttMs: 1, detail: args() }),
    ack_timeout: () => ({ name: 'message', namespace: '/', detail: { timeoutMs: 10_000, sent: true } }),
    ack_error: () => ({ name: 'message', namespace: '/', reason: 'socket has been disconnected' }),
    ack_reply: () => ({ name: 'message', namespace: '/', detail: args() }),
  },
}

/** A driver's draft of this layer and kind, with `given` over the defaults (`time` FIXTURE_TIME unless given). */
export function draft<L extends Layer, K extends KindOf<L>>(layer: L, kind: K, given: Given<L, K> = {}): DraftOf<L, K> {
  const dirs = EVENT_KINDS[layer] as Readonly<Record<string, readonly string[]>>
  const defaults = (DEFAULTS[layer] as Readonly<Record<string, () => object>>)[kind]!()
  const made: Record<string, unknown> = { time: FIXTURE_TIME, layer, kind, dir: dirs[kind]![0], ...defaults, ...given }
  // A frame's size follows its data unless given.
  if (layer === 'wire' && (given as { size?: number }).size === undefined) {
    const data = made.data as string | ArrayBuffer
    made.size = typeof data === 'string' ? utf8Length(data) : data.byteLength
  }
  return made as DraftOf<L, K>
}

/** An event as the timeline holds it (`seq` given). */
export function event<L extends Layer, K extends KindOf<L>>(layer: L, kind: K, given: Given<L, K> & { seq: number }): EventOf<L, K> {
  return draft<L, KindOf<L>>(layer, kind as KindOf<L>, given as Given<L, KindOf<L>>) as unknown as EventOf<L, K>
}

/** A wire frame of `data` (size: its UTF-8 or byte length). */
export function frame(data: string | ArrayBuffer, given: Given<'wire', 'frame'> = {}): DraftOf<'wire', 'frame'> {
  return draft('wire', 'frame', { data, ...given })
}

/** An application event received: `name` with `args`. */
export function appEvent(name: string, eventArgs: unknown[], given: Given<'app', 'event'> = {}): DraftOf<'app', 'event'> {
  return draft('app', 'event', { name, detail: { args: eventArgs }, ...given })
}

/** A draft without its time, still discriminated by layer and kind (a fixture that numbers its own clock). */
export type Untimed = DraftEvent extends infer D ? (D extends unknown ? Omit<D, 'time'> : never) : never

/** Numbers a list of drafts from 1 (or `first`), as the timeline would. */
export function numbered(drafts: readonly DraftEvent[], first = 1): TimelineEvent[] {
  return drafts.map((d, i) => ({ ...d, seq: first + i }) as TimelineEvent)
}

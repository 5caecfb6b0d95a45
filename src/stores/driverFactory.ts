import type { Session, Words } from './session'
import type { ConnectionState, Driver } from '@/protocol/types'
import { MAX_TIMER_MS } from '@/protocol/types'
import { parseEndpoint } from '@/protocol/endpoint'
import { buildDriver, type DriverSpec } from '@/protocol/driverSpec'
import { currentLocalNetworkPermission, watchLocalNetworkPermission } from '@/protocol/localNetwork'
import type { DriverThread } from '@/protocol/worker/thread'
import { message } from '@/protocol/message'
import { defaultWebSocketSettings, parseJsonObject, parseSubprotocols } from './session'

/** A driver, or what is wrong with the form (a message; the endpoint's own check may still answer in words). */
export type DriverResult = { ok: true, driver: Driver } | { ok: false, error: Words }

function stringRecord(value: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!value) return undefined
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]))
}

/**
 * A number field as the form holds it: `v-model.number` leaves `''` in an emptied field, and a number input takes
 * any number. Outside `min`–`max` it is undefined, so the driver keeps socket.io-client's default rather than
 * failing every handshake after a 0 ms (or a -1 ms) timeout, or reconnecting in a loop with no delay.
 */
function numberSetting(value: unknown, min: number, max = Number.MAX_VALUE): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined
}

/** Where a driver runs: in the driver Worker (its sockets off the UI thread), or on the page. */
export type DriverPlace = 'worker' | 'page'

/**
 * Turn a session's form settings into a driver, or into a sentence saying which field is wrong. The driver is built
 * from a spec (plain data), in the driver Worker when `place` is 'worker' and the browser can run one, else on the
 * page; either way its events go to the session's timeline, in order, and its states to `onState`.
 */
export async function createDriver(session: Session, onState: (state: ConnectionState) => void, place: DriverPlace = 'page'): Promise<DriverResult> {
  const spec = driverSpec(session)
  if (!spec.ok) return spec
  const sink = session.timeline.append
  try {
    const worker = place === 'worker' ? await driverThread() : undefined
    if (worker) {
      try {
        // Plain frames cross packed and go straight into the timeline's columns (timeline/framePack.ts).
        // Mid-stream, a lull between two batches is not the end of a flood (the UI tick's quiet test).
        const onStreaming = (streaming: boolean) => { session.timeline.streaming = streaming }
        return { ok: true, driver: await worker.thread.create(spec.spec, sink, { onState, onStreaming }, session.timeline.appendPack) }
      }
      catch (err) {
        if (!(err instanceof worker.module.DriverThreadUnavailable)) throw err
        // The Worker could not start (a policy, an old browser): this page runs its drivers itself from now on.
        sharedThread = null
      }
    }
    watchLocalNetworkPermission()
    return { ok: true, driver: await buildDriver(spec.spec, sink, { onState }, { localNetworkPermission: currentLocalNetworkPermission }) }
  }
  catch (err) {
    return { ok: false, error: message('connection.errors.clientNotLoaded', { detail: (err as Error).message }) }
  }
}

type ThreadModule = typeof import('@/protocol/worker/thread')

/**
 * The page's side of the driver Worker (`protocol/worker/thread.ts`), a chunk of its own loaded on the first
 * connection that runs there: it is not in the initial bundle (docs/performance.md, "Initial bundle"). Undefined
 * when the chunk could not load (offline before the service worker cached it): the page runs its drivers itself.
 */
let threadModule: Promise<ThreadModule | undefined> | undefined
/** The page's one driver Worker, started on first use; null once it proved unable to start. */
let sharedThread: DriverThread | null | undefined

async function driverThread(): Promise<{ thread: DriverThread, module: ThreadModule } | undefined> {
  if (sharedThread === null) return undefined
  const module = await (threadModule ??= import('@/protocol/worker/thread').catch(() => undefined))
  if (module === undefined) {
    sharedThread = null
    return undefined
  }
  if (sharedThread === undefined) sharedThread = module.startDriverWorker() ?? null
  return sharedThread ? { thread: sharedThread, module } : undefined
}

/**
 * Load the driver Worker's chunk and start the Worker ahead of the first connection (App.vue calls it when the page is
 * first quiet, if connections run in the Worker), so that the first Connect waits for neither: on the 2-vCPU
 * machine a page's first Connect → "open" went from a median of 101 ms to 32 ms (later ones: 16–19 ms;
 * `bench/firstConnect.ts`, docs/performance.md "The first connection").
 * Whichever comes first, this or a connection, starts the one Worker; a Worker that cannot start is found out by the
 * first connection, which then runs on the page as before.
 */
export function prepareDriverThread(): void {
  void driverThread()
}

/** A session's form as a driver spec, or what is wrong with it. */
function driverSpec(session: Session): { ok: true, spec: DriverSpec } | { ok: false, error: Words } {
  const parsed = parseEndpoint(session.url, session.type)
  if (!parsed.ok) return parsed
  const { endpoint } = parsed
  const pageUrl = globalThis.location?.href

  if (endpoint.type === 'ws') {
    const ws = session.ws
    const protocols = parseSubprotocols(ws.protocols)
    if (!protocols.ok) return protocols
    // An emptied or out-of-range number field keeps the default, as for Socket.IO below.
    const fallback = defaultWebSocketSettings()
    return { ok: true, spec: { type: 'ws', options: {
      url: endpoint.url,
      protocols: protocols.value,
      connectTimeoutMs: numberSetting(ws.connectTimeoutMs, 1, MAX_TIMER_MS) ?? fallback.connectTimeoutMs,
      reconnect: {
        enabled: ws.reconnect,
        initialDelayMs: numberSetting(ws.initialDelayMs, 0, MAX_TIMER_MS) ?? fallback.initialDelayMs,
        maxDelayMs: numberSetting(ws.maxDelayMs, 0, MAX_TIMER_MS) ?? fallback.maxDelayMs,
        maxAttempts: numberSetting(ws.maxAttempts, 0) ?? fallback.maxAttempts,
        jitter: numberSetting(ws.jitter, 0, 1) ?? fallback.jitter,
        afterCleanClose: ws.reconnectAfterCleanClose,
        stableMs: numberSetting(ws.stableMs, 0, MAX_TIMER_MS) ?? fallback.stableMs,
      },
      closeTimeoutMs: numberSetting(ws.closeTimeoutMs, 0, MAX_TIMER_MS) ?? fallback.closeTimeoutMs,
      pageUrl,
    } } }
  }

  const sio = session.sio
  const auth = parseJsonObject(sio.auth, 'auth')
  if (!auth.ok) return auth
  const query = parseJsonObject(sio.query, 'query')
  if (!query.ok) return query
  const headers = parseJsonObject(sio.extraHeaders, 'extraHeaders')
  if (!headers.ok) return headers
  if (sio.transports.length === 0) return { ok: false, error: message('connection.errors.noTransport') }
  const path = sio.path.trim() || '/socket.io'
  if (!path.startsWith('/')) return { ok: false, error: message('connection.errors.badPath', { path }) }

  const options: Extract<DriverSpec, { type: 'socketio' }>['setup']['options'] = {
    url: endpoint.url,
    path,
    auth: auth.value,
    query: stringRecord(query.value),
    extraHeaders: stringRecord(headers.value),
    transports: [...sio.transports],
    upgrade: sio.upgrade,
    tryAllTransports: sio.tryAllTransports,
    withCredentials: sio.withCredentials,
    timeout: numberSetting(sio.timeout, 1, MAX_TIMER_MS),
    reconnection: sio.reconnection,
    reconnectionAttempts: numberSetting(sio.reconnectionAttempts, 0),
    reconnectionDelay: numberSetting(sio.reconnectionDelay, 0, MAX_TIMER_MS),
    reconnectionDelayMax: numberSetting(sio.reconnectionDelayMax, 0, MAX_TIMER_MS),
    randomizationFactor: numberSetting(sio.randomizationFactor, 0, 1),
    ackTimeout: numberSetting(sio.ackTimeout, 1, MAX_TIMER_MS),
    retries: numberSetting(sio.retries, 0),
    parser: sio.parser === 'msgpack' ? 'msgpack' : 'default',
    autoTransports: sio.autoTransports !== false,
    stableMs: numberSetting(sio.stableMs, 0, MAX_TIMER_MS),
    pageUrl,
  }
  return { ok: true, spec: {
    type: 'socketio',
    setup: { version: sio.version === 'v2' ? 'v2' : 'v4', options },
    auto: { version: sio.version === 'auto', parser: sio.autoParser !== false, path: sio.autoPath !== false },
  } }
}

import type { Session, Words } from './session'
import type { ConnectionState, Driver } from '@/protocol/types'
import { MAX_TIMER_MS } from '@/protocol/types'
import { parseEndpoint } from '@/protocol/endpoint'
import { loadSocketIoV2Driver } from '@/protocol/socketio-v2'
import { createAutoSocketIoDriver } from '@/protocol/socketio-core/auto'
import type { DriverBuilder } from '@/protocol/socketio-core/auto'
import type { ParserModule, SocketIoDriverOptions } from '@/protocol/socketio-core/types'
import { createWebSocketDriver } from '@/protocol/websocket/driver'
import { currentLocalNetworkPermission, watchLocalNetworkPermission } from '@/protocol/localNetwork'
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

/**
 * Turn a session's form settings into a driver, or into a sentence saying which field is wrong.
 * The Socket.IO drivers (socket.io-client 4, or 2 for Engine.IO 3 servers) load on first use, so a raw WebSocket
 * session does not pay for them.
 */
export async function createDriver(session: Session, onState: (state: ConnectionState) => void): Promise<DriverResult> {
  const parsed = parseEndpoint(session.url, session.type)
  if (!parsed.ok) return parsed
  const { endpoint } = parsed
  const sink = session.timeline.append
  const pageUrl = globalThis.location?.href
  watchLocalNetworkPermission()
  const localNetworkPermission = currentLocalNetworkPermission

  if (endpoint.type === 'ws') {
    const ws = session.ws
    const protocols = parseSubprotocols(ws.protocols)
    if (!protocols.ok) return protocols
    // An emptied or out-of-range number field keeps the default, as for Socket.IO below.
    const fallback = defaultWebSocketSettings()
    const driver = createWebSocketDriver({
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
      localNetworkPermission,
    }, sink, { onState })
    return { ok: true, driver }
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

  const options: SocketIoDriverOptions = {
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
    localNetworkPermission,
  }
  try {
    const driver = await createAutoSocketIoDriver(
      { version: sio.version === 'v2' ? 'v2' : 'v4', options },
      { version: sio.version === 'auto', parser: sio.autoParser !== false, path: sio.autoPath !== false },
      buildSocketIoDriver,
      sink,
      { onState },
    )
    return { ok: true, driver }
  }
  catch (err) {
    return { ok: false, error: message('connection.errors.clientNotLoaded', { detail: (err as Error).message }) }
  }
}

/**
 * One Socket.IO driver, v4 or v2, each loaded on first use; the msgpack parser (socket.io-msgpack-parser) too, only
 * when chosen: a dynamic import, so Vite gives it a chunk of its own.
 */
export const buildSocketIoDriver: DriverBuilder = async ({ version, options }, sink, hooks) => {
  if (version === 'v2') return (await loadSocketIoV2Driver())(options, sink, hooks)
  const { createSocketIoDriver } = await import('@/protocol/socketio/driver')
  const parserModule = options.parser === 'msgpack' ? await loadMsgpackParser() : undefined
  return createSocketIoDriver({ ...options, parserModule }, sink, hooks)
}

async function loadMsgpackParser(): Promise<ParserModule> {
  // Its typings say encode() returns one ArrayBuffer; it returns an array of one, as socket.io-client expects.
  const loaded = await import('socket.io-msgpack-parser') as unknown as ParserModule & { default?: ParserModule }
  // A CommonJS module: its exports arrive as the default export in the browser bundle, as named ones in Node.
  return loaded.default?.Encoder ? loaded.default : loaded
}

import type { Session } from './session'
import type { ConnectionState, Driver } from '@/protocol/types'
import { MAX_TIMER_MS } from '@/protocol/types'
import { parseEndpoint } from '@/protocol/endpoint'
import { loadSocketIoV2Driver } from '@/protocol/socketio-v2'
import { createAutoSocketIoDriver } from '@/protocol/socketio-core/auto'
import type { DriverBuilder } from '@/protocol/socketio-core/auto'
import type { ParserModule, SocketIoDriverOptions } from '@/protocol/socketio-core/types'
import { createWebSocketDriver } from '@/protocol/websocket/driver'
import { currentLocalNetworkPermission, watchLocalNetworkPermission } from '@/protocol/localNetwork'
import { parseJsonObject, parseSubprotocols } from './session'

export type DriverResult = { ok: true, driver: Driver } | { ok: false, error: string }

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
    const protocols = parseSubprotocols(session.ws.protocols)
    if (!protocols.ok) return protocols
    const driver = createWebSocketDriver({
      url: endpoint.url,
      protocols: protocols.value,
      connectTimeoutMs: session.ws.connectTimeoutMs,
      reconnect: {
        enabled: session.ws.reconnect,
        initialDelayMs: session.ws.initialDelayMs,
        maxDelayMs: session.ws.maxDelayMs,
        maxAttempts: session.ws.maxAttempts,
        jitter: session.ws.jitter,
        afterCleanClose: session.ws.reconnectAfterCleanClose,
        stableMs: session.ws.stableMs,
      },
      closeTimeoutMs: session.ws.closeTimeoutMs,
      pageUrl,
      localNetworkPermission,
    }, sink, { onState })
    return { ok: true, driver }
  }

  const sio = session.sio
  const auth = parseJsonObject(sio.auth, 'Auth')
  if (!auth.ok) return auth
  const query = parseJsonObject(sio.query, 'Query')
  if (!query.ok) return query
  const headers = parseJsonObject(sio.extraHeaders, 'Extra headers')
  if (!headers.ok) return headers
  if (sio.transports.length === 0) return { ok: false, error: 'Choose at least one transport (polling or WebSocket).' }
  const path = sio.path.trim() || '/socket.io'
  if (!path.startsWith('/')) return { ok: false, error: `The Socket.IO path must start with "/", like /socket.io (got "${path}").` }

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
    return { ok: false, error: `Could not load the Socket.IO client: ${(err as Error).message}. Reload the page and try again.` }
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

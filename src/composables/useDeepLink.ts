import type { ProtocolType, TransportName } from '@/protocol/types'
import type { SocketIoParserName } from '@/protocol/socketio-core/types'
import type { useSessionsStore } from '@/stores/sessions'
import type { Session } from '@/stores/session'
import { defaultTypeFor } from '@/protocol/endpoint'

export interface DeepLink {
  url: string
  type: ProtocolType
  /** Socket.IO engine path (`/socket.io` by default). */
  path?: string
  /** Socket.IO auth payload, as JSON text (checked on Connect like the form field). */
  auth?: string
  /** Socket.IO client: `v2` for Engine.IO 3 servers, `v4`, or `auto` (v4, moving to v2 on an Engine.IO 3 answer). */
  client?: 'v2' | 'v4' | 'auto'
  /** Socket.IO parser both ends share: `msgpack` or `default`; given, it is a choice, not a guess to revise. */
  parser?: SocketIoParserName
  /** Socket.IO transports to allow (`websocket`, `polling`, `webtransport`), comma-separated; given, they are a choice. */
  transports?: TransportName[]
  /** Raw WebSocket subprotocols, comma-separated as in the form (checked on Connect). */
  protocols?: string
  connect: boolean
}

const TRANSPORTS: readonly TransportName[] = ['polling', 'websocket', 'webtransport']

/**
 * The deep-link contract: `/?url=<endpoint>&type=ws|socketio&connect=1` (plus Socket.IO `path`, `auth`,
 * `client=v2|v4|auto`, `parser=msgpack|default`, `transports=websocket,polling`; WebSocket `protocols`).
 * An unknown value of an optional parameter is ignored (the session keeps its default), never an error.
 * `type` defaults from the scheme: ws:/wss: → WebSocket, http:/https: → Socket.IO.
 * Returns undefined when the page was opened without a `url`.
 */
export function parseDeepLink(search: string): DeepLink | undefined {
  const params = new URLSearchParams(search)
  const url = params.get('url')?.trim()
  if (!url) return undefined
  const typeParam = params.get('type')?.toLowerCase()
  const type: ProtocolType = typeParam === 'ws' || typeParam === 'websocket'
    ? 'ws'
    : typeParam === 'socketio' || typeParam === 'socket.io' || typeParam === 'sio'
      ? 'socketio'
      : defaultTypeFor(url) ?? 'ws'
  const connect = ['1', 'true', 'yes'].includes(params.get('connect')?.toLowerCase() ?? '')
  const path = params.get('path')?.trim() || undefined
  const auth = params.get('auth')?.trim() || undefined
  const clientParam = params.get('client')?.toLowerCase().replace(/^v?/, 'v')
  const client = clientParam === 'v2' || clientParam === 'v4' ? clientParam : clientParam === 'vauto' ? 'auto' : undefined
  const parserParam = params.get('parser')?.trim().toLowerCase()
  const parser = parserParam === 'msgpack' || parserParam === 'default' ? parserParam : undefined
  const transportList = (params.get('transports') ?? '').split(',').map(t => t.trim().toLowerCase())
  const known = TRANSPORTS.filter(t => transportList.includes(t))
  const transports = known.length > 0 ? known : undefined
  const protocols = params.get('protocols')?.trim() || undefined
  return { url, type, path, auth, client, parser, transports, protocols, connect }
}

/**
 * Open the page's deep link, if it has one, beside the saved tabs (a link adds its session, it never replaces
 * them), or bring back the saved tabs, or a first session on `fallbackUrl`. The link then leaves the address bar,
 * so a reload brings back the saved tabs and does not open (and connect) it a second time.
 *
 * Returns the link's session when the link says `connect=1`: the caller connects it (`connectAfterFirstPaint`), not
 * this function, which runs inside the app's first render.
 */
export function openStartSessions(sessions: ReturnType<typeof useSessionsStore>, fallbackUrl: string, location: Pick<Location, 'search' | 'pathname' | 'hash'> = globalThis.location): Session | undefined {
  const link = parseDeepLink(location.search)
  const restored = sessions.restoreSaved()
  if (!link) {
    if (!restored) sessions.add({ url: fallbackUrl, type: 'ws' })
    return undefined
  }
  const session = sessions.add({ url: link.url, type: link.type })
  sessions.updateSocketIoSettings(session, {
    ...(link.path ? { path: link.path } : {}),
    ...(link.auth ? { auth: link.auth } : {}),
    ...(link.client ? { version: link.client } : {}),
    ...(link.parser ? { parser: link.parser, autoParser: false } : {}),
    ...(link.transports ? { transports: link.transports, autoTransports: false } : {}),
  })
  if (link.protocols) sessions.updateWebSocketSettings(session, { protocols: link.protocols })
  globalThis.history?.replaceState?.(globalThis.history.state, '', `${location.pathname}${location.hash}`)
  return link.connect ? session : undefined
}

/**
 * Connect a deep link's session once the app has painted its first frame, not inside the first render: the render
 * of the whole app is one task of ~50 ms of CPU (more on a loaded machine), and a stream that starts during it
 * would queue its first frames behind it, their receive times late by as much (issue 12: the link the benchmark
 * opens). A tab in the background paints no frame: after `maxWaitMs` it connects anyway.
 */
export function connectAfterFirstPaint(connect: () => void, maxWaitMs = 100): void {
  let started = false
  const start = () => {
    if (started) return
    started = true
    clearTimeout(fallback)
    // A task after the frame: the animation-frame callback runs before that frame's paint.
    setTimeout(connect, 0)
  }
  const fallback = setTimeout(start, maxWaitMs)
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(start)
}

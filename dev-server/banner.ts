/** The start-up banner: every endpoint, and deep links that open the inspector already pointed at it. */
import { CONTROL_ACTIONS } from './control.ts'
import { browserHost, isLoopbackHost } from './net-util.ts'
import { RAW_WS_PATHS } from './raw-ws.ts'
import { CUSTOM_SOCKETIO_PATH, ROOM_MESSAGE_EVENT } from './socketio.ts'
import type { DevServerPorts } from './types.ts'

export const DEFAULT_INSPECTOR_URL = 'http://localhost:5173'

export interface BannerOptions {
  /** Where the inspector is served (default http://localhost:5173). */
  inspectorUrl?: string
}

/** `http://localhost:5173/?url=<endpoint>&type=ws|socketio&connect=1[&path=...]` */
export function deepLink(endpoint: string, type: 'ws' | 'socketio', inspectorUrl = DEFAULT_INSPECTOR_URL, socketioPath?: string): string {
  const base = inspectorUrl.endsWith('/') ? inspectorUrl : `${inspectorUrl}/`
  const path = socketioPath && socketioPath !== '/socket.io' && socketioPath !== '/socket.io/' ? `&path=${encodeURIComponent(socketioPath)}` : ''
  return `${base}?url=${encodeURIComponent(endpoint)}&type=${type}&connect=1${path}`
}

export function formatBanner(
  server: { ports: Required<DevServerPorts>; adminToken: string; controlToken: string; controlOrigins: readonly string[]; status(): { host: string } },
  options: BannerOptions = {},
): string {
  const inspector = options.inspectorUrl ?? DEFAULT_INSPECTOR_URL
  const { host } = server.status()
  const h = browserHost(host)
  const { ws, wss, socketio, polling, socketioV2, msgpack, websocketOnly, customPath, httpOnly, control } = server.ports
  const wsBase = `ws://${h}:${ws}`
  const sio = `http://${h}:${socketio}`
  const poll = `http://${h}:${polling}`
  const sioV2 = `http://${h}:${socketioV2}`
  const pack = `http://${h}:${msgpack}`
  const wsOnly = `http://${h}:${websocketOnly}`
  const custom = `http://${h}:${customPath}`
  const origins = server.controlOrigins.length ? server.controlOrigins.join(' ') : 'none (clients without an Origin header only)'
  const open = (endpoint: string, type: 'ws' | 'socketio') => `      open: ${deepLink(endpoint, type, inspector)}`
  const pathLines = Object.entries(RAW_WS_PATHS).map(([path, text]) => `    ${`${wsBase}${path}`.padEnd(36)} ${text}`)
  const lines = [
    '',
    'SocketLens dev server',
    '',
    `  WebSocket (ws) on ${ws}:`,
    ...pathLines,
    open(`${wsBase}/`, 'ws'),
    open(`${wsBase}/echo`, 'ws'),
    open(`${wsBase}/close-after?ms=1500&code=1011`, 'ws'),
    '',
    `  Secure WebSocket: wss://${h}:${wss}/ and wss://${h}:${ws}/ (same paths, self-signed certificate;`,
    `      port ${ws} answers ws:// and wss:// alike, like the study note's secure echo server)`,
    `      trust it once: open https://${h}:${wss} in the browser and accept the warning`,
    open(`wss://${h}:${wss}/echo`, 'ws'),
    open(`wss://${h}:${ws}/`, 'ws'),
    '',
    `  Socket.IO v4: ${sio}  (namespaces /, /admin, /ticker, /__control)`,
    '      /: joinRoom "room", leaveRoom "room" (each announced to the room as a text `message`),',
    `         message {room, message} (the others get \`message\` with the message alone, as in the study note),`,
    `         ${ROOM_MESSAGE_EVENT} {room, message} (the others get {room, message, from}; ack {room, delivered}),`,
    '         echo, binary, broadcast, rooms; acks for any event but noAck',
    `      /admin: auth { token: "${server.adminToken}" }   /ticker: subscribe / unsubscribe "AAPL"`,
    open(sio, 'socketio'),
    open(`${sio}/admin`, 'socketio'),
    open(`${sio}/ticker`, 'socketio'),
    '',
    `  Socket.IO, long-polling only: ${poll}`,
    open(poll, 'socketio'),
    '',
    '  Socket.IO v4 variants (the same namespaces and events as above):',
    `    msgpack parser (socket.io-msgpack-parser): ${pack}`,
    `${open(pack, 'socketio')}&parser=msgpack`,
    `      default parser, to see the mismatch: ${deepLink(pack, 'socketio', inspector)}`,
    `    WebSocket transport only (polling gets HTTP 400): ${wsOnly}`,
    open(wsOnly, 'socketio'),
    `    custom path ${CUSTOM_SOCKETIO_PATH}: ${custom}`,
    `      open: ${deepLink(custom, 'socketio', inspector, CUSTOM_SOCKETIO_PATH)}`,
    `      the path pasted into the URL: ${deepLink(`${custom}${CUSTOM_SOCKETIO_PATH}`, 'socketio', inspector)}`,
    '',
    `  HTTP only (no WebSocket, every request gets a text page): http://${h}:${httpOnly}`,
    open(`ws://${h}:${httpOnly}/`, 'ws'),
    '',
    // A v2 server speaks Engine.IO 3, which the inspector's default v4 client cannot: `client=v2` picks the v2 one
    // (PROTOCOL.md, "Versions"). Without it, the inspector diagnoses the v2 server and offers the switch.
    `  Socket.IO v2 (Engine.IO 3): ${sioV2}  (/admin takes ?token=${server.adminToken})`,
    '      /: joinRoom, leaveRoom, message {room, message}, echo, binary, ask; acks for any event but noAck',
    '      the links pick the v2 client; with v4, the inspector explains the mismatch and offers the switch',
    `${open(sioV2, 'socketio')}&client=v2`,
    `${open(`${sioV2}/admin?token=${encodeURIComponent(server.adminToken)}`, 'socketio')}&client=v2`,
    '',
    `  Control API: http://${isLoopbackHost(host) ? h : 'localhost'}:${control}  (POST ${Object.keys(CONTROL_ACTIONS).filter((a) => a !== 'status').map((a) => `/${a}`).join(' ')}; GET /status)`,
    `      obeys only the inspector: header Authorization: Bearer ${server.controlToken}`,
    `      (new at every start; POST with Content-Type: application/json), browser origins: ${origins}`,
    '      the __control namespace: the same origins, auth: { token }',
    `  Inspector: ${inspector}`,
    '',
    '  Every other port above answers any origin (CORS open, any page may connect): that is what they are for.',
    '',
  ]
  if (!isLoopbackHost(host)) {
    lines.push(`  WARNING: listening on ${host}: other machines can reach the ws, wss and Socket.IO servers.`, '')
  }
  lines.push('  Ctrl-C stops the dev server.', '')
  return lines.join('\n')
}

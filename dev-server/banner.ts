/** The start-up banner: every endpoint, and deep links that open the inspector already pointed at it. */
import { CONTROL_ACTIONS } from './control.ts'
import { browserHost, isLoopbackHost } from './net-util.ts'
import { RAW_WS_PATHS } from './raw-ws.ts'
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

export function formatBanner(server: { ports: Required<DevServerPorts>; adminToken: string; status(): { host: string } }, options: BannerOptions = {}): string {
  const inspector = options.inspectorUrl ?? DEFAULT_INSPECTOR_URL
  const { host } = server.status()
  const h = browserHost(host)
  const { ws, wss, socketio, polling, socketioV2, control } = server.ports
  const wsBase = `ws://${h}:${ws}`
  const sio = `http://${h}:${socketio}`
  const poll = `http://${h}:${polling}`
  const sioV2 = `http://${h}:${socketioV2}`
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
    '',
    `  Secure WebSocket: wss://${h}:${wss}/ (same paths, self-signed certificate)`,
    `      trust it once: open https://${h}:${wss} in the browser and accept the warning`,
    open(`wss://${h}:${wss}/echo`, 'ws'),
    '',
    `  Socket.IO v4: ${sio}  (namespaces /, /admin, /ticker, /__control)`,
    '      /: joinRoom, leaveRoom, message {room, message}, echo, binary, broadcast, rooms; acks for any event but noAck',
    `      /admin: auth { token: "${server.adminToken}" }   /ticker: subscribe / unsubscribe "AAPL"`,
    open(sio, 'socketio'),
    open(`${sio}/admin`, 'socketio'),
    open(`${sio}/ticker`, 'socketio'),
    '',
    `  Socket.IO, long-polling only: ${poll}`,
    open(poll, 'socketio'),
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
    `  Inspector: ${inspector}`,
    '',
  ]
  if (!isLoopbackHost(host)) {
    lines.push(`  WARNING: listening on ${host}: other machines can reach the ws, wss and Socket.IO servers.`, '')
  }
  lines.push('  Ctrl-C stops the dev server.', '')
  return lines.join('\n')
}

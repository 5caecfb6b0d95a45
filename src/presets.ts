/**
 * The Start-here presets: one click opens a session on the bundled dev server (dev-server/README.md).
 *
 * Pure TypeScript (no Vue, no Pinia): where the dev server listens and what each preset opens. The sessions are
 * made by the presets store (src/stores/presets.ts) through the sessions store's actions.
 *
 * Where the dev server listens: `npm start` (and `npm run dev`) serve `/__socketlens/dev-server.json`
 * `{ controlUrl, token, urls }` on the inspector's own origin (dev-server/inspector-endpoint.ts), so ports moved by
 * flags or variables are found. Without it (the inspector served from elsewhere, or the dev server still starting),
 * the default ports of the contract are asked whether anything answers. Every request is bounded by a timeout.
 */

/** Where the inspector reads the dev server's endpoints and control token (same origin). */
export const DEV_SERVER_INFO_PATH = '/__socketlens/dev-server.json'

/** The dev server's endpoints the presets use. */
export interface DevServerEndpoints {
  /** `ws://host:port`: raw WebSocket (echo, ticker, drop …). */
  ws: string
  /** `wss://host:port`: raw WebSocket over TLS (self-signed certificate). */
  wss: string
  /** `http://host:port`: Socket.IO v4. */
  socketio: string
  /** `http://host:port`: Socket.IO v4, long-polling only. */
  polling: string
  /** `http://host:port`: Socket.IO v2 (Engine.IO 3). */
  socketioV2: string
}

/** The default ports (ARCHITECTURE.md, Contracts; dev-server/README.md). */
export const DEFAULT_DEV_SERVER: DevServerEndpoints = {
  ws: 'ws://localhost:8080',
  wss: 'wss://localhost:8443',
  socketio: 'http://localhost:3000',
  polling: 'http://localhost:3001',
  socketioV2: 'http://localhost:3002',
}

/** The control API, when the inspector was given its token (`npm start`). */
export interface DevServerControl {
  url: string
  token: string
}

/**
 * What discovery found: `running` (the inspector's endpoint named the servers, or the default ports answer),
 * `absent` (no endpoint and nothing answers on the default ports).
 */
export type DevServerDiscovery =
  | { status: 'running', endpoints: DevServerEndpoints, control?: DevServerControl, source: 'endpoint' | 'ports' }
  | { status: 'absent', endpoints: DevServerEndpoints }

export interface DiscoverOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** The inspector's endpoint (absolute, or relative to the page). @default DEV_SERVER_INFO_PATH */
  infoUrl?: string
  /** The inspector's endpoint (same origin, a few bytes) gives up after this long. @default 5000 */
  infoTimeoutMs?: number
  /** Each port probe gives up after this long. @default 2000 */
  timeoutMs?: number
  /** Asked when the endpoint gives nothing. @default DEFAULT_DEV_SERVER */
  defaults?: DevServerEndpoints
  /** Cancels everything (the panel closed): the promise rejects with an AbortError. */
  signal?: AbortSignal
}

/** A string that parses as a URL with one of `schemes`, without its trailing slash. */
function urlOr(value: unknown, schemes: readonly string[], fallback: string): string {
  if (typeof value !== 'string') return fallback
  try {
    const url = new URL(value)
    return schemes.includes(url.protocol) ? value.replace(/\/+$/, '') : fallback
  }
  catch {
    return fallback
  }
}

/** The endpoints and control named by the inspector's endpoint's JSON, each checked; undefined when it names none. */
export function readDevServerInfo(body: unknown, defaults: DevServerEndpoints = DEFAULT_DEV_SERVER): { endpoints: DevServerEndpoints, control?: DevServerControl } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { urls, controlUrl, token } = body as { urls?: unknown, controlUrl?: unknown, token?: unknown }
  if (typeof urls !== 'object' || urls === null) return undefined
  const u = urls as Record<string, unknown>
  const http = ['http:', 'https:']
  const endpoints: DevServerEndpoints = {
    ws: urlOr(u.ws, ['ws:'], defaults.ws),
    wss: urlOr(u.wss, ['wss:'], defaults.wss),
    socketio: urlOr(u.socketio, http, defaults.socketio),
    polling: urlOr(u.polling, http, defaults.polling),
    socketioV2: urlOr(u.socketioV2, http, defaults.socketioV2),
  }
  const controlHttp = urlOr(controlUrl, http, '')
  const control = controlHttp && typeof token === 'string' && token ? { url: controlHttp, token } : undefined
  return { endpoints, ...(control ? { control } : {}) }
}

/** `fetch` that gives up after `timeoutMs` (and with `signal`); rejects on either. */
async function boundedFetch(doFetch: typeof fetch, url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const onAbort = () => controller.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await doFetch(url, { ...init, signal: controller.signal })
  }
  finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** The http(s) address a ws(s) or http(s) endpoint answers plain HTTP on. */
function httpOf(endpoint: string): string {
  return endpoint.replace(/^ws(s?):/, 'http$1:')
}

/**
 * Find the dev server: the inspector's endpoint first, then (without it) whether the default raw WebSocket and
 * Socket.IO ports answer HTTP at all (a `no-cors` fetch resolves when anything answers, rejects when nothing
 * listens). At most three requests, each bounded by a timeout.
 */
export async function discoverDevServer(options: DiscoverOptions = {}): Promise<DevServerDiscovery> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const timeoutMs = options.timeoutMs ?? 2000
  const defaults = options.defaults ?? DEFAULT_DEV_SERVER
  const { signal } = options
  try {
    const response = await boundedFetch(doFetch, options.infoUrl ?? DEV_SERVER_INFO_PATH, { cache: 'no-store', credentials: 'same-origin' }, options.infoTimeoutMs ?? 5000, signal)
    if (response.ok) {
      const info = readDevServerInfo(await response.json(), defaults)
      if (info) return { status: 'running', ...info, source: 'endpoint' }
    }
  }
  catch {
    // No endpoint (served elsewhere), or it did not answer in time: ask the ports.
  }
  if (signal?.aborted) throw new DOMException('aborted', 'AbortError')
  const answers = async (endpoint: string): Promise<boolean> => {
    try {
      await boundedFetch(doFetch, `${httpOf(endpoint)}/`, { mode: 'no-cors', cache: 'no-store' }, timeoutMs, signal)
      return true
    }
    catch {
      return false
    }
  }
  const [ws, socketio] = await Promise.all([answers(defaults.ws), answers(defaults.socketio)])
  if (signal?.aborted) throw new DOMException('aborted', 'AbortError')
  return ws || socketio ? { status: 'running', endpoints: defaults, source: 'ports' } : { status: 'absent', endpoints: defaults }
}

/** The presets, in the order the panel shows them; each id is its catalogue key (`start.presets.<id>`). */
export const PRESET_IDS = ['wsEcho', 'wssEcho', 'rooms', 'polling', 'reconnect', 'ticker', 'socketioV2'] as const
export type PresetId = typeof PRESET_IDS[number]

/** What a preset opens. `rooms` opens two of these; `reconnect` adds a fault once the session is open. */
export interface PresetSession {
  url: string
  type: 'ws' | 'socketio'
  /** Socket.IO client to force (`v2` for the Engine.IO 3 server). */
  client?: 'v2'
  /** A first message in the composer, so Send has something to send. */
  message?: string
  eventName?: string
}

/** The room the "Socket.IO rooms" preset joins: a fresh name each time, so two pairs do not hear each other. */
export function presetRoomName(random: () => number = Math.random): string {
  return `lobby-${Math.floor(random() * 0x10000).toString(16).padStart(4, '0')}`
}

/** The message the first of the two room sessions holds ready, in the study note's shape `{ room, message }`. */
export function roomMessage(room: string, text: string): string {
  return JSON.stringify({ room, message: text })
}

/**
 * The session(s) a preset opens on `endpoints`. `reconnect` is a Socket.IO session whose servers the control API
 * restarts once it is open (with a control token), or, without one, a raw WebSocket on `/drop` that the server cuts
 * every time (the WebSocket driver's own reconnects).
 */
export function presetSessions(id: PresetId, endpoints: DevServerEndpoints, options: { control?: boolean, room?: string } = {}): PresetSession[] {
  switch (id) {
    case 'wsEcho': return [{ url: `${endpoints.ws}/`, type: 'ws', message: 'hello' }]
    case 'wssEcho': return [{ url: `${endpoints.wss}/`, type: 'ws', message: 'hello over TLS' }]
    case 'rooms': {
      const room = options.room ?? presetRoomName()
      return [
        { url: endpoints.socketio, type: 'socketio', eventName: 'message', message: roomMessage(room, 'hello from the first session') },
        { url: endpoints.socketio, type: 'socketio', eventName: 'message', message: roomMessage(room, 'hello from the second session') },
      ]
    }
    case 'polling': return [{ url: endpoints.polling, type: 'socketio', eventName: 'echo', message: 'hello over long-polling' }]
    case 'reconnect': return options.control
      ? [{ url: endpoints.socketio, type: 'socketio', eventName: 'echo', message: 'still here?' }]
      : [{ url: `${endpoints.ws}/drop?after=2000`, type: 'ws' }]
    case 'ticker': return [{ url: `${endpoints.ws}/ticker?hz=2`, type: 'ws' }]
    case 'socketioV2': return [{ url: endpoints.socketioV2, type: 'socketio', client: 'v2', eventName: 'echo', message: 'hello, v2' }]
  }
}

/** How long the Reconnect demo's restart keeps the servers down: long enough to watch two or three attempts fail. */
export const RECONNECT_DEMO_DOWNTIME_MS = 3000

/**
 * Ask the control API to restart the dev server's servers after `downtimeMs` (every client sees its connection
 * cut; Socket.IO clients then reconnect by themselves). Resolves with whether the control API agreed.
 */
export async function restartDevServer(control: DevServerControl, downtimeMs = RECONNECT_DEMO_DOWNTIME_MS, options: { fetch?: typeof fetch, timeoutMs?: number } = {}): Promise<boolean> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  try {
    const response = await boundedFetch(doFetch, `${control.url}/restart`, {
      method: 'POST',
      headers: { 'Authorization': `Bearer ${control.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ downtime: downtimeMs }),
    }, (options.timeoutMs ?? 5000) + downtimeMs)
    return response.ok
  }
  catch {
    return false
  }
}

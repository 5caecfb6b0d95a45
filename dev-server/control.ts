/**
 * Fault controls over HTTP: loopback only, and obeying only the inspector (control-access.ts: its origin, the
 * per-start token, a loopback `Host`, JSON bodies). The `__control` Socket.IO namespace calls the same
 * {@link runControlAction} under the same origin and token rule.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { hostAllowed, originRefusal, tokenFromHeaders, tokenMatches, type ControlAccess } from './control-access.ts'
import {
  ConnectionTracker, PendingHandshakes, closeServer, httpServerLimits, isSendableCloseCode, listen, parseRequestUrl, type SlowClientLimits,
} from './net-util.ts'
import type { DevServerFaults, DevServerStatus, Log, RecordSnapshot, RestartOptions } from './types.ts'

export interface ControlTarget {
  faults: DevServerFaults
  restart(options?: RestartOptions): Promise<void>
  status(): DevServerStatus
  record(since?: number): RecordSnapshot
  clearRecord(): void
}

/** Routes of the control API (all `POST` except `status`), also the event names of the `__control` namespace. */
export const CONTROL_ACTIONS: Record<string, string> = {
  'status': 'GET: ports, URLs, connection counts and fault state',
  'restart': 'stop and start the ws, wss, Socket.IO, polling and Socket.IO v2 servers on the same ports; ?downtime=0 (ms)',
  'kill-sockets': 'cut every TCP connection (no close frame / close packet)',
  'stall-heartbeats': 'stop Engine.IO pings (and the server\'s ping timeout) for ?ms=10000 so clients see ping timeout; 0 resumes',
  'refuse-upgrade': 'while ?on=1, refuse WebSocket upgrades (Socket.IO stays on polling, raw ws gets 503); ?on=0 ends it',
  'close-websockets': 'close every raw WebSocket and Socket.IO WebSocket transport with ?code=4000&reason=...',
  'disconnect-sockets': 'disconnect every Socket.IO socket from the server side (io server disconnect)',
  'record': 'GET: what clients sent (Socket.IO events with acks, joins, leaves; raw WebSocket frames); ?since=<seq>',
  'record/clear': 'empty the record',
}

/** Routes read with GET (the others are POST). */
export const GET_ACTIONS = new Set(['status', 'record'])

/** Actions that cut the caller's own connection when it comes through Socket.IO: they run after the ack is sent. */
export const DISRUPTIVE_ACTIONS = new Set(['restart', 'kill-sockets', 'close-websockets', 'disconnect-sockets'])

export interface ControlResult { status: number; body: unknown }

function pick(params: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (params[name] !== undefined) return params[name]
  return undefined
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : undefined
  }
  return undefined
}

function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') {
    const v = value.toLowerCase()
    if (['1', 'true', 'on', 'yes', ''].includes(v)) return true
    if (['0', 'false', 'off', 'no'].includes(v)) return false
  }
  return undefined
}

const bad = (error: string): ControlResult => ({ status: 400, body: { ok: false, error } })

/**
 * Validates and runs one control action. `schedule` defers disruptive actions (used for `__control` callers so their
 * acknowledgement leaves before their own connection is cut); without it they run at once.
 */
export async function runControlAction(
  target: ControlTarget,
  action: string,
  params: Record<string, unknown>,
  schedule?: (run: () => void) => void,
): Promise<ControlResult> {
  const later = (run: () => void) => (schedule && DISRUPTIVE_ACTIONS.has(action) ? schedule(run) : run())
  switch (action) {
    case 'status':
      return { status: 200, body: target.status() }
    case 'restart': {
      const downtime = toNumber(pick(params, 'downtime', 'downtimeMs', 'value')) ?? 0
      if (downtime < 0 || downtime > 60_000) return bad('downtime must be between 0 and 60000 ms')
      if (schedule) {
        later(() => void target.restart({ downtimeMs: downtime }))
        return { status: 202, body: { ok: true, action, downtimeMs: downtime, scheduled: true } }
      }
      await target.restart({ downtimeMs: downtime })
      return { status: 200, body: { ok: true, action, downtimeMs: downtime, ports: target.status().ports } }
    }
    case 'kill-sockets':
      later(() => target.faults.killSockets())
      return { status: 200, body: { ok: true, action } }
    case 'stall-heartbeats': {
      const ms = toNumber(pick(params, 'ms', 'value'))
      if (ms === undefined || ms < 0 || ms > 600_000) return bad('ms must be a number of milliseconds between 0 and 600000')
      target.faults.stallHeartbeats(ms)
      return { status: 200, body: { ok: true, action, ms, stalledUntil: target.status().faults.heartbeatsStalledUntil } }
    }
    case 'refuse-upgrade': {
      const raw = pick(params, 'on', 'value')
      const on = raw === undefined ? true : toBool(raw)
      if (on === undefined) return bad('on must be 1/0, true/false or on/off')
      target.faults.refuseUpgrade(on)
      return { status: 200, body: { ok: true, action, on } }
    }
    case 'close-websockets': {
      const code = toNumber(pick(params, 'code', 'value')) ?? 1000
      if (!isSendableCloseCode(code)) return bad('code must be a close code a server may send: 1000-1003, 1007-1014 or 3000-4999')
      const reason = pick(params, 'reason')
      later(() => target.faults.closeAllWebSockets(code, typeof reason === 'string' ? reason : undefined))
      return { status: 200, body: { ok: true, action, code, reason: typeof reason === 'string' ? reason : '' } }
    }
    case 'disconnect-sockets':
      later(() => target.faults.disconnectSockets())
      return { status: 200, body: { ok: true, action } }
    case 'record': {
      const raw = pick(params, 'since', 'value')
      const since = raw === undefined ? 0 : toNumber(raw)
      if (since === undefined || since < 0) return bad('since must be a seq number (0 or more)')
      return { status: 200, body: target.record(since) }
    }
    case 'record/clear':
      target.clearRecord()
      return { status: 200, body: { ok: true, action } }
    default:
      return { status: 404, body: { ok: false, error: `unknown action ${action}`, actions: Object.keys(CONTROL_ACTIONS) } }
  }
}

export interface ControlServer {
  readonly port: number
  close(): Promise<void>
}

function readBody(req: IncomingMessage, limit = 16_384): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Request headers the inspector may send (fixed: never echoed back from the request). */
const ALLOWED_HEADERS = 'Content-Type, Authorization, X-SocketLens-Token'

export async function startControlServer(options: {
  host: string
  port: number
  access: ControlAccess
  /** Host names (without port) a request's `Host` may carry besides localhost, 127.0.0.1 and [::1]. */
  hostNames: readonly string[]
  limits: SlowClientLimits
  target: ControlTarget
  log: Log
}): Promise<ControlServer> {
  const { access, target, log } = options
  const tracker = new ConnectionTracker()
  const pending = new PendingHandshakes(options.limits)
  const hostNames = [...new Set(['localhost', '127.0.0.1', '[::1]', ...options.hostNames])]
  let port = options.port

  /** CORS headers for an allowed origin only; nothing at all for any other (the browser then hides the answer). */
  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin
    if (!origin || originRefusal(access, origin) !== undefined) return { 'Vary': 'Origin' }
    return { 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' }
  }

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...corsHeaders(req),
      ...headers,
    })
    res.end(`${JSON.stringify(body)}\n`)
  }

  /** Host, origin and (but for preflights) token: why this request is refused, or undefined. */
  const refusal = (req: IncomingMessage): { status: number; error: string; headers?: Record<string, string> } | undefined => {
    if (!hostAllowed(req.headers.host, port, hostNames)) {
      return { status: 421, error: `the control API answers only Host ${hostNames.map((n) => `${n}:${port}`).join(', ')} (a request for another name may be DNS rebinding)` }
    }
    const byOrigin = originRefusal(access, req.headers.origin)
    if (byOrigin) return { status: 403, error: byOrigin }
    if (req.method === 'OPTIONS') return undefined
    if (!tokenMatches(access.token, tokenFromHeaders(req.headers))) {
      return {
        status: 401,
        error: 'missing or wrong control token: send Authorization: Bearer <token> (the dev server\'s banner prints it; the inspector reads it from /__socketlens/dev-server.json)',
        headers: { 'WWW-Authenticate': 'Bearer realm="SocketLens dev server control"' },
      }
    }
    return undefined
  }

  const server = createServer(httpServerLimits(options.limits), (req, res) => {
    void (async () => {
      const refused = refusal(req)
      if (refused) {
        log(`[control] refused ${req.method ?? '?'} ${req.url ?? ''} (Host ${JSON.stringify(req.headers.host ?? '')}, Origin ${JSON.stringify(req.headers.origin ?? '')}): ${refused.status}`)
        send(req, res, refused.status, { ok: false, error: refused.error }, refused.headers)
        return
      }
      const url = parseRequestUrl(req.url)
      const action = url.pathname.replace(/^\/+|\/+$/g, '')
      if (req.method === 'OPTIONS') {
        // Only an allowed origin gets here. Private network access is granted to it alone (Chromium asks when a
        // page on a less private address calls this loopback API).
        const privateNetwork = req.headers['access-control-request-private-network'] === 'true' ? { 'Access-Control-Allow-Private-Network': 'true' } : {}
        res.writeHead(204, {
          ...corsHeaders(req),
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
          ...privateNetwork,
        })
        res.end()
        return
      }
      if (action === '') {
        send(req, res, 200, { name: 'SocketLens dev server control API', actions: CONTROL_ACTIONS })
        return
      }
      if (!(action in CONTROL_ACTIONS)) {
        send(req, res, 404, { ok: false, error: `no route /${action}`, actions: Object.keys(CONTROL_ACTIONS) })
        return
      }
      const method = GET_ACTIONS.has(action) ? 'GET' : 'POST'
      if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
        send(req, res, 405, { ok: false, error: `use ${method} /${action}` }, { Allow: method })
        return
      }
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams)
      if (req.method === 'POST') {
        // JSON only: a page can send text/plain or a form without asking (no preflight); application/json it cannot.
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
        if (type !== 'application/json') {
          send(req, res, 415, { ok: false, error: 'send POST requests with Content-Type: application/json (a JSON object, or an empty body with query parameters)' })
          return
        }
        const body = (await readBody(req)).trim()
        if (body) {
          let parsed: unknown
          try {
            parsed = JSON.parse(body)
          } catch {
            send(req, res, 400, { ok: false, error: 'the body must be a JSON object (or empty: use query parameters)' })
            return
          }
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            send(req, res, 400, { ok: false, error: 'the body must be a JSON object' })
            return
          }
          Object.assign(params, parsed)
        }
      }
      const result = await runControlAction(target, action, params)
      if (!GET_ACTIONS.has(action)) log(`[control] ${action} ${JSON.stringify(params)} -> ${result.status}`)
      send(req, res, result.status, result.body)
    })().catch((err: unknown) => {
      if (!res.headersSent) send(req, res, 500, { ok: false, error: (err as Error).message })
      else res.destroy()
    })
  })
  tracker.track(server)
  pending.watch(server, { upgrades: false })
  server.on('clientError', (_err: Error, socket) => socket.destroy())

  port = await listen(server, options.port, options.host)
  return {
    port,
    close: () => {
      pending.clear()
      return closeServer(server, tracker)
    },
  }
}

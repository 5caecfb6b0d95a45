/**
 * One Engine.IO polling handshake, made on purpose after a failure, to learn what is listening: an Engine.IO server
 * of which protocol revision (4: Socket.IO v3/v4; 3: Socket.IO v2), at which path, offering which transports and
 * timings, and which implementation (Node's engine.io or python-engineio) where its answers give it away.
 *
 * Bounded: one GET (and, after a handshake, one POST that closes the session it opened, so the server does not keep
 * it until its ping timeout), a timeout, an abort signal, and only to the host and port of the URL it is given
 * (the caller's session URL): the path is the only thing a caller chooses.
 *
 * What the answers look like (recorded from the servers; tests/protocol/engine-probe.test.ts):
 *   Node engine.io 6 (EIO=4)  200 `0{"sid":…,"upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`
 *                             400 `{"code":0,"message":"Transport unknown"}`, `{"code":5,"message":"Unsupported protocol version"}`
 *   Node engine.io 3 (v2)     200 `96:0{"sid":…,"upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}` (length-prefixed)
 *   python-engineio 4         200 `0{"sid":…,"upgrades":["websocket"],"pingTimeout":20000,"pingInterval":25000}` (no maxPayload;
 *                             pingTimeout first), 400 with a JSON string body: `"Invalid transport"`,
 *                             `"http://… is not an accepted origin."`, `"The client is using an unsupported version …"`
 *
 * A browser hides the answer when the server sends no CORS header for this page's origin: the probe then reports
 * `unreadable` (as it does when nothing listens); a no-cors fetch (httpProbe.ts) can tell those two apart.
 */
import { decodePacket } from 'engine.io-parser'
import { message, NOTHING, type MessageRef } from './message'
import { timedAbort } from './timedAbort'

export type EngineIoRevision = 3 | 4
export type ServerImplementation = 'node-engine.io' | 'python-engineio'

/** What the handshake and the error bodies tell about the server. Leave out what is not known. */
export interface ServerFingerprint {
  engineIo?: EngineIoRevision
  implementation?: ServerImplementation
  /** Why `implementation` was named, in a few words ("no maxPayload, pingTimeout before pingInterval"). */
  implementationEvidence?: MessageRef
  sid?: string
  /** Transports the server offers to upgrade to (`upgrades` of the open packet). */
  upgrades?: string[]
  pingInterval?: number
  pingTimeout?: number
  maxPayload?: number
}

export type EngineProbeOutcome =
  /** An Engine.IO open packet arrived: an Engine.IO server answers at this path. */
  | 'handshake'
  /** An Engine.IO server answered, with an error (a transport it does not take, an origin it refuses, a version). */
  | 'refused'
  /** Something answered HTTP, but not as an Engine.IO server (a 404, a web page). */
  | 'not-engine-io'
  /** The request failed without an answer the page may read: nothing listening, CORS, mixed content, TLS. */
  | 'unreadable'
  | 'timeout'
  | 'aborted'

export interface EngineProbeResult {
  outcome: EngineProbeOutcome
  /** The URL asked. */
  url: string
  /** The path probed, as given (`/socket.io/`). */
  path: string
  eio: EngineIoRevision
  status?: number
  /** The body, clipped (MAX_PROBE_BODY). */
  body?: string
  /** An Engine.IO error: Node's `{code, message}`, or python-engineio's quoted message (no code). */
  engineError?: { code?: number, message: string }
  fingerprint: ServerFingerprint
  /** What was asked and answered, as lines a person can check ("GET /socket.io/?EIO=4&transport=polling → 200"). */
  evidence: MessageRef[]
}

export interface EngineProbeOptions {
  /** Engine.IO path, as a Socket.IO client's `path` option (`/socket.io` or `/socket.io/`). */
  path?: string
  eio?: EngineIoRevision
  /** Transport asked for; `polling` is the one a page can read an answer of. */
  transport?: 'polling' | 'websocket'
  timeoutMs?: number
  signal?: AbortSignal
  /** Extra query parameters the server may need (the session's own query). */
  query?: Record<string, string>
  withCredentials?: boolean
  /** For tests: another fetch. */
  fetch?: typeof fetch
}

export const DEFAULT_PROBE_TIMEOUT_MS = 3000
/** Longest body kept from a probe. */
export const MAX_PROBE_BODY = 500

/** `<path>/` with one leading and one trailing slash, as engine.io-client builds it. */
export function normalizeEnginePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '')
  const lead = trimmed.startsWith('/') ? trimmed : `/${trimmed}`
  return `${lead === '/' ? '' : lead}/`
}

/**
 * Probe an Engine.IO polling handshake at `sessionUrl`'s host and port (its path and query are ignored: the path
 * comes from `options.path`). Never throws.
 */
export async function probeEngineIo(sessionUrl: string, options: EngineProbeOptions = {}): Promise<EngineProbeResult> {
  const eio = options.eio ?? 4
  const path = normalizeEnginePath(options.path ?? '/socket.io')
  const fingerprint: ServerFingerprint = {}
  let url: URL
  try {
    const base = new URL(sessionUrl)
    const scheme = base.protocol === 'wss:' ? 'https:' : base.protocol === 'ws:' ? 'http:' : base.protocol
    url = new URL(`${scheme}//${base.host}${path}`)
  }
  catch {
    return { outcome: 'unreadable', url: sessionUrl, path, eio, fingerprint, evidence: [message('protocol.engine.notAUrl', { url: sessionUrl })] }
  }
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
  url.searchParams.set('EIO', String(eio))
  url.searchParams.set('transport', options.transport ?? 'polling')
  url.searchParams.set('t', Date.now().toString(36))
  const asked = `GET ${url.pathname}?EIO=${eio}&transport=${options.transport ?? 'polling'}`
  const result = (outcome: EngineProbeOutcome, extra: Partial<EngineProbeResult>, evidence: MessageRef[]): EngineProbeResult =>
    ({ outcome, url: url.href, path, eio, fingerprint, evidence, ...extra })

  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  const abort = timedAbort(timeoutMs, options.signal)
  const doFetch = options.fetch ?? globalThis.fetch
  try {
    let response: Response
    let text: string
    try {
      response = await doFetch(url.href, {
        method: 'GET',
        signal: abort.signal,
        credentials: options.withCredentials ? 'include' : 'omit',
        cache: 'no-store',
        redirect: 'manual',
      })
      text = await response.text()
    }
    catch (err) {
      if (abort.timedOut) return result('timeout', {}, [message('protocol.engine.timeout', { asked, timeoutMs })])
      if (abort.signal.aborted) return result('aborted', {}, [message('protocol.engine.cancelled', { asked })])
      const error = (err as Error).message
      return result('unreadable', {}, [error
        ? message('protocol.engine.unreadable', { asked, error })
        : message('protocol.engine.unreadableNetwork', { asked })])
    }
    const body = text.slice(0, MAX_PROBE_BODY)
    const status = response.status
    const line = body
      ? message('protocol.engine.answeredBody', { asked, status, body: body.slice(0, 160) })
      : message('protocol.engine.answered', { asked, status })
    const server = response.headers.get('server') ?? undefined
    if (status === 200) {
      const open = parseOpenPacket(text)
      if (open) {
        Object.assign(fingerprint, describeHandshake(open.data, open.eio))
        if (!fingerprint.implementation && server) nameFromServerHeader(fingerprint, server)
        void closeProbeSession(doFetch, url, open.eio, open.data.sid)
        return result('handshake', { status, body }, [line, ...fingerprintEvidence(fingerprint)])
      }
      return result('not-engine-io', { status, body }, [line, message('protocol.engine.notOpenPacket')])
    }
    const engineError = parseEngineError(text)
    if (engineError) {
      Object.assign(fingerprint, fingerprintOfError(text))
      if (!fingerprint.implementation && server) nameFromServerHeader(fingerprint, server)
      return result('refused', { status, body, engineError }, [line, ...fingerprintEvidence(fingerprint)])
    }
    return result('not-engine-io', { status, body }, [line])
  }
  finally {
    abort.release()
  }
}

/** An Engine.IO open packet in a polling body: `0{…}` (EIO 4) or `<len>:0{…}` (EIO 3, Socket.IO v2). */
export function parseOpenPacket(body: string): { eio: EngineIoRevision, data: Record<string, unknown> } | undefined {
  let eio: EngineIoRevision = 4
  let packetText = body.split('\x1e')[0] ?? ''
  const framed = /^(\d+):/.exec(body)
  if (framed) {
    eio = 3
    packetText = body.slice(framed[0].length, framed[0].length + Number(framed[1]))
  }
  if (!packetText.startsWith('0{')) return undefined
  try {
    const packet = decodePacket(packetText)
    const data: unknown = typeof packet.data === 'string' ? JSON.parse(packet.data) : undefined
    if (packet.type !== 'open' || !data || typeof data !== 'object' || Array.isArray(data)) return undefined
    if (typeof (data as { sid?: unknown }).sid !== 'string') return undefined
    return { eio, data: data as Record<string, unknown> }
  }
  catch {
    return undefined
  }
}

/**
 * The fingerprint of an open packet's data, as the client parsed it (the key order survives JSON.parse).
 * python-engineio 4 sends no maxPayload and writes pingTimeout before pingInterval; Node's engine.io writes
 * pingInterval first, and (Engine.IO 4) a maxPayload.
 */
export function describeHandshake(data: Record<string, unknown>, eio: EngineIoRevision = 4): ServerFingerprint {
  const fp: ServerFingerprint = { engineIo: eio }
  if (typeof data.sid === 'string') fp.sid = data.sid
  if (Array.isArray(data.upgrades)) fp.upgrades = data.upgrades.filter((u): u is string => typeof u === 'string').slice(0, 8)
  if (typeof data.pingInterval === 'number') fp.pingInterval = data.pingInterval
  if (typeof data.pingTimeout === 'number') fp.pingTimeout = data.pingTimeout
  if (typeof data.maxPayload === 'number') fp.maxPayload = data.maxPayload
  const keys = Object.keys(data)
  const timeoutFirst = keys.indexOf('pingTimeout') >= 0 && keys.indexOf('pingTimeout') < keys.indexOf('pingInterval')
  if (eio === 4 && fp.maxPayload === undefined && timeoutFirst) {
    fp.implementation = 'python-engineio'
    fp.implementationEvidence = message('protocol.engine.why.pythonOrder')
  }
  else if (eio === 4 && fp.maxPayload !== undefined && !timeoutFirst) {
    fp.implementation = 'node-engine.io'
    fp.implementationEvidence = message('protocol.engine.why.nodeOrder')
  }
  else if (eio === 3) {
    fp.implementation = 'node-engine.io'
    fp.implementationEvidence = message('protocol.engine.why.lengthPrefixed')
  }
  return fp
}

/** An Engine.IO error body: Node's `{"code":n,"message":…}`, or python-engineio's JSON string `"Invalid transport"`. */
export function parseEngineError(body: string | undefined): { code?: number, message: string } | undefined {
  if (!body) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  }
  catch {
    return undefined
  }
  if (typeof parsed === 'string' && parsed !== '' && parsed.length < MAX_PROBE_BODY) return { message: parsed }
  if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'number') {
    const { code, message } = parsed as { code: number, message?: unknown }
    return { code, message: typeof message === 'string' ? message : `code ${code}` }
  }
  return undefined
}

/** python-engineio's error messages (engineio/server.py `_bad_request`), recognised by their words. */
const PYTHON_MESSAGES = /^(Invalid transport|Invalid websocket upgrade|Invalid session|.* is not an accepted origin\.|The client is using an unsupported version of the Socket\.IO or Engine\.IO protocols|Bad Request|Unauthorized)/

/** What an HTTP error body says about the server: which implementation, and for a v2 server, Engine.IO 3. */
export function fingerprintOfError(body: string | undefined): ServerFingerprint {
  const error = parseEngineError(body)
  if (!error) return {}
  if (error.code !== undefined) {
    return {
      implementation: 'node-engine.io',
      implementationEvidence: message('protocol.engine.why.nodeError', { body: `{"code":${error.code},"message":"${error.message.slice(0, 120)}"}` }),
      // Only an Engine.IO 4 server refuses an Engine.IO 3 client with code 5.
      ...(error.code === 5 ? { engineIo: 4 as const } : {}),
    }
  }
  if (PYTHON_MESSAGES.test(error.message)) {
    return {
      implementation: 'python-engineio',
      implementationEvidence: message('protocol.engine.why.pythonError', { message: error.message.slice(0, 120) }),
      // python-engineio 4 speaks Engine.IO 4 only.
      engineIo: 4,
    }
  }
  return {}
}

/** What python-engineio's error says the server refused: a transport, this page's origin, the protocol version. */
export function pythonRefusal(body: string | undefined): 'transport' | 'origin' | 'version' | undefined {
  const error = parseEngineError(body)
  if (!error || error.code !== undefined) return undefined
  if (/^Invalid transport/.test(error.message)) return 'transport'
  if (/is not an accepted origin\.$/.test(error.message)) return 'origin'
  if (/unsupported version/.test(error.message)) return 'version'
  return undefined
}

function nameFromServerHeader(fp: ServerFingerprint, server: string): void {
  if (/aiohttp|python|uvicorn|hypercorn|eventlet|gevent|werkzeug/i.test(server)) {
    fp.implementation = 'python-engineio'
    fp.implementationEvidence = message('protocol.engine.why.pythonServer', { server: server.slice(0, 80) })
  }
}

/** The fingerprint as lines for "Why we think so" and the handshake's detail. */
export function fingerprintEvidence(fp: ServerFingerprint): MessageRef[] {
  const out: MessageRef[] = []
  if (fp.engineIo) out.push(message(fp.engineIo === 3 ? 'protocol.engine.fingerprint.eio3' : 'protocol.engine.fingerprint.eio4'))
  if (fp.implementation) {
    const name = implementationName(fp.implementation)
    out.push(fp.implementationEvidence
      ? message('protocol.engine.fingerprint.serverWhy', { name, why: fp.implementationEvidence })
      : message('protocol.engine.fingerprint.server', { name }))
  }
  if (fp.upgrades) {
    out.push(fp.upgrades.length > 0
      ? message('protocol.engine.fingerprint.upgrades', { upgrades: fp.upgrades.join(', ') })
      : message('protocol.engine.fingerprint.noUpgrades'))
  }
  if (fp.pingInterval !== undefined || fp.pingTimeout !== undefined) {
    out.push(message('protocol.engine.fingerprint.timings', {
      pingInterval: fp.pingInterval ?? '?',
      pingTimeout: fp.pingTimeout ?? '?',
      maxPayload: fp.maxPayload !== undefined ? message('protocol.engine.fingerprint.maxPayload', { bytes: fp.maxPayload }) : NOTHING,
    }))
  }
  return out
}

export function implementationName(implementation: ServerImplementation): string {
  return implementation === 'python-engineio' ? 'python-engineio (python-socketio)' : 'Node engine.io (socket.io)'
}

/**
 * Close the session a probe opened, so the server does not hold it until its ping timeout. Best effort, bounded, and
 * silent: a `text/plain` POST is a simple request, and its answer does not matter.
 */
async function closeProbeSession(doFetch: typeof fetch, handshakeUrl: URL, eio: EngineIoRevision, sid: unknown): Promise<void> {
  if (typeof sid !== 'string') return
  const url = new URL(handshakeUrl.href)
  url.searchParams.set('sid', sid)
  url.searchParams.set('t', Date.now().toString(36))
  const abort = timedAbort(DEFAULT_PROBE_TIMEOUT_MS)
  try {
    const response = await doFetch(url.href, {
      method: 'POST',
      body: eio === 3 ? '1:1' : '1',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      signal: abort.signal,
      credentials: 'omit',
    })
    await response.text()
  }
  catch {
    // the session times out on the server anyway
  }
  finally {
    abort.release()
  }
}

/**
 * The raw WebSocket driver: wraps the platform `WebSocket` (the browser's, or the `ws` package's in Node tests)
 * and turns everything it reports into timeline events. It adds what the browser does not give a raw socket:
 * reconnects with backoff, a connect timeout, and plain-language diagnoses.
 *
 * Its events (lifecycle connecting, open, reconnect, error, connect_timeout, close, reconnect_attempt, reconnect_failed,
 * reconnect_cancelled, reconnect_skipped, stable; wire frame) and their fields are the union in ../events.ts, which
 * the compiler holds every `sink(...)` here to.
 *
 * Every `connecting` ends in `open` or `close`, except when the WebSocket constructor throws (invalid URL,
 * subprotocol or SecurityError): then `error` follows and the state goes back to `closed`, since no socket
 * ever existed. Every `open` ends in `close`.
 *
 * State machine: idle → connecting → open → (reconnecting → connecting → open)* → closed. Any close the user did
 * not ask for (server close, drop, failed handshake, connect timeout) schedules a reconnect when the policy allows,
 * except a clean close by the server (1000, 1001) unless `afterCleanClose`; `disconnect()` stops reconnecting.
 * Events from a superseded socket are ignored.
 *
 * The attempt counter starts over only once a connection stayed up for the stable period (ConnectionHistory), not
 * on every open: a server that accepts and then drops every connection gets growing delays and `maxAttempts`. A
 * close after open carries the history as evidence (`detail.evidence`), and, when connections keep closing soon
 * after opening, the diagnosis that says so (`detail.diagnosis: 'short-lived'`, `untilStable`: the banner keeps it
 * through the next open, until `stable`).
 */
import type { ConnectionState, DraftEvent, Driver, DriverHooks, OutgoingMessage, SendResult, Sink } from '../types'
import { MAX_TIMER_MS, now, utf8Length } from '../types'
import type { CloseDetail, WebSocketFailureDetail } from '../events'
import { closeCodeInfo, explainCloseCode } from '../closeCodes'
import { diagnose, diagnosisText, makeDiagnosis, type Diagnosis, type FailureFacts } from '../diagnose'
import { message, message as say, NOTHING, type MessageRef } from '../message'
import { ConnectionHistory, formatDuration } from '../connectionHistory'
import { httpUrlOf, probeHttp, ProbeBudget, type ProbeFinding } from '../httpProbe'
import { probeEngineIo, type EngineProbeResult } from '../engineProbe'
import { reconnectDelay, resolveReconnectPolicy, type ReconnectPolicy } from './reconnect'

export type { ReconnectPolicy } from './reconnect'
export { DEFAULT_RECONNECT_POLICY, reconnectDelay, resolveReconnectPolicy } from './reconnect'

export interface WebSocketDriverOptions {
  /** `ws://` or `wss://` URL, as normalized by `parseEndpoint`. */
  url: string
  /**
   * Subprotocols to offer, in order of preference.
   * @default []
   */
  protocols?: string[]
  /** Reconnect policy; fields left out (or `undefined`) take their defaults (see `ReconnectPolicy`). */
  reconnect?: Partial<ReconnectPolicy>
  /**
   * Give up on a handshake after this many ms (a server that accepts TCP but never answers). 0 turns it off.
   * @default 10000
   */
  connectTimeoutMs?: number
  /**
   * The WebSocket constructor: the `ws` package's in Node tests.
   * @default globalThis.WebSocket
   */
  WebSocket?: typeof WebSocket
  /** `location.href` of the page, for the mixed-content and local-network diagnoses. */
  pageUrl?: string
  /**
   * The page's permission to reach the local network (Chromium's local-network access), read when a failure is
   * diagnosed. The app asks `navigator.permissions`; undefined where the browser does not say.
   */
  localNetworkPermission?: () => 'granted' | 'denied' | 'prompt' | undefined
  /**
   * How long `disconnect()` waits for the server's close frame before letting the socket go
   * (RFC 6455 §7.1.1 leaves the wait to the client; a stuck server should not keep the session "open").
   * @default 3000
   */
  closeTimeoutMs?: number
  /**
   * Random source for reconnect jitter, in [0, 1).
   * @default Math.random
   */
  random?: () => number
  /**
   * After a handshake failure the browser hides, ask the same host and port an ordinary HTTP question and a Socket.IO
   * polling handshake (httpProbe.ts, engineProbe.ts), bounded by a ProbeBudget. `false` turns it off; `mode` is
   * 'no-cors' unless given (a page needs it to see a foreign origin answer at all).
   * @default {}
   */
  probe?: false | { fetch?: typeof fetch, mode?: RequestMode, timeoutMs?: number }
}

export interface WebSocketDriver extends Driver {
  readonly type: 'ws'
  /**
   * Close on purpose and stop reconnecting. Browsers accept only 1000 and 3000–4999, and a reason of at most
   * 123 UTF-8 bytes; anything else is reported on the timeline, not thrown.
   */
  disconnect: (code?: number, reason?: string) => void
  /** Bytes queued in the socket and not yet sent (0 when not connected). */
  readonly bufferedAmount: number
}

/** `WebSocket.OPEN`, as a constant: the injected constructor need not carry the static. */
const OPEN = 1


/** Error codes of the `ws` package (Node) for frames it rejects, and the close code it sends for them. */
function failCodeOf(cause: unknown): number | undefined {
  const code = (cause as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) return undefined
  if (code === 'WS_ERR_INVALID_UTF8') return 1007 // RFC 6455 §8.1
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 1009
  return 1002
}

function noop(): void {}

/** Why a failure that no retry can fix stops the reconnects. */
function notReconnecting(diagnosis: Diagnosis): MessageRef {
  const next = diagnosisText(diagnosis, 'nextStep')
  if (diagnosis.id === 'socketio-server') return message('protocol.websocket.notReconnectingSocketIo', { next })
  return message('protocol.websocket.notReconnecting', { title: diagnosisText(diagnosis, 'title'), next })
}

/** Diagnoses that retrying cannot change: the same URL fails the same way every time. */
const UNRETRYABLE = new Set<Diagnosis['id']>(['invalid-url', 'mixed-content', 'socketio-server'])

/** Handshake failures a browser hides the cause of, which a probe of the same host and port can tell apart. */
const PROBED = new Set<Diagnosis['id']>(['nothing-listening', 'handshake-rejected', 'tls-untrusted', 'unknown'])

/** An Engine.IO probe's result as a probe finding (what diagnose.ts reads). */
function engineFinding(result: EngineProbeResult, ms: number): ProbeFinding {
  const asked = result.path
  const eio = result.fingerprint.engineIo ?? result.eio
  const base = { kind: 'engine.io' as const, url: result.url, ms, ...(result.status !== undefined ? { status: result.status } : {}) }
  switch (result.outcome) {
    case 'handshake':
      return { ...base, outcome: 'answers', eio, summary: message('protocol.probe.engineHandshake', { path: asked, eio }) }
    case 'refused':
      return { ...base, outcome: 'answers', eio, summary: message('protocol.probe.engineError', { path: asked, said: result.engineError ? message('protocol.probe.quoted', { text: result.engineError.message.slice(0, 80) }) : NOTHING }) }
    case 'timeout':
      return { ...base, outcome: 'timeout', summary: message('protocol.probe.engineTimeout', { path: asked }) }
    case 'not-engine-io':
      return { ...base, outcome: 'nothing', summary: message('protocol.probe.engineNone', { path: asked, status: result.status !== undefined ? message('protocol.probe.status', { status: result.status }) : NOTHING }) }
    default:
      return { ...base, outcome: 'nothing', summary: message('protocol.probe.engineUnreadable', { path: asked }) }
  }
}

export function createWebSocketDriver(options: WebSocketDriverOptions, sink: Sink, hooks: DriverHooks = {}): WebSocketDriver {
  const url = options.url
  const protocols = options.protocols ?? []
  const pageUrl = options.pageUrl
  const permission = (): 'granted' | 'denied' | 'prompt' | undefined => options.localNetworkPermission?.()
  const policy = resolveReconnectPolicy(options.reconnect)
  // A form's emptied field ('') keeps the default; a delay past what a timer holds would fire at once.
  const timerMs = (value: unknown, fallback: number): number =>
    typeof value === 'number' && !Number.isNaN(value) ? Math.min(value, MAX_TIMER_MS) : fallback
  const connectTimeoutMs = timerMs(options.connectTimeoutMs, 10_000)
  const closeTimeoutMs = timerMs(options.closeTimeoutMs, 3000)
  const random = options.random ?? Math.random

  let state: ConnectionState = 'idle'
  let socket: WebSocket | undefined
  let disposed = false
  /** 0 for the user's connect, n while reconnect attempt n is planned or running. */
  let attempt = 0
  /** Set by a failure that no retry can fix (a blocked port, mixed content): reconnecting would repeat it forever. */
  let hopeless: Diagnosis | undefined
  let startedAt = 0
  /** 0 until the current socket opens. */
  let openedAt = 0
  /** The current socket's close was asked for by `disconnect()`. */
  let userClosing = false
  /** What the platform said in the current socket's `error` (Node only; browsers say nothing). */
  let lastErrorMessage: string | undefined
  /** Close code this side failed the connection with (invalid UTF-8 → 1007, ...), when the platform says. */
  let failCode: number | undefined
  /** The platform reported an error on the open connection: it failed the connection itself (see onError). */
  let failedAfterOpen = false
  let connectTimer: ReturnType<typeof setTimeout> | undefined
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let closeTimer: ReturnType<typeof setTimeout> | undefined
  let stableTimer: ReturnType<typeof setTimeout> | undefined
  /** This run's connections (from the user's Connect): when the attempt counter may reset, and evidence. */
  const history = new ConnectionHistory({ stableMs: policy.stableMs, now })
  const probeOptions = options.probe === false ? undefined : options.probe ?? {}
  const probes = new ProbeBudget()
  /** Counts the user's Connects: a probe's answer is for the run that asked. */
  let run = 0

  function setState(next: ConnectionState): void {
    if (next === state) return
    state = next
    hooks.onState?.(next)
  }

  function clearTimers(): void {
    clearTimeout(connectTimer)
    clearTimeout(reconnectTimer)
    clearTimeout(closeTimer)
    clearTimeout(stableTimer)
    connectTimer = reconnectTimer = closeTimer = stableTimer = undefined
  }

  /**
   * Diagnose a failure with the run's history: the failure is recorded first (by its diagnosis id, or by close code
   * after an open), so "the same failure n times in a row" counts this one.
   */
  function diagnoseFailure(facts: FailureFacts): Diagnosis {
    const afterOpen = facts.everOpened === true
    const first = diagnose(facts)
    const kind = afterOpen ? `close:${facts.closeCode ?? 1006}` : first.id
    history.failed(kind, { afterOpen })
    // What a probe for this kind of failure already found in this run is evidence now.
    const known = afterOpen ? undefined : probes.known(first.id)
    return diagnose({ ...facts, history: history.facts(), ...(known ? { probes: known } : {}) })
  }

  /**
   * After a handshake failure whose cause the browser hid, ask the same host and port (bounded: ProbeBudget). When the
   * probes change the diagnosis, say so with a second `error` (detail.probed) and, for a Socket.IO server, stop
   * reconnecting: a raw WebSocket will never be accepted there.
   */
  function probeAfter(facts: FailureFacts, diagnosis: Diagnosis): void {
    if (!probeOptions || disposed || facts.everOpened || !PROBED.has(diagnosis.id) || !diagnosis.guess) return
    // The budget decides: the first failure of this kind probes; later ones reuse the finding (already in
    // `diagnosis`, so nothing new is said) until its backoff has passed.
    const key = diagnose(facts).id
    const httpUrl = httpUrlOf(url)
    if (!httpUrl) return
    const asked = run
    const started = now()
    const pending = probes.probe(key, async (signal) => {
      const http = await probeHttp(httpUrl, { ...probeOptions, signal })
      if (http.outcome !== 'answers') return [http]
      const engine = await probeEngineIo(url, { path: '/socket.io', fetch: probeOptions.fetch, timeoutMs: probeOptions.timeoutMs, signal })
      if (signal.aborted) throw Object.assign(new Error('The probe was aborted'), { name: 'AbortError' })
      return [http, engineFinding(engine, Math.round(now() - started))]
    })
    pending?.then((found) => {
      if (disposed || asked !== run || state === 'open' || state === 'idle') return
      const better = diagnose({ ...facts, history: history.facts(), probes: found })
      if (better.id === diagnosis.id && better.variant === diagnosis.variant) return
      // The close this explains came before it: name its code here, since the banner no longer pairs them.
      emitDiagnosis('error', better, { probed: true, ...(facts.closeCode !== undefined ? { closeCode: facts.closeCode } : {}) })
      // While connecting again, `hopeless` (set by emitDiagnosis) stops after that attempt; while waiting, stop now.
      if (UNRETRYABLE.has(better.id) && state === 'reconnecting') {
        hopeless = undefined
        clearTimers()
        // Attempt `attempt` was only planned: the ones made are one fewer.
        sink({ time: now(), layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local', attempt: attempt - 1, explain: notReconnecting(better) })
        attempt = 0
        setState('closed')
      }
    }, () => {
      // Aborted (Disconnect, dispose, a new Connect): nothing to report.
    })
  }

  /** Let a socket go without hearing from it again. `onerror` stays a function: the `ws` package throws on an unheard error. */
  function release(ws: WebSocket): void {
    if (socket === ws) socket = undefined
    ws.onopen = null
    ws.onmessage = null
    ws.onclose = null
    ws.onerror = noop
    try {
      if (ws.readyState <= OPEN) ws.close()
      // The `ws` package (Node) can cut the TCP connection at once; a browser frees the socket itself.
      else (ws as { terminate?: () => void }).terminate?.()
    }
    catch {
      // already closing: nothing more to do
    }
  }

  /** A handshake this side let go of: no close frame was exchanged, so it is reported as 1006 (RFC 6455 §7.1.5). */
  function abandoned(explain: MessageRef, byUser: boolean): void {
    sink({
      time: now(), layer: 'lifecycle', kind: 'close', dir: 'local', code: 1006, reason: '', explain,
      detail: { wasClean: false, byUser, closedBy: 'client' },
    })
  }

  function emitDiagnosis(kind: 'error' | 'connect_timeout', diagnosis: Diagnosis, extra: WebSocketFailureDetail): void {
    if (UNRETRYABLE.has(diagnosis.id)) hopeless = diagnosis
    sink({
      time: now(),
      layer: 'lifecycle',
      kind,
      dir: 'local',
      explain: diagnosisText(diagnosis, 'explanation'),
      detail: { diagnosis, ...extra },
    })
  }

  function openSocket(): void {
    clearTimers()
    hopeless = undefined
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket
    startedAt = now()
    openedAt = 0
    userClosing = false
    lastErrorMessage = undefined
    failCode = undefined
    failedAfterOpen = false
    history.attempt()
    sink({ time: startedAt, layer: 'lifecycle', kind: 'connecting', dir: 'local', attempt, detail: { url, protocols } })
    setState('connecting')

    let ws: WebSocket
    try {
      if (!WS) throw new TypeError('This environment has no WebSocket implementation.')
      ws = protocols.length > 0 ? new WS(url, protocols) : new WS(url)
    }
    catch (err) {
      // The constructor throws for what can never work (SyntaxError: URL, scheme, subprotocol; SecurityError:
      // mixed content), so there is nothing to retry.
      const error = { name: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err) }
      emitDiagnosis('error', diagnoseFailure({ protocol: 'ws', url, pageUrl, localNetworkPermission: permission(), error, everOpened: false, requestedProtocols: protocols }), { message: error.message })
      attempt = 0
      setState('closed')
      return
    }
    socket = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => onOpen(ws)
    // The hot path: one identity check, and one event object per frame unless a frame taker takes it.
    const frameIn = hooks.onFrameIn
    ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
      if (ws !== socket) return
      const data = ev.data
      const time = now()
      if (frameIn !== undefined && frameIn(time, data)) return
      sink({
        seq: 0,
        time,
        layer: 'wire',
        kind: 'frame',
        dir: 'in',
        transport: 'websocket',
        size: typeof data === 'string' ? utf8Length(data) : data.byteLength,
        data,
      })
    }
    ws.onerror = (ev: Event) => onError(ws, ev)
    ws.onclose = (ev: CloseEvent) => onClose(ws, ev)
    if (connectTimeoutMs > 0 && Number.isFinite(connectTimeoutMs))
      connectTimer = setTimeout(() => onConnectTimeout(ws), connectTimeoutMs)
  }

  function onOpen(ws: WebSocket): void {
    if (ws !== socket) return
    clearTimeout(connectTimer)
    connectTimer = undefined
    openedAt = now()
    sink({
      time: openedAt,
      layer: 'lifecycle',
      kind: 'open',
      dir: 'in',
      detail: { handshakeMs: openedAt - startedAt, protocol: ws.protocol, extensions: ws.extensions },
    })
    if (attempt > 0) sink({ time: now(), layer: 'lifecycle', kind: 'reconnect', dir: 'local', attempt })
    // The counter starts over only once this connection proves itself (see onStable), not now.
    history.opened()
    stableTimer = setTimeout(() => onStable(ws), history.stableMs)
    setState('open')
  }

  function onStable(ws: WebSocket): void {
    stableTimer = undefined
    if (ws !== socket || attempt === 0) return
    sink({
      time: now(), layer: 'lifecycle', kind: 'stable', dir: 'local', attempt,
      explain: message('protocol.reconnect.stable', { duration: formatDuration(history.stableMs) }),
      detail: { stableMs: history.stableMs },
    })
    attempt = 0
  }

  function onError(ws: WebSocket, ev: Event): void {
    if (ws !== socket) return
    // The `ws` package passes an ErrorEvent with the real cause; a browser passes a bare Event (PROTOCOL.md).
    const said = (ev as { message?: unknown }).message
    const cause = (ev as { error?: unknown }).error
    lastErrorMessage = typeof said === 'string' && said !== '' ? said : undefined
    failCode = failCodeOf(cause)
    const message = lastErrorMessage
    const error = message ? { name: cause instanceof Error ? cause.name : 'Error', message } : undefined
    if (openedAt === 0) {
      // A handshake failure always ends in close 1006 (WHATWG WebSockets, "fail the WebSocket connection").
      const facts: FailureFacts = {
        protocol: 'ws', url, pageUrl, localNetworkPermission: permission(), error, everOpened: false, closeCode: 1006, wasClean: false,
        msToFail: now() - startedAt, requestedProtocols: protocols,
      }
      const diagnosis = diagnoseFailure(facts)
      emitDiagnosis('error', diagnosis, message ? { message } : {})
      probeAfter(facts, diagnosis)
      return
    }
    // Chromium fires `error` on an open connection only when it fails the connection itself because the server
    // broke the protocol (a dropped or reset TCP connection closes 1006 with no error), so say that.
    failedAfterOpen = true
    const explain = failCode !== undefined
      ? (message
          ? say('protocol.websocket.failedWithCodeSaid', { message, meaning: closeCodeInfo(failCode).meaning })
          : say('protocol.websocket.failedWithCode', { meaning: closeCodeInfo(failCode).meaning }))
      : message
        ? say('protocol.websocket.failedSaid', { message })
        : say('protocol.websocket.failedByBrowser')
    sink({
      time: now(),
      layer: 'lifecycle',
      kind: 'error',
      dir: 'local',
      explain,
      detail: { diagnosis: makeDiagnosis('unknown', 'connection-error'), ...(message ? { message } : {}) },
    })
  }

  function onClose(ws: WebSocket, ev: CloseEvent): void {
    if (ws !== socket) return
    socket = undefined
    const time = now()
    const byUser = userClosing
    const openedAtBefore = openedAt
    const wasOpen = openedAt > 0
    userClosing = false
    openedAt = 0
    clearTimers()
    // Who closed: the client (the user, or this side failing the connection), the server (a clean close handshake
    // it started), or nobody (no close frame: network drop, crash, failed handshake).
    const failedHere = failCode !== undefined || (failedAfterOpen && wasOpen && ev.code === 1006)
    const closedBy = byUser || failedHere ? 'client' : ev.wasClean ? 'server' : 'network'
    const detail: CloseDetail = { wasClean: ev.wasClean, byUser, closedBy }
    if (wasOpen) detail.msSinceOpen = time - openedAtBefore
    // A connection that stayed up for the stable period proves the server works: the attempts start over.
    if (history.closed()?.stable) attempt = 0
    let diagnosis: Diagnosis | undefined
    if (wasOpen && !byUser) {
      diagnosis = diagnoseFailure({ protocol: 'ws', url, everOpened: true, closeCode: ev.code, closeReason: ev.reason, wasClean: ev.wasClean })
      detail.evidence = diagnosis.evidence
      if (diagnosis.id === 'short-lived') Object.assign(detail, { diagnosis, untilStable: true })
      else diagnosis = undefined
    }
    let explain: MessageRef
    if (failCode !== undefined && failCode !== ev.code) {
      detail.failedWith = failCode
      explain = message('protocol.websocket.closedHere', { close: explainCloseCode(failCode), code: ev.code })
    }
    else if (failedHere && !byUser) {
      explain = message('protocol.websocket.failedHere')
    }
    else if (!wasOpen && ev.code === 1006 && !byUser) {
      explain = message('protocol.websocket.handshakeFailed')
    }
    else if (diagnosis) {
      explain = diagnosisText(diagnosis, 'explanation')
    }
    else {
      explain = explainCloseCode(ev.code, ev.reason)
    }
    sink({ time, layer: 'lifecycle', kind: 'close', dir: closedBy === 'server' ? 'in' : 'local', code: ev.code, reason: ev.reason, explain, detail })
    afterClose(byUser, closedBy === 'server' && wasOpen && (ev.code === 1000 || ev.code === 1001) ? ev.code : undefined)
  }

  function onConnectTimeout(ws: WebSocket): void {
    if (ws !== socket) return
    connectTimer = undefined
    release(ws)
    const msToFail = now() - startedAt
    const error = { name: 'TimeoutError', message: `No answer to the handshake within ${connectTimeoutMs} ms` }
    const diagnosis = diagnoseFailure({ protocol: 'ws', url, pageUrl, localNetworkPermission: permission(), error, everOpened: false, msToFail, requestedProtocols: protocols })
    emitDiagnosis('connect_timeout', diagnosis, { timeoutMs: connectTimeoutMs })
    abandoned(message('protocol.websocket.gaveUpHandshake', { ms: connectTimeoutMs }), false)
    afterClose(false)
  }

  /** `cleanCloseCode`: the server closed an open connection cleanly with this code (1000 or 1001). */
  function afterClose(byUser: boolean, cleanCloseCode?: number): void {
    if (cleanCloseCode !== undefined && !byUser && !disposed && policy.enabled && !policy.afterCleanClose) {
      sink({
        time: now(), layer: 'lifecycle', kind: 'reconnect_skipped', dir: 'local', code: cleanCloseCode,
        explain: message('protocol.websocket.cleanClose', { code: cleanCloseCode, name: closeCodeInfo(cleanCloseCode).name }),
        detail: { reason: 'clean-close' },
      })
      hopeless = undefined
      attempt = 0
      setState('closed')
      return
    }
    if (hopeless && !byUser && !disposed && policy.enabled) {
      sink({
        time: now(), layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local', attempt,
        explain: notReconnecting(hopeless),
      })
      hopeless = undefined
      attempt = 0
      setState('closed')
      return
    }
    hopeless = undefined
    if (byUser || disposed || !policy.enabled || attempt >= policy.maxAttempts) {
      if (!byUser && !disposed && policy.enabled && attempt > 0)
        sink({
          time: now(), layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local', attempt,
          explain: message('protocol.websocket.gaveUp', {
            count: attempt,
            unstable: history.facts().shortLivedInARow > 0 ? message('protocol.websocket.neverStable', { duration: formatDuration(history.stableMs) }) : NOTHING,
          }),
        })
      attempt = 0
      setState('closed')
      return
    }
    attempt++
    const delayMs = reconnectDelay(attempt, policy, random)
    sink({ time: now(), layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt, delayMs })
    setState('reconnecting')
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      openSocket()
    }, delayMs)
  }

  function connect(): void {
    if (disposed || state === 'connecting' || state === 'open') return
    // From idle, closed, or while waiting to reconnect (the user does not want to wait): a fresh start.
    attempt = 0
    run++
    history.start()
    probes.start()
    openSocket()
  }

  function disconnect(code = 1000, reason = ''): void {
    if (disposed) return
    probes.abort()
    if (state === 'reconnecting') {
      clearTimers()
      sink({ time: now(), layer: 'lifecycle', kind: 'reconnect_cancelled', dir: 'local', attempt })
      attempt = 0
      setState('closed')
      return
    }
    const ws = socket
    if (!ws) return
    if (openedAt === 0) {
      // Still connecting: abandon the handshake. A browser would report it as an error and 1006; it is not a failure.
      clearTimers()
      release(ws)
      abandoned(message('protocol.websocket.cancelled'), true)
      attempt = 0
      setState('closed')
      return
    }
    if (userClosing) return
    try {
      ws.close(code, reason)
    }
    catch (err) {
      // Browsers throw InvalidAccessError for codes other than 1000 and 3000–4999, SyntaxError for a long reason.
      sink({
        time: now(),
        layer: 'lifecycle',
        kind: 'error',
        dir: 'local',
        explain: message('diagnoses.unknown.invalid-close.explanation', { message: String((err as Error)?.message ?? err) }),
        detail: { diagnosis: makeDiagnosis('unknown', 'invalid-close', { message: String((err as Error)?.message ?? err) }) },
      })
      return
    }
    userClosing = true
    clearTimeout(reconnectTimer)
    closeTimer = setTimeout(() => {
      closeTimer = undefined
      if (socket !== ws) return
      release(ws)
      const msSinceOpen = now() - openedAt
      userClosing = false
      openedAt = 0
      sink({
        time: now(),
        layer: 'lifecycle',
        kind: 'close',
        dir: 'local',
        code: 1006,
        reason: '',
        explain: message('protocol.websocket.closeTimeout', { ms: closeTimeoutMs }),
        detail: { wasClean: false, byUser: true, closedBy: 'client', msSinceOpen },
      })
      afterClose(true)
    }, closeTimeoutMs)
  }

  function notOpen(): MessageRef {
    if (userClosing) return say('protocol.send.closing')
    switch (state) {
      case 'connecting': return say('protocol.send.opening')
      case 'reconnecting': return say('protocol.send.reconnecting')
      default: return say('protocol.send.notConnected')
    }
  }

  function send(message: OutgoingMessage): Promise<SendResult> {
    if (message.kind === 'event')
      return Promise.resolve({ ok: false, error: say('protocol.send.noNamedEvents') })
    const ws = socket
    if (!ws || openedAt === 0 || userClosing || ws.readyState !== OPEN) return Promise.resolve({ ok: false, error: notOpen() })
    let data: string | ArrayBuffer
    let size: number
    const time = now()
    try {
      if (message.kind === 'text') {
        data = message.text
        size = utf8Length(data)
        ws.send(data)
      }
      else {
        const bytes = message.data
        ws.send(bytes)
        // Keep what was sent as an ArrayBuffer of exactly those bytes (a view may cover part of a larger buffer).
        data = bytes instanceof ArrayBuffer
          ? bytes
          : bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
            ? bytes.buffer
            : bytes.slice().buffer
        size = data.byteLength
      }
    }
    catch (err) {
      return Promise.resolve({ ok: false, error: say('protocol.send.frameFailed', { error: String((err as Error)?.message ?? err) }) })
    }
    const event: DraftEvent = { time, layer: 'wire', kind: 'frame', dir: 'out', transport: 'websocket', size, data }
    // Backpressure: what the socket still holds after this send; a growing number means a slow consumer.
    const buffered = ws.bufferedAmount
    if (buffered > 0) event.detail = { bufferedAmount: buffered }
    sink(event)
    return Promise.resolve({ ok: true })
  }

  function dispose(): void {
    if (disposed) return
    disposed = true
    probes.abort()
    clearTimers()
    if (socket) release(socket)
    attempt = 0
    setState('closed')
  }

  return {
    type: 'ws',
    get state() {
      return state
    },
    get bufferedAmount() {
      return socket?.bufferedAmount ?? 0
    },
    connect,
    disconnect,
    send,
    dispose,
  }
}

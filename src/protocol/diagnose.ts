/**
 * Turn what a browser lets us see about a failed connection into a diagnosis: an id, the words' variant and their
 * parameters, and the evidence (src/protocol/message.ts: words are data here).
 *
 * A browser hides why a WebSocket handshake failed: `error` is a bare Event, then close 1006 with no reason,
 * whether the port was closed, the server answered 403, the certificate was untrusted or the request was blocked
 * (PROTOCOL.md, "What a browser page can and cannot see"). So the rules below use only what is visible: the URL
 * and the page's URL, the exception a constructor threw, the close code and time to fail, HTTP status and body
 * from Socket.IO polling, Socket.IO error messages and disconnect reasons. In Node (tests) the `ws` package and
 * Node's sockets put the real cause in the error message (`Unexpected server response: 403`, `ECONNREFUSED`,
 * `self-signed certificate`), and the rules use it when it is there.
 *
 * The rules run in order from the most certain evidence (an exception, an HTTP status, a server message) to the
 * weakest (timing), and the first match wins. A rule names its words (an id, a variant and parameters); the words
 * live with the UI (src/i18n/messages/en/diagnoses.ts and its translations) and hedge where the evidence is only a guess.
 */
import { isLoopbackHost, isMixedContent } from './endpoint'
import { closeCodeInfo } from './closeCodes'
import { jsonText } from './codec/jsonText'
import { formatDuration, type HistoryFacts } from './connectionHistory'
import type { ProbeFinding } from './httpProbe'
import { implementationName, parseEngineError, pythonRefusal } from './engineProbe'
import type { ServerFingerprint } from './engineProbe'
import { isMessageRef, message, messageIdentity, NOTHING, type MessageParams, type MessageRef } from './message'

export type DiagnosisId =
  | 'invalid-url'
  | 'mixed-content'
  | 'cors-polling'
  | 'nothing-listening'
  | 'tls-untrusted'
  | 'local-network'
  | 'handshake-rejected'
  | 'subprotocol-mismatch'
  | 'socketio-v2-server'
  | 'parser-mismatch'
  | 'auth-rejected'
  | 'ping-timeout'
  | 'connect-timeout'
  | 'short-lived'
  | 'socketio-server'
  | 'not-websocket'
  | 'server-gone'
  | 'socketio-path'
  | 'session-unknown'
  | 'unknown'

export interface Diagnosis {
  id: DiagnosisId
  /**
   * Which of the id's cases applies: the words are the catalogue's `diagnoses.<id>.<variant>.title`, `.explanation`
   * and `.nextStep` (see `diagnosisText`), filled with `params`.
   */
  variant: string
  /** The values the words are filled with: hosts, codes, durations, server text (rendered as text), clauses. */
  params: MessageParams
  /**
   * What this diagnosis rests on, each a short fact a person can check ("HTTP 400", "Body: Invalid transport"):
   * the rule's own evidence first, then every fact the driver observed. Shown as "Why we think so".
   */
  evidence: MessageRef[]
  /** The evidence fits more than one cause: the words hedge, and the UI labels the diagnosis a guess. */
  guess: boolean
}

/** The parts of a diagnosis a person reads. */
export type DiagnosisPart = 'title' | 'explanation' | 'nextStep'

/** One part of a diagnosis as a message: `diagnoses.<id>.<variant>.<part>` with the diagnosis's params. */
export function diagnosisText(diagnosis: Pick<Diagnosis, 'id' | 'variant' | 'params'>, part: DiagnosisPart): MessageRef {
  return message(`diagnoses.${diagnosis.id}.${diagnosis.variant}.${part}`, diagnosis.params)
}

/** A diagnosis made without the rules (a driver's own: an invalid close, a client that did not load). */
export function makeDiagnosis(id: DiagnosisId, variant: string, params: MessageParams = {}, evidence: MessageRef[] = [], guess = false): Diagnosis {
  return { id, variant, params, evidence, guess }
}

/** A value from a timeline event's detail (a driver's, or an imported file's) that is a Diagnosis. Bounded. */
export function isDiagnosis(value: unknown): value is Diagnosis {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false
  const d = value as Partial<Diagnosis>
  return typeof d.id === 'string' && typeof d.variant === 'string' && typeof d.guess === 'boolean'
    && isMessageRef({ key: 'p', params: d.params }) && Array.isArray(d.evidence) && d.evidence.length <= 200
    && d.evidence.every(line => isMessageRef(line))
}

/** What a rule returns: its own evidence and whether it guesses, both optional (see `finish`). */
interface Finding {
  id: DiagnosisId
  variant: string
  params?: MessageParams
  evidence?: MessageRef[]
  guess?: boolean
}

/** Everything a driver observed about a failure. Leave out what is not known. */
export interface FailureFacts {
  protocol: 'ws' | 'socketio'
  url: string
  /** `location.href` of the page running SocketLens (mixed content, local-network access). */
  pageUrl?: string
  /**
   * An exception or error message: `SyntaxError`/`SecurityError` thrown by the WebSocket constructor, the `ws`
   * package's handshake error in Node, or `{ name: 'TimeoutError' }` for a connect timeout.
   */
  error?: { name: string, message: string }
  closeCode?: number
  closeReason?: string
  wasClean?: boolean
  /** Whether the connection ever opened; a failure before open is a handshake failure. */
  everOpened?: boolean
  /** Milliseconds from the start of the attempt to the failure. */
  msToFail?: number
  requestedProtocols?: string[]
  negotiatedProtocol?: string
  /** HTTP status from a Socket.IO polling request (0 = the browser hid the response). */
  httpStatus?: number
  httpBody?: string
  transport?: 'polling' | 'websocket'
  /** Socket.IO `connect_error` message (middleware message, `xhr poll error`, `timeout`, ...). */
  socketIoErrorMessage?: string
  /** Socket.IO `connect_error` data (set by server middleware with `err.data`). */
  socketIoErrorData?: unknown
  /** Socket.IO `disconnect` reason (`ping timeout`, `transport close`, ...). */
  disconnectReason?: string
  /** Transport closes seen in a row without a `connect` or `connect_error` (parser mismatch). */
  transportClosesWithoutConnect?: number
  /** `navigator.permissions.query({ name: 'loopback-network' })` (or 'local-network') state, when known. */
  localNetworkPermission?: 'granted' | 'denied' | 'prompt'
  /** The session's connection history in this run (connectionHistory.ts): earlier opens, short-lived streaks. */
  history?: HistoryFacts
  /** The Socket.IO parser the client used ('default' or 'msgpack'). */
  parser?: 'default' | 'msgpack'
  /** What the latest Engine.IO handshake (or an error body) told about the server (engineProbe.ts). */
  server?: ServerFingerprint
  /** What the probes made after the failure found (httpProbe.ts: a no-cors fetch, an Engine.IO handshake). */
  probes?: ProbeFinding[]
  /**
   * Socket.IO: the Engine.IO session of the latest successful handshake (the failing request carried its sid): how
   * long before the failure it was made, how many frames arrived for it since, and how many sessions in a row (this
   * one included) failed with "Session ID unknown" after their handshake had succeeded.
   */
  engineSession?: EngineSessionFacts
}

export interface EngineSessionFacts {
  sid?: string
  msSinceHandshake: number
  framesSinceHandshake: number
  unknownSidStreak: number
}

/** A session that failed within this long of its handshake, with few frames, failed "at once" (a cluster, not a restart). */
export const SESSION_UNKNOWN_EARLY_MS = 10_000
/** Frames after the handshake below which a session had not really started working yet. */
export const SESSION_UNKNOWN_EARLY_FRAMES = 5

/**
 * A handshake that failed faster than this (ms) most likely never reached an HTTP exchange: connection refused,
 * or a TLS alert. Slower failures most likely got an HTTP answer other than 101. A heuristic, said as such.
 */
export const FAST_FAILURE_MS = 1500

/** Connections in a row that closed within the stable period before it is called a pattern (fewer than 3: a guess). */
export const SHORT_LIVED_STREAK = 2

/** Transport closes without `connect`/`connect_error` that count as a loop (parser mismatch). */
export const PARSER_MISMATCH_CLOSES = 1

/** Ports browsers refuse to connect to (WHATWG Fetch, "bad port"). */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
])

/** Subprotocol names are HTTP tokens (RFC 6455 §4.1, RFC 7230 §3.2.6). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** `connect_error` messages produced by the Socket.IO client itself rather than by server middleware. */
const CLIENT_SIDE_SOCKETIO_ERRORS = new Set([
  'xhr poll error', 'fetch read error', 'xhr post error', 'fetch write error', 'poll error',
  'websocket error', 'websocket connection closed', 'webtransport error', 'timeout', 'server error',
  'parse error', 'transport close', 'transport error', 'probe error',
])

const V2_MESSAGE = 'It seems you are trying to reach a Socket.IO server in v2.x'

/** Engine.IO server error codes (engine.io `Server.errors`, a 400 body `{"code":n,"message":...}`): 0–5 have words. */
const ENGINE_IO_ERRORS = new Set([0, 1, 2, 3, 4, 5])

type Rule = (facts: FailureFacts, ctx: Context) => Finding | undefined

interface Context {
  url?: URL
  /** host:port as typed, for the words. */
  where: string
  /** HTTP status from the facts, or parsed from a Node handshake error message. */
  status?: number
  /** Lower-cased error message and Socket.IO error message, for matching. */
  message: string
}

/** The best explanation for a failed connection. Never throws. */
export function diagnose(facts: FailureFacts): Diagnosis {
  const ctx = contextOf(facts)
  for (const rule of RULES) {
    const found = rule(facts, ctx)
    if (found) return finish(found, facts)
  }
  return finish(unknown(facts, ctx), facts)
}

/** A rule's finding, with the facts it was made from as evidence. */
function finish(found: Finding, facts: FailureFacts): Diagnosis {
  const evidence = [...(found.evidence ?? [])]
  const seen = new Set(evidence.map(line => messageIdentity(line)))
  for (const line of evidenceOf(facts)) {
    const identity = messageIdentity(line)
    if (!seen.has(identity)) {
      seen.add(identity)
      evidence.push(line)
    }
  }
  return { id: found.id, variant: found.variant, params: found.params ?? {}, evidence, guess: found.guess ?? false }
}

/** Longest server text quoted in evidence: a line to read, not a dump. */
const EVIDENCE_TEXT_MAX = 160

const ev = (name: string, params?: MessageParams): MessageRef => message(`diagnoses.evidence.${name}`, params)
const fragment = (name: string, params?: MessageParams): MessageRef => message(`diagnoses.fragment.${name}`, params)

/**
 * Every fact the driver observed, as lines a person can check against the browser's DevTools or the server's logs.
 * Server text is a parameter, clipped; the UI renders it as text.
 */
export function evidenceOf(facts: FailureFacts): MessageRef[] {
  const out: MessageRef[] = []
  if (facts.error) out.push(facts.error.message ? ev('error', { name: facts.error.name, message: clip(facts.error.message) }) : ev('errorName', { name: facts.error.name }))
  if (facts.httpStatus !== undefined) {
    const transport = facts.transport
    if (facts.httpStatus === 0) out.push(transport ? ev('httpHidden', { transport }) : ev('httpHiddenAny'))
    else out.push(transport ? ev('httpStatus', { status: facts.httpStatus, transport }) : ev('httpStatusAny', { status: facts.httpStatus }))
  }
  if (facts.httpBody !== undefined && facts.httpBody !== '') out.push(ev('body', { body: clip(facts.httpBody) }))
  if (facts.socketIoErrorMessage !== undefined) out.push(ev('connectError', { message: clip(facts.socketIoErrorMessage) }))
  if (facts.socketIoErrorData !== undefined) out.push(ev('errorData', { data: preview(facts.socketIoErrorData) }))
  if (facts.disconnectReason !== undefined) out.push(ev('disconnectReason', { reason: clip(facts.disconnectReason) }))
  if (facts.closeCode !== undefined) {
    out.push(ev('closeCode', { code: facts.closeCode, name: closeCodeInfo(facts.closeCode).name, unclean: facts.wasClean === false ? ev('unclean') : NOTHING }))
  }
  if (facts.closeReason) out.push(ev('closeReason', { reason: clip(facts.closeReason) }))
  if (facts.everOpened === true) out.push(ev('opened'))
  else if (facts.everOpened === false) out.push(ev('neverOpened'))
  if (facts.msToFail !== undefined) out.push(ev('failedAfter', { ms: Math.round(facts.msToFail) }))
  if ((facts.transportClosesWithoutConnect ?? 0) > 0) out.push(ev('transportCloses', { closes: facts.transportClosesWithoutConnect! }))
  if ((facts.requestedProtocols ?? []).length > 0) out.push(ev('subprotocolsAsked', { protocols: facts.requestedProtocols!.join(', ') }))
  if (facts.negotiatedProtocol !== undefined) {
    out.push(facts.negotiatedProtocol ? ev('subprotocolAnswered', { protocol: facts.negotiatedProtocol }) : ev('subprotocolAnsweredNone'))
  }
  if (facts.localNetworkPermission !== undefined) out.push(ev('localNetwork', { permission: facts.localNetworkPermission }))
  const page = safeUrl(facts.pageUrl)
  if (page) out.push(ev('page', { origin: `${page.protocol}//${page.host}` }))
  if (facts.history) out.push(...historyEvidence(facts.history, facts.everOpened === true))
  for (const probe of facts.probes ?? []) out.push(probe.summary)
  const server = facts.server
  if (server?.engineIo !== undefined || server?.implementation !== undefined) {
    out.push(ev('lastHandshake', {
      name: server.implementation ? implementationName(server.implementation) : ev('anEngineIoServer'),
      eio: server.engineIo ? ev('engineIoVersion', { eio: server.engineIo }) : NOTHING,
      upgrades: server.upgrades ? ev('upgrades', { upgrades: server.upgrades.join(', ') || ev('none') }) : NOTHING,
    }))
  }
  return out
}

/** The history as evidence lines; `thisOpened`: the failure is the close of a connection that had opened. */
function historyEvidence(h: HistoryFacts, thisOpened: boolean): MessageRef[] {
  const out: MessageRef[] = []
  if (thisOpened && h.lastUpMs !== undefined) out.push(ev('wasOpen', { duration: formatDuration(h.lastUpMs) }))
  else if (h.wasOpenBefore && h.lastUpMs !== undefined && h.msSinceLastOpen !== undefined)
    out.push(ev('openEarlier', { duration: formatDuration(h.lastUpMs), ago: formatDuration(h.msSinceLastOpen) }))
  if (h.shortLivedInARow >= 2 && h.shortLivedLongestMs !== undefined)
    out.push(ev('shortLived', { within: formatDuration(h.shortLivedLongestMs), times: h.shortLivedInARow }))
  // Left out when the short-lived line above already counts the same closes.
  if (h.sameFailureInARow >= 2 && h.sameFailureInARow > h.shortLivedInARow) out.push(ev('sameFailure', { times: h.sameFailureInARow }))
  return out
}

function clip(text: string): string {
  return text.length > EVIDENCE_TEXT_MAX ? `${text.slice(0, EVIDENCE_TEXT_MAX - 1)}…` : text
}

function contextOf(facts: FailureFacts): Context {
  let url: URL | undefined
  try {
    url = new URL(facts.url)
  }
  catch {
    url = undefined
  }
  const message = `${facts.error?.message ?? ''} ${facts.socketIoErrorMessage ?? ''}`.toLowerCase()
  const parsedStatus = /unexpected server response: (\d{3})/i.exec(facts.error?.message ?? '')?.[1]
  return {
    url,
    where: url ? url.host : facts.url,
    status: facts.httpStatus ?? (parsedStatus ? Number(parsedStatus) : undefined),
    message,
  }
}

const invalidUrl: Rule = (facts, { url }): Finding | undefined => {
  const schemes = facts.protocol === 'ws' ? ['ws:', 'wss:', 'http:', 'https:'] : ['http:', 'https:', 'ws:', 'wss:']
  const example = facts.protocol === 'ws' ? 'ws://localhost:8080' : 'http://localhost:3000'
  if (!url) return { id: 'invalid-url', variant: 'not-a-url', params: { url: facts.url, example } }
  if (!schemes.includes(url.protocol)) {
    return {
      id: 'invalid-url',
      variant: 'scheme',
      params: {
        scheme: url.protocol,
        kind: fragment(`kind.${facts.protocol}`),
        plain: facts.protocol === 'ws' ? 'ws://' : 'http://',
        secure: facts.protocol === 'ws' ? 'wss://' : 'https://',
      },
    }
  }
  const protocols = facts.requestedProtocols ?? []
  const bad = protocols.find(p => !TOKEN.test(p))
  if (bad !== undefined) {
    const problem = /\s/.test(bad) ? 'subprotocolSpace' : bad === '' ? 'subprotocolEmpty' : 'subprotocolCharacter'
    return { id: 'invalid-url', variant: 'subprotocol', params: { protocol: bad, problem: fragment(problem) } }
  }
  const duplicate = protocols.find((p, i) => protocols.indexOf(p) !== i)
  if (duplicate !== undefined) return { id: 'invalid-url', variant: 'duplicate-subprotocol', params: { protocol: duplicate } }
  const port = Number(url.port)
  if (url.port !== '' && BAD_PORTS.has(port)) return { id: 'invalid-url', variant: 'bad-port', params: { port } }
  if (facts.error?.name === 'SyntaxError') {
    return { id: 'invalid-url', variant: 'syntax', params: { message: asSentence(facts.error.message) } }
  }
  return undefined
}

const mixedContent: Rule = (facts, { url }): Finding | undefined => {
  const mixed = isMixedContent(facts.url, facts.pageUrl)
  if (!mixed && !(facts.error?.name === 'SecurityError' && !facts.pageUrl)) return undefined
  return {
    id: 'mixed-content',
    variant: 'default',
    params: { scheme: url?.protocol ?? 'ws:', secure: url ? secureVariant(url) : 'wss://' },
  }
}

const securityError: Rule = (facts): Finding | undefined => {
  if (facts.error?.name !== 'SecurityError') return undefined
  return { id: 'unknown', variant: 'security-error', guess: true, params: { message: facts.error.message } }
}

const connectTimeout: Rule = (facts, { message: said }): Finding | undefined => {
  const timedOut = facts.error?.name === 'TimeoutError' || facts.socketIoErrorMessage === 'timeout'
    || said.includes('opening handshake has timed out')
  if (!timedOut) return undefined
  return {
    id: 'connect-timeout',
    variant: 'default',
    params: {
      kind: fragment(`kind.${facts.protocol}`),
      after: facts.msToFail !== undefined ? fragment('withinMs', { ms: Math.round(facts.msToFail) }) : NOTHING,
    },
  }
}

const socketIoV2: Rule = (facts, { message: said }): Finding | undefined => {
  if (facts.protocol !== 'socketio') return undefined
  const v2Body = facts.httpBody !== undefined && /^\d+:0\{/.test(facts.httpBody)
  const v2Message = said.includes(V2_MESSAGE.toLowerCase())
  const unparsable = facts.socketIoErrorMessage === 'server error'
  if (!v2Body && !v2Message && !unparsable) return undefined
  const certain = v2Body || v2Message
  return { id: 'socketio-v2-server', variant: certain ? 'certain' : 'unparsable', guess: !certain }
}

const pingTimeout: Rule = (facts): Finding | undefined => {
  if (facts.disconnectReason !== 'ping timeout') return undefined
  return { id: 'ping-timeout', variant: 'default' }
}

/**
 * socket.io-client closes with "parse error" when a packet from the server does not decode (socket.io-parser
 * throws on a broken JSON payload or an unknown packet type): the connection worked, the server's data did not.
 */
const malformedPacket: Rule = (facts): Finding | undefined => {
  if (facts.protocol !== 'socketio' || facts.disconnectReason !== 'parse error') return undefined
  return { id: 'parser-mismatch', variant: 'malformed' }
}

const authRejected: Rule = (facts): Finding | undefined => {
  const msg = facts.socketIoErrorMessage
  if (facts.protocol !== 'socketio' || msg === undefined || CLIENT_SIDE_SOCKETIO_ERRORS.has(msg)) return undefined
  if (msg === 'Invalid namespace') {
    return { id: 'handshake-rejected', variant: 'invalid-namespace', params: { namespace: namespaceOf(facts.url) } }
  }
  return {
    id: 'auth-rejected',
    variant: 'default',
    params: {
      namespace: namespaceOf(facts.url),
      message: clip(msg),
      data: facts.socketIoErrorData === undefined ? NOTHING : fragment('withData', { data: preview(facts.socketIoErrorData) }),
    },
  }
}

/**
 * The server answered the Engine.IO handshake, then the transport closed before any connect or connect_error: the
 * server could not read the client's CONNECT packet. The two ends use different parsers (PROTOCOL.md): no
 * negotiation, nothing else to see. Diagnosed on the first such close; the driver stops retrying.
 */
const parserMismatch: Rule = (facts): Finding | undefined => {
  const closes = facts.transportClosesWithoutConnect ?? 0
  if (facts.protocol !== 'socketio' || closes < PARSER_MISMATCH_CLOSES) return undefined
  const used = facts.parser ?? 'default'
  const other = used === 'msgpack' ? 'default' : 'msgpack'
  return {
    id: 'parser-mismatch',
    variant: 'default',
    guess: true,
    evidence: [ev('engineHandshakeAnswered'), ev('connectWrittenWith', { parser: fragment(`parser.${used}`) })],
    params: {
      times: closes === 1 ? NOTHING : fragment('closedTimes', { closes }),
      used: fragment(`parser.${used}`),
      other: fragment(`parser.${other}`),
      otherShort: fragment(`parserShort.${other}`),
    },
  }
}

/**
 * The session was open earlier in this run, at this same address and from this same page: the server accepted this
 * origin then, so a failure now is not CORS. It went away (stopped, restarted) or the network dropped; a probe of
 * the same port tells "refused" from "answers HTTP again".
 */
const serverGone: Rule = (facts, { status, where, message: said }): Finding | undefined => {
  const h = facts.history
  if (facts.protocol !== 'socketio' || !h?.wasOpenBefore || h.msSinceLastOpen === undefined) return undefined
  if (facts.disconnectReason !== undefined) return undefined
  const refusedInNode = said.includes('econnrefused')
  const opaque = status === 0 || (status === undefined && (refusedInNode || facts.socketIoErrorMessage === 'websocket error' || facts.socketIoErrorMessage === 'xhr poll error'))
  if (!opaque) return undefined
  const http = facts.probes?.find(p => p.kind === 'http')
  const refused = refusedInNode || http?.outcome === 'nothing'
  const found = refused ? 'refused' : http?.outcome === 'answers' ? 'answers' : http?.outcome === 'timeout' ? 'timeout' : 'unknown'
  return {
    id: 'server-gone',
    variant: refused ? 'refused' : 'default',
    guess: !refusedInNode && http === undefined,
    params: {
      where,
      up: h.lastUpMs !== undefined ? fragment('forDuration', { duration: formatDuration(h.lastUpMs) }) : NOTHING,
      ago: formatDuration(h.msSinceLastOpen),
      found: fragment(`serverGone.${found}`),
    },
  }
}

/**
 * HTTP 400 `{"code":1,"message":"Session ID unknown"}` on a request of a session whose handshake had succeeded: the
 * server that answered does not know the sid it just gave out. Right after the handshake (few frames, seconds), and
 * above all again for the next session, that is several server nodes without sticky sessions: the requests of one
 * session land on nodes that never saw its handshake. After a session had been working a while, it is a server that
 * lost its sessions (a restart, the node that held it gone): requests of one session reaching different nodes would
 * have failed at once. One early occurrence is a guess (a restart in that moment looks the same); the next attempt
 * tells, since a restarted server keeps the new session.
 */
const sessionUnknown: Rule = (facts, { status, where }): Finding | undefined => {
  if (facts.protocol !== 'socketio' || status !== 400) return undefined
  const body = engineIoError(facts.httpBody)
  const s = facts.engineSession
  if (body?.code !== 1 || !s) return undefined
  const sid = s.sid ?? '?'
  const after = formatDuration(s.msSinceHandshake)
  const evidence = [
    ev('handshakeThenUnknown', { sid, after }),
    ev('framesAfterHandshake', { frames: s.framesSinceHandshake }),
    ...(s.unknownSidStreak >= 2 ? [ev('unknownSidStreak', { count: s.unknownSidStreak })] : []),
  ]
  const early = s.msSinceHandshake < SESSION_UNKNOWN_EARLY_MS && s.framesSinceHandshake < SESSION_UNKNOWN_EARLY_FRAMES
  const params = { where, sid, after, frames: s.framesSinceHandshake, count: s.unknownSidStreak }
  if (s.unknownSidStreak >= 2) return { id: 'session-unknown', variant: 'cluster', params, evidence }
  if (early) return { id: 'session-unknown', variant: 'cluster-likely', params, evidence, guess: true }
  return { id: 'session-unknown', variant: 'restart', params, evidence, guess: true }
}

/** This page's origin for a sentence or a code snippet: the real one, or the words "this page's origin". */
function originOf(facts: FailureFacts): string | MessageRef {
  return safeUrl(facts.pageUrl)?.origin ?? fragment('thisOrigin')
}

/** How to allow an origin on either Socket.IO server, with the path to check (a clause of nextStep). */
function corsFix(origin: string | MessageRef): MessageRef {
  return fragment('corsFix', { origin, python: message('diagnoses.code.pythonCors', { origin }), node: message('diagnoses.code.nodeCors', { origin }) })
}

/**
 * A Socket.IO WebSocket handshake failed with the browser's bare error. Nothing listening and a server refusing the
 * handshake (python-socketio refuses foreign origins on WebSocket too) look alike, so this does not guess "nothing
 * listening" — that would send someone who switched to WebSocket only because of CORS looking for a server that
 * runs. The no-cors probe the driver makes after the failure tells them apart.
 */
const socketIoWebSocketFailure: Rule = (facts, { where }): Finding | undefined => {
  if (facts.protocol !== 'socketio' || facts.transport !== 'websocket' || facts.httpStatus !== undefined || !isOpaqueFailure(facts)) return undefined
  if (facts.error?.message && facts.error.message !== facts.socketIoErrorMessage) return undefined
  const http = facts.probes?.find(p => p.kind === 'http')
  const fix = corsFix(originOf(facts))
  if (http?.outcome === 'nothing') return { id: 'nothing-listening', variant: 'websocket-probed', params: { where } }
  if (http?.outcome === 'answers') return { id: 'handshake-rejected', variant: 'websocket-answers', guess: true, params: { where, fix } }
  return {
    id: 'handshake-rejected',
    variant: 'websocket-failed',
    guess: true,
    params: { where, fix, after: facts.msToFail !== undefined ? fragment('afterMs', { ms: Math.round(facts.msToFail) }) : NOTHING },
  }
}

/**
 * An open Socket.IO connection ended without the server saying so (no DISCONNECT packet: 'transport close' or
 * 'transport error'), once, not as a pattern (shortLived). The server went away or the network dropped.
 */
const socketIoConnectionLost: Rule = (facts, { where }): Finding | undefined => {
  // With a close code the close-code explanation says more (unknown); without history, there is nothing to add.
  if (facts.protocol !== 'socketio' || !facts.everOpened || facts.closeCode !== undefined || !facts.history) return undefined
  if (facts.disconnectReason !== 'transport close' && facts.disconnectReason !== 'transport error') return undefined
  return {
    id: 'server-gone',
    variant: 'lost',
    guess: true,
    params: {
      where,
      reason: facts.disconnectReason,
      up: facts.history.lastUpMs !== undefined ? fragment('afterDuration', { duration: formatDuration(facts.history.lastUpMs) }) : NOTHING,
    },
  }
}

/** python-engineio's 400 answers (a JSON string, no code): the transport, this page's origin, the protocol version. */
function pythonEngineIoRefusal(facts: FailureFacts, where: string): Finding | undefined {
  const refused = pythonRefusal(facts.httpBody)
  if (!refused) return undefined
  const said = clip(parseEngineError(facts.httpBody)?.message ?? '')
  const evidence = [ev('pythonAnswer', { message: said })]
  if (refused === 'transport') {
    return { id: 'handshake-rejected', variant: facts.transport === 'websocket' ? 'python-no-websocket' : 'python-no-polling', evidence, params: { where } }
  }
  if (refused === 'origin') {
    const origin = originOf(facts)
    return { id: 'cors-polling', variant: 'python-origin', evidence, params: { where, message: said, origin, code: message('diagnoses.code.pythonCors', { origin }) } }
  }
  return { id: 'handshake-rejected', variant: 'python-version', evidence, params: { where, message: said } }
}

/** Chromium's local-network access: a page may not reach a more private address space without permission. */
const localNetwork: Rule = (facts, { url, status }): Finding | undefined => {
  // A real HTTP status means the request reached the server, so nothing blocked it.
  if (!url || facts.localNetworkPermission === 'granted' || facts.everOpened || (status !== undefined && status > 0))
    return undefined
  const page = safeUrl(facts.pageUrl)
  const inferred = page !== undefined && addressSpace(page.hostname) > addressSpace(url.hostname)
  const denied = facts.localNetworkPermission === 'denied' && addressSpace(url.hostname) < 2
  if (!denied && !(inferred && facts.localNetworkPermission !== undefined) && !(inferred && isOpaqueFailure(facts)))
    return undefined
  const permission = facts.localNetworkPermission === 'denied' ? 'permissionDenied' : facts.localNetworkPermission === 'prompt' ? 'permissionPrompt' : 'permissionUnknown'
  return {
    id: 'local-network',
    variant: 'default',
    guess: !denied,
    params: { page: page?.host ?? fragment('publicPage'), host: url.host, permission: fragment(permission) },
  }
}

const httpStatus: Rule = (facts, { status, where }): Finding | undefined => {
  if (status === undefined) return undefined
  if (status === 0) {
    if (facts.protocol !== 'socketio') return undefined
    const http = facts.probes?.find(p => p.kind === 'http')
    if (http?.outcome === 'nothing') return { id: 'nothing-listening', variant: 'polling-probed', params: { where } }
    const origin = originOf(facts)
    return {
      id: 'cors-polling',
      variant: 'default',
      guess: true,
      params: {
        where,
        origin,
        answers: http?.outcome === 'answers' ? fragment('somethingAnswers') : NOTHING,
        orNothing: http ? NOTHING : fragment('orNothingListening'),
        python: message('diagnoses.code.pythonCors', { origin }),
        node: message('diagnoses.code.nodeCors', { origin }),
      },
    }
  }
  const python = status === 400 ? pythonEngineIoRefusal(facts, where) : undefined
  if (python) return python
  const body = engineIoError(facts.httpBody)
  if (status === 400 && body && ENGINE_IO_ERRORS.has(body.code)) {
    return { id: 'handshake-rejected', variant: `engine-io-${body.code}`, params: { message: clip(body.message) } }
  }
  return { id: 'handshake-rejected', ...statusFinding(facts, status, where) }
}

/** The words for an HTTP status in place of 101: which case, and the hint for a Socket.IO server met as raw WebSocket. */
function statusFinding(facts: FailureFacts, status: number, where: string): { variant: string, params: MessageParams } {
  const hint = facts.protocol === 'ws' ? fragment('socketIoHint') : NOTHING
  const params = { where, status, hint }
  if (status === 401 || status === 403) return { variant: facts.protocol === 'ws' ? 'http-auth-ws' : 'http-auth', params }
  if (status === 404) return { variant: 'http-404', params: { ...params, pathOption: facts.protocol === 'socketio' ? fragment('pathOption') : NOTHING } }
  if (status === 502 || status === 503 || status === 504) return { variant: 'http-gateway', params }
  if (status >= 500) return { variant: 'http-5xx', params }
  if (status >= 200 && status < 300) return { variant: 'http-2xx', params }
  if (status === 400) return { variant: 'http-400', params }
  return { variant: 'http-other', params }
}

/** Node reports the real cause in the error message; a browser never does. */
const nodeSocketError: Rule = (facts, { message: said, where, url }): Finding | undefined => {
  if (/subprotocol/.test(said)) return subprotocolMismatch(facts)
  if (/certificate|self[- ]signed|unable to verify|cert_|err_tls|ssl|tlsv1 alert/.test(said)) return tlsUntrusted(facts, url, true)
  if (said.includes('econnrefused')) return { id: 'nothing-listening', variant: 'refused', params: { where } }
  if (said.includes('enotfound') || said.includes('eai_again')) {
    return { id: 'nothing-listening', variant: 'dns', params: { host: url?.hostname ?? where } }
  }
  if (said.includes('ehostunreach') || said.includes('enetunreach') || said.includes('etimedout')) {
    return { id: 'nothing-listening', variant: 'unreachable', params: { where } }
  }
  return undefined
}

const negotiatedMismatch: Rule = (facts): Finding | undefined => {
  const requested = facts.requestedProtocols ?? []
  if (facts.negotiatedProtocol === undefined || requested.length === 0 || requested.includes(facts.negotiatedProtocol)) return undefined
  return subprotocolMismatch(facts)
}

/** "the subprotocol a" / "the subprotocols a, b": what was asked for, a clause. */
function askedFor(requested: readonly string[]): MessageRef {
  return fragment('askedFor', { count: requested.length, protocols: requested.join(', ') })
}

function subprotocolMismatch(facts: FailureFacts): Finding {
  const requested = facts.requestedProtocols ?? []
  if (requested.length === 0) return { id: 'subprotocol-mismatch', variant: 'unrequested' }
  return {
    id: 'subprotocol-mismatch',
    variant: 'default',
    params: { asked: askedFor(requested), answered: facts.negotiatedProtocol ? `"${facts.negotiatedProtocol}"` : fragment('none') },
  }
}

function tlsUntrusted(facts: FailureFacts, url: URL | undefined, certain: boolean): Finding {
  const https = url ? `https://${url.host}` : fragment('httpsForm')
  const host = url?.host ?? facts.url
  if (certain) {
    return {
      id: 'tls-untrusted',
      variant: 'certain',
      params: { host, https, message: facts.error?.message ? clip(facts.error.message) : fragment('certificateError') },
    }
  }
  return {
    id: 'tls-untrusted',
    variant: 'likely',
    guess: true,
    params: {
      host,
      https,
      fast: facts.msToFail !== undefined ? fragment('withinMs', { ms: Math.round(facts.msToFail) }) : NOTHING,
      note: protocolsNote(facts),
    },
  }
}

/** Browser-only evidence: a handshake that ended in 1006 with no reason (or no close at all). */
const opaqueHandshakeFailure: Rule = (facts, { url, where }): Finding | undefined => {
  if (!isOpaqueFailure(facts)) return undefined
  if (url?.protocol === 'wss:' || url?.protocol === 'https:') {
    if (facts.msToFail === undefined || facts.msToFail < FAST_FAILURE_MS) return tlsUntrusted(facts, url, false)
  }
  const askedForProtocols = (facts.requestedProtocols ?? []).length > 0
  const closed = facts.closeCode === 1006 ? fragment('close1006') : NOTHING
  const note = protocolsNote(facts)
  if (facts.msToFail === undefined || facts.msToFail < FAST_FAILURE_MS) {
    // Not "without an answer": on a local network a server that rejects the handshake (an HTTP 500, a wrong
    // Sec-WebSocket-Accept) fails just as fast, and the browser reports both as the same bare 1006. With
    // subprotocols requested, a refused subprotocol looks exactly like a refused connection (1006 at once).
    return {
      id: 'nothing-listening',
      variant: askedForProtocols ? 'opaque-subprotocol' : 'opaque',
      guess: true,
      params: { where, closed, note, after: facts.msToFail !== undefined ? fragment('afterMs', { ms: Math.round(facts.msToFail) }) : NOTHING },
    }
  }
  return {
    id: 'handshake-rejected',
    variant: askedForProtocols ? 'slow-subprotocol' : 'slow',
    guess: true,
    params: { where, closed, note, ms: Math.round(facts.msToFail) },
  }
}

/**
 * Connections that keep closing soon after they open (ConnectionHistory): the pattern is the finding, not the one
 * close. Each opened, so the address, TLS and the handshake work; what closes them comes after.
 */
const shortLived: Rule = (facts, { where }): Finding | undefined => {
  const h = facts.history
  if (!facts.everOpened || !h || h.shortLivedInARow < SHORT_LIVED_STREAK || h.shortLivedTypicalMs === undefined) return undefined
  const dropped = facts.wasClean === false && facts.disconnectReason !== 'io server disconnect'
  const how = facts.closeCode !== undefined
    ? fragment('withCode', {
        code: facts.closeCode,
        name: closeCodeInfo(facts.closeCode).name,
        reason: facts.closeReason ? fragment('andReason', { reason: clip(facts.closeReason) }) : NOTHING,
      })
    : facts.disconnectReason !== undefined ? fragment('quotedReason', { reason: facts.disconnectReason }) : NOTHING
  return {
    id: 'short-lived',
    variant: dropped ? 'drops' : 'closes',
    guess: h.shortLivedInARow < 3,
    params: { where, about: formatDuration(h.shortLivedTypicalMs), times: h.shortLivedInARow, how },
  }
}

/**
 * A raw WebSocket handshake failed, and the probes made afterwards (httpProbe.ts) asked the same host and port an
 * ordinary HTTP question and a Socket.IO polling handshake. What they found outranks timing: a Socket.IO server
 * answering, something answering HTTP, or nothing answering at all.
 */
const probedRawWebSocket: Rule = (facts, { url, where, status }): Finding | undefined => {
  if (facts.protocol !== 'ws' || facts.everOpened || !facts.probes || facts.probes.length === 0) return undefined
  const engine = facts.probes.find(p => p.kind === 'engine.io' && p.outcome === 'answers')
  const http = facts.probes.find(p => p.kind === 'http')
  const path = url?.pathname ?? '/'
  if (engine) return { id: 'socketio-server', variant: 'default', params: { where, eio: engine.eio ?? 4, path } }
  // Node names the HTTP status itself (handled by the status rule); a browser hides it.
  if (status !== undefined || !isOpaqueFailure(facts) || !http) return undefined
  if (http.outcome === 'answers') {
    const requested = facts.requestedProtocols ?? []
    const answered = fragment('httpAnswered', { url: http.url, where, path })
    if (requested.length > 0) {
      return { id: 'not-websocket', variant: 'subprotocol', guess: true, params: { answered, asked: askedFor(requested) } }
    }
    return { id: 'not-websocket', variant: 'default', guess: true, params: { answered, url: http.url } }
  }
  if (http.outcome === 'nothing' && url?.protocol === 'ws:') {
    return { id: 'nothing-listening', variant: 'probed', params: { where, url: http.url } }
  }
  return undefined
}

function isOpaqueFailure(facts: FailureFacts): boolean {
  return !facts.everOpened && (facts.closeCode === undefined || facts.closeCode === 1006)
}

/** Browsers fail a handshake with 1006 when the server picks no requested subprotocol: say so when it applies. */
function protocolsNote(facts: FailureFacts): MessageRef | typeof NOTHING {
  const requested = facts.requestedProtocols ?? []
  if (requested.length === 0) return NOTHING
  return fragment('protocolsNote', { asked: askedFor(requested) })
}

function unknown(facts: FailureFacts, ctx: Context): Finding {
  if (facts.everOpened && facts.closeCode !== undefined) {
    const info = closeCodeInfo(facts.closeCode)
    return {
      id: 'unknown',
      variant: facts.closeCode === 1006 ? 'closed-1006' : 'closed',
      params: {
        code: facts.closeCode,
        name: info.name,
        meaning: info.meaning,
        said: facts.closeReason ? fragment('reasonGiven', { reason: clip(facts.closeReason) }) : NOTHING,
      },
    }
  }
  const said = facts.error?.message || facts.socketIoErrorMessage || facts.disconnectReason
  return said
    ? { id: 'unknown', variant: 'failed-said', params: { where: ctx.where, said: asSentence(clip(said)) } }
    : { id: 'unknown', variant: 'failed', params: { where: ctx.where } }
}

const RULES: readonly Rule[] = [
  invalidUrl,
  mixedContent,
  securityError,
  connectTimeout,
  socketIoV2,
  pingTimeout,
  malformedPacket,
  authRejected,
  // Before the parser rule: a handshake, then a transport close without connect is also what a 400 on the next poll
  // looks like, and the 400 "Session ID unknown" is the stronger evidence.
  sessionUnknown,
  parserMismatch,
  serverGone,
  nodeSocketError,
  localNetwork,
  probedRawWebSocket,
  httpStatus,
  negotiatedMismatch,
  socketIoWebSocketFailure,
  opaqueHandshakeFailure,
  shortLived,
  socketIoConnectionLost,
]

function safeUrl(url: string | undefined): URL | undefined {
  if (!url) return undefined
  try {
    return new URL(url)
  }
  catch {
    return undefined
  }
}

function secureVariant(url: URL): string {
  const scheme = url.protocol === 'http:' ? 'https:' : 'wss:'
  return `${scheme}//${url.host}${url.pathname === '/' ? '' : url.pathname}`
}

/** 0 = loopback, 1 = private (RFC 1918, link-local, unique-local, .local), 2 = public. */
export function addressSpace(hostname: string): 0 | 1 | 2 {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isLoopbackHost(host)) return 0
  if (/^10\./.test(host) || /^192\.168\./.test(host) || /^169\.254\./.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host))
    return 1
  if (/^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host) || host.endsWith('.local') || host === '0.0.0.0')
    return 1
  return 2
}

function namespaceOf(url: string): string {
  return safeUrl(url)?.pathname || '/'
}

function engineIoError(body: string | undefined): { code: number, message: string } | undefined {
  if (!body) return undefined
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'number') {
      const { code, message } = parsed as { code: number, message?: unknown }
      return { code, message: typeof message === 'string' ? message : `code ${code}` }
    }
  }
  catch {
    // not JSON: fall back to the status alone
  }
  return undefined
}

/** Platform text (an exception's message) ends like a sentence, whatever it was. */
function asSentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`
}

/**
 * Server data, shortened for a sentence; rendered as text only. Written by the iterative writer within a budget:
 * data nested 10,000 levels (where JSON.stringify and String() overflow the stack) or 64 MiB of it costs 200 characters.
 */
function preview(value: unknown): string {
  const { text, complete } = jsonText(value, { maxChars: 200 })
  return complete && text.length <= 200 ? text : `${text.slice(0, 199)}…`
}

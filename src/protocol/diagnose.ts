/**
 * Turn what a browser lets us see about a failed connection into a sentence and a next step.
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
 * weakest (timing), and the first match wins. Explanations hedge where the evidence is only a guess.
 */
import { isLoopbackHost, isMixedContent } from './endpoint'
import { closeCodeInfo } from './closeCodes'
import { jsonText } from './codec/jsonText'
import { formatDuration, type HistoryFacts } from './connectionHistory'
import type { ProbeFinding } from './httpProbe'
import { implementationName, parseEngineError, pythonRefusal } from './engineProbe'
import type { ServerFingerprint } from './engineProbe'

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
  | 'unknown'

export interface Diagnosis {
  id: DiagnosisId
  /** A few words, for a heading. */
  title: string
  /** What most likely happened, in plain language. */
  explanation: string
  /** What the person can do about it. */
  nextStep: string
  /**
   * What this diagnosis rests on, each a short fact a person can check ("HTTP 400", "Body: Invalid transport"):
   * the rule's own evidence first, then every fact the driver observed. Shown as "Why we think so".
   */
  evidence: string[]
  /** The evidence fits more than one cause: the words hedge, and the UI labels the diagnosis a guess. */
  guess: boolean
}

/** What a rule returns: its own evidence and whether it guesses, both optional (see `finish`). */
type Finding = Omit<Diagnosis, 'evidence' | 'guess'> & { evidence?: string[], guess?: boolean }

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
}

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

/** Engine.IO server error codes, sent as a 400 body `{"code":n,"message":...}` (engine.io `Server.errors`). */
const ENGINE_IO_ERRORS: Readonly<Record<number, { explanation: string, nextStep: string }>> = {
  0: {
    explanation: 'The server does not offer the requested transport ("Transport unknown").',
    nextStep: 'Match the transports to the server\'s: a polling-only server refuses websocket, and the reverse.',
  },
  1: {
    explanation: 'The server does not know this session id ("Session ID unknown"). This is what happens behind a load balancer without sticky sessions: the polling requests of one session land on different server processes.',
    nextStep: 'Turn on sticky sessions in the load balancer, or use the websocket transport only.',
  },
  2: {
    explanation: 'The server refused the handshake request method ("Bad handshake method").',
    nextStep: 'Check that a proxy is not rewriting the request; the handshake is a GET.',
  },
  3: {
    explanation: 'The server found the request malformed ("Bad request").',
    nextStep: 'Check the path (Socket.IO\'s default is /socket.io/) and any query parameters.',
  },
  4: {
    explanation: 'The server refused the connection in its allowRequest check ("Forbidden"), usually because of the Origin, a cookie or a header.',
    nextStep: 'Check the server\'s allowRequest and CORS settings for this page\'s origin.',
  },
  5: {
    explanation: 'The server speaks a newer Engine.IO protocol than the client ("Unsupported protocol version"): a Socket.IO v3/v4 server answering a v2 client.',
    nextStep: 'Connect with the Socket.IO v3/v4 client, or set allowEIO3: true on the server.',
  },
}

type Rule = (facts: FailureFacts, ctx: Context) => Finding | undefined

interface Context {
  url?: URL
  /** host:port as typed, for sentences. */
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
  for (const line of evidenceOf(facts)) {
    if (!evidence.includes(line)) evidence.push(line)
  }
  return { ...found, evidence, guess: found.guess ?? false }
}

/** Longest server text quoted in evidence: a line to read, not a dump. */
const EVIDENCE_TEXT_MAX = 160

/**
 * Every fact the driver observed, as lines a person can check against the browser's DevTools or the server's logs.
 * Server text is quoted and clipped; the UI renders it as text.
 */
export function evidenceOf(facts: FailureFacts): string[] {
  const out: string[] = []
  if (facts.error) out.push(`${facts.error.name}${facts.error.message ? `: ${clip(facts.error.message)}` : ''}`)
  if (facts.httpStatus !== undefined) {
    out.push(facts.httpStatus === 0
      ? `HTTP status 0 on ${facts.transport ?? 'the'} request (the browser hid the response)`
      : `HTTP ${facts.httpStatus} on ${facts.transport ?? 'the'} request`)
  }
  if (facts.httpBody !== undefined && facts.httpBody !== '') out.push(`Response body: "${clip(facts.httpBody)}"`)
  if (facts.socketIoErrorMessage !== undefined) out.push(`connect_error "${clip(facts.socketIoErrorMessage)}"`)
  if (facts.socketIoErrorData !== undefined) out.push(`Error data ${preview(facts.socketIoErrorData)}`)
  if (facts.disconnectReason !== undefined) out.push(`Disconnect reason "${facts.disconnectReason}"`)
  if (facts.closeCode !== undefined) {
    out.push(`Close code ${facts.closeCode} (${closeCodeInfo(facts.closeCode).name})${facts.wasClean === false ? ', no clean close' : ''}`)
  }
  if (facts.closeReason) out.push(`Close reason "${clip(facts.closeReason)}"`)
  if (facts.everOpened === true) out.push('The connection had opened')
  else if (facts.everOpened === false) out.push('The connection never opened')
  if (facts.msToFail !== undefined) out.push(`Failed ${Math.round(facts.msToFail)} ms after the attempt began`)
  if ((facts.transportClosesWithoutConnect ?? 0) > 0) out.push(`${facts.transportClosesWithoutConnect} transport closes in a row without connect or connect_error`)
  if ((facts.requestedProtocols ?? []).length > 0) out.push(`Subprotocols asked for: ${facts.requestedProtocols!.join(', ')}`)
  if (facts.negotiatedProtocol !== undefined) out.push(`Subprotocol answered: ${facts.negotiatedProtocol || 'none'}`)
  if (facts.localNetworkPermission !== undefined) out.push(`Local network permission: ${facts.localNetworkPermission}`)
  const page = safeUrl(facts.pageUrl)
  if (page) out.push(`This page: ${page.protocol}//${page.host}`)
  if (facts.history) out.push(...historyEvidence(facts.history, facts.everOpened === true))
  for (const probe of facts.probes ?? []) out.push(probe.summary)
  const server = facts.server
  if (server?.engineIo !== undefined || server?.implementation !== undefined) {
    const name = server.implementation ? implementationName(server.implementation) : 'an Engine.IO server'
    out.push(`The last handshake came from ${name}${server.engineIo ? `, Engine.IO ${server.engineIo}` : ''}${server.upgrades ? `, upgrades: ${server.upgrades.join(', ') || 'none'}` : ''}`)
  }
  return out
}

/** The history as evidence lines; `thisOpened`: the failure is the close of a connection that had opened. */
function historyEvidence(h: HistoryFacts, thisOpened: boolean): string[] {
  const out: string[] = []
  if (thisOpened && h.lastUpMs !== undefined) out.push(`Was open ${formatDuration(h.lastUpMs)} before this close`)
  else if (h.wasOpenBefore && h.lastUpMs !== undefined && h.msSinceLastOpen !== undefined)
    out.push(`The session was open earlier in this run (for ${formatDuration(h.lastUpMs)}, until ${formatDuration(h.msSinceLastOpen)} before this failure)`)
  if (h.shortLivedInARow >= 2 && h.shortLivedLongestMs !== undefined)
    out.push(`Closed within ${formatDuration(h.shortLivedLongestMs)} of opening ${h.shortLivedInARow} times in a row`)
  // Left out when the short-lived line above already counts the same closes.
  if (h.sameFailureInARow >= 2 && h.sameFailureInARow > h.shortLivedInARow) out.push(`The same failure ${h.sameFailureInARow} times in a row`)
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

const invalidUrl: Rule = (facts, { url }) => {
  const schemes = facts.protocol === 'ws' ? ['ws:', 'wss:', 'http:', 'https:'] : ['http:', 'https:', 'ws:', 'wss:']
  const example = facts.protocol === 'ws' ? 'ws://localhost:8080' : 'http://localhost:3000'
  if (!url) {
    return {
      id: 'invalid-url',
      title: 'Invalid URL',
      explanation: `"${facts.url}" is not a valid URL.`,
      nextStep: `Write it as scheme://host:port/path, for example ${example}.`,
    }
  }
  if (!schemes.includes(url.protocol)) {
    return {
      id: 'invalid-url',
      title: 'Unknown scheme',
      explanation: `"${url.protocol}" is not a scheme a ${facts.protocol === 'ws' ? 'WebSocket' : 'Socket.IO'} connection can use.`,
      nextStep: facts.protocol === 'ws' ? 'Use ws:// or wss:// (wss:// for TLS).' : 'Use http:// or https:// (https:// for TLS).',
    }
  }
  const protocols = facts.requestedProtocols ?? []
  const bad = protocols.find(p => !TOKEN.test(p))
  if (bad !== undefined) {
    return {
      id: 'invalid-url',
      title: 'Invalid subprotocol',
      explanation: `The subprotocol "${bad}" ${/\s/.test(bad) ? 'contains a space' : bad === '' ? 'is empty' : 'contains a character'} that is not allowed: subprotocol names are single tokens without spaces, commas or quotes (RFC 6455 §4.1).`,
      nextStep: 'Give each subprotocol as a separate entry, for example chat.v1 and chat.v2, not "chat.v1, chat.v2".',
    }
  }
  const duplicate = protocols.find((p, i) => protocols.indexOf(p) !== i)
  if (duplicate !== undefined) {
    return {
      id: 'invalid-url',
      title: 'Duplicated subprotocol',
      explanation: `The subprotocol "${duplicate}" is listed twice, which the WebSocket API refuses.`,
      nextStep: 'List each subprotocol once.',
    }
  }
  const port = Number(url.port)
  if (url.port !== '' && BAD_PORTS.has(port)) {
    return {
      id: 'invalid-url',
      title: 'Port blocked by browsers',
      explanation: `Browsers refuse to connect to port ${port}, which belongs to another protocol (the Fetch standard's "bad ports" list).`,
      nextStep: 'Run the server on another port, for example 8080.',
    }
  }
  if (facts.error?.name === 'SyntaxError') {
    return {
      id: 'invalid-url',
      title: 'Invalid URL or subprotocol',
      explanation: `The browser refused the URL or the subprotocols: ${asSentence(facts.error.message)}`,
      nextStep: 'Check the URL (no fragment, a ws:// or wss:// scheme) and that each subprotocol is a single word.',
    }
  }
  return undefined
}

const mixedContent: Rule = (facts, { url }) => {
  const mixed = isMixedContent(facts.url, facts.pageUrl)
  if (!mixed && !(facts.error?.name === 'SecurityError' && !facts.pageUrl)) return undefined
  const secure = url ? secureVariant(url) : 'wss://'
  return {
    id: 'mixed-content',
    title: 'Blocked as mixed content',
    explanation: `This page is served over https, and browsers block unencrypted ${url?.protocol ?? 'ws:'}// connections from a secure page to any host other than localhost (mixed content). The request never left the browser.`,
    nextStep: `Use ${secure} if the server offers TLS, or open SocketLens over http (for example run it locally with npm start).`,
  }
}

const securityError: Rule = (facts) => {
  if (facts.error?.name !== 'SecurityError') return undefined
  return {
    id: 'unknown',
    title: 'Refused by the browser',
    guess: true,
    explanation: `The browser refused to open this connection (SecurityError: ${facts.error.message}). The page's Content-Security-Policy (connect-src) may forbid this host, or the port may be blocked.`,
    nextStep: 'Look at the browser console for the exact reason, and try the endpoint from a page you control (npm start).',
  }
}

const connectTimeout: Rule = (facts, { message }) => {
  const timedOut = facts.error?.name === 'TimeoutError' || facts.socketIoErrorMessage === 'timeout'
    || message.includes('opening handshake has timed out')
  if (!timedOut) return undefined
  const after = facts.msToFail !== undefined ? ` within ${Math.round(facts.msToFail)} ms` : ''
  return {
    id: 'connect-timeout',
    title: 'No answer to the handshake',
    explanation: `Nothing answered the ${facts.protocol === 'ws' ? 'WebSocket' : 'Socket.IO'} handshake${after}: the server accepted the TCP connection but never replied, a firewall drops the packets silently, or a proxy holds the request.`,
    nextStep: 'Check the host, port and path, and that the server handles this endpoint; for a very slow server, raise the connect timeout.',
  }
}

const socketIoV2: Rule = (facts, { message }) => {
  if (facts.protocol !== 'socketio') return undefined
  const v2Body = facts.httpBody !== undefined && /^\d+:0\{/.test(facts.httpBody)
  const v2Message = message.includes(V2_MESSAGE.toLowerCase())
  const unparsable = facts.socketIoErrorMessage === 'server error'
  if (!v2Body && !v2Message && !unparsable) return undefined
  return {
    id: 'socketio-v2-server',
    title: 'Socket.IO v2 server',
    guess: !v2Body && !v2Message,
    explanation: v2Body || v2Message
      ? 'The server speaks Socket.IO v2 (Engine.IO protocol 3), which a Socket.IO v3/v4 client cannot talk to.'
      : 'The server answered with packets the Socket.IO v4 client cannot parse ("server error"). That is what a Socket.IO v2 server (Engine.IO protocol 3) looks like to a v4 client.',
    nextStep: 'Switch to SocketLens\'s Socket.IO v2 client (the button beside this explanation, or Connection options → Client), or upgrade the server to Socket.IO v3 or later.',
  }
}

const pingTimeout: Rule = (facts) => {
  if (facts.disconnectReason !== 'ping timeout') return undefined
  return {
    id: 'ping-timeout',
    title: 'Heartbeat lost',
    explanation: 'No heartbeat arrived within pingInterval + pingTimeout, so the client gave the connection up: the server is stalled or overloaded, the network dropped without closing the connection, or a proxy is buffering the stream.',
    nextStep: 'Check that the server is responsive and that no proxy buffers WebSocket or polling responses; raise pingTimeout on the server for slow links.',
  }
}

/**
 * socket.io-client closes with "parse error" when a packet from the server does not decode (socket.io-parser
 * throws on a broken JSON payload or an unknown packet type): the connection worked, the server's data did not.
 */
const malformedPacket: Rule = (facts) => {
  if (facts.protocol !== 'socketio' || facts.disconnectReason !== 'parse error') return undefined
  return {
    id: 'parser-mismatch',
    title: 'Malformed packet from the server',
    explanation: 'The server sent a packet the Socket.IO client could not decode (broken JSON, an unknown packet type, or another parser\'s encoding), so the client closed the connection ("parse error").',
    nextStep: 'Look at the last wire frame in before the disconnect: fix the server code that writes it, or use the same parser on both ends (SocketLens uses the default parser).',
  }
}

const authRejected: Rule = (facts) => {
  const msg = facts.socketIoErrorMessage
  if (facts.protocol !== 'socketio' || msg === undefined || CLIENT_SIDE_SOCKETIO_ERRORS.has(msg)) return undefined
  if (msg === 'Invalid namespace') {
    return {
      id: 'handshake-rejected',
      title: 'Unknown namespace',
      explanation: `The server has no namespace at ${namespaceOf(facts.url)} and refused to connect to it ("Invalid namespace").`,
      nextStep: 'Check the namespace in the URL path; the main namespace is /.',
    }
  }
  const data = facts.socketIoErrorData === undefined ? '' : ` with data ${preview(facts.socketIoErrorData)}`
  return {
    id: 'auth-rejected',
    title: 'Rejected by server middleware',
    explanation: `The server reached the namespace ${namespaceOf(facts.url)} but its middleware refused the connection: "${msg}"${data}.`,
    nextStep: 'Check the auth payload (for example auth.token), query and cookies the middleware expects, then connect again.',
  }
}

/**
 * The server answered the Engine.IO handshake, then the transport closed before any connect or connect_error: the
 * server could not read the client's CONNECT packet. The two ends use different parsers (PROTOCOL.md): no
 * negotiation, nothing else to see. Diagnosed on the first such close; the driver stops retrying.
 */
const parserMismatch: Rule = (facts) => {
  const closes = facts.transportClosesWithoutConnect ?? 0
  if (facts.protocol !== 'socketio' || closes < PARSER_MISMATCH_CLOSES) return undefined
  const used = facts.parser ?? 'default'
  const name = (parser: string) => parser === 'msgpack' ? 'the msgpack parser (socket.io-msgpack-parser)' : 'the default parser (socket.io-parser, JSON)'
  const other = used === 'msgpack' ? 'default' : 'msgpack'
  return {
    id: 'parser-mismatch',
    title: 'Parser mismatch',
    guess: true,
    evidence: ['The server answered the Engine.IO handshake', `The CONNECT packet was written with ${name(used)}`],
    explanation: `The server answered the Engine.IO handshake, then the transport closed ${closes === 1 ? '' : `${closes} times `}before any connect or connect_error: the server could not read the client's CONNECT packet. That is what happens when the two ends use different Socket.IO parsers: this session used ${name(used)}, and the server most likely uses ${name(other)}. Retrying with the same parser would only repeat it.`,
    nextStep: `Retry with the ${other} parser (the button beside this explanation, or Connection options → Parser). If that fails the same way, the server closes connections before Socket.IO's connect: check its logs.`,
  }
}

/**
 * The session was open earlier in this run, at this same address and from this same page: the server accepted this
 * origin then, so a failure now is not CORS. It went away (stopped, restarted) or the network dropped; a probe of
 * the same port tells "refused" from "answers HTTP again".
 */
const serverGone: Rule = (facts, { status, where, message }) => {
  const h = facts.history
  if (facts.protocol !== 'socketio' || !h?.wasOpenBefore || h.msSinceLastOpen === undefined) return undefined
  if (facts.disconnectReason !== undefined) return undefined
  const refusedInNode = message.includes('econnrefused')
  const opaque = status === 0 || (status === undefined && (refusedInNode || facts.socketIoErrorMessage === 'websocket error' || facts.socketIoErrorMessage === 'xhr poll error'))
  if (!opaque) return undefined
  const http = facts.probes?.find(p => p.kind === 'http')
  const up = h.lastUpMs !== undefined ? ` (for ${formatDuration(h.lastUpMs)})` : ''
  const said = `The session was connected to ${where}${up} until ${formatDuration(h.msSinceLastOpen)} ago, from this same page, so the server accepted this page's origin then: this is not CORS.`
  const found = refusedInNode || http?.outcome === 'nothing'
    ? ' The connection is refused now: nothing listens on that port, so the server stopped.'
    : http?.outcome === 'answers'
      ? ' Something answers HTTP on that port, but not Socket.IO at this path yet: the server is starting again, or a proxy answers for it.'
      : http?.outcome === 'timeout'
        ? ' Nothing answers on that port within seconds: the host or the network between is down.'
        : ' The server stopped or restarted, or the network between dropped.'
  return {
    id: 'server-gone',
    title: refusedInNode || http?.outcome === 'nothing' ? 'The server went away (connection refused)' : 'The server went away',
    guess: !refusedInNode && http === undefined,
    explanation: `${said}${found}`,
    nextStep: 'Start the server again: SocketLens keeps reconnecting, with growing delays, and connects by itself when it is back.',
  }
}

/**
 * A Socket.IO WebSocket handshake failed with the browser's bare error. Nothing listening and a server refusing the
 * handshake (python-socketio refuses foreign origins on WebSocket too) look alike, so this does not guess "nothing
 * listening" — that would send someone who switched to WebSocket only because of CORS looking for a server that
 * runs. The no-cors probe the driver makes after the failure tells them apart.
 */
const socketIoWebSocketFailure: Rule = (facts, { where }) => {
  if (facts.protocol !== 'socketio' || facts.transport !== 'websocket' || facts.httpStatus !== undefined || !isOpaqueFailure(facts)) return undefined
  if (facts.error?.message && facts.error.message !== facts.socketIoErrorMessage) return undefined
  const http = facts.probes?.find(p => p.kind === 'http')
  const origin = safeUrl(facts.pageUrl)?.origin ?? 'this page\'s origin'
  const fix = `Allow ${origin} on the server — python-socketio: socketio.AsyncServer(cors_allowed_origins=['${origin}']); Node socket.io: new Server({ cors: { origin: ['${origin}'] } }) and its allowRequest — and check the path option (Socket.IO's default is /socket.io/).`
  if (http?.outcome === 'nothing') {
    return {
      id: 'nothing-listening',
      title: 'Nothing listening',
      explanation: `The WebSocket handshake to ${where} failed, and an ordinary HTTP request to the same port failed too: nothing is listening there (refused or unreachable).`,
      nextStep: 'Start the server, or check the host and the port.',
    }
  }
  if (http?.outcome === 'answers') {
    return {
      id: 'handshake-rejected',
      title: 'WebSocket handshake refused',
      guess: true,
      explanation: `Something answers HTTP at ${where}, so a server runs there, but it refused the Socket.IO WebSocket handshake; the browser hides why. Most often the server refuses this page's origin on WebSocket too (python-socketio does by default), or its Socket.IO path is not the one asked for.`,
      nextStep: fix,
    }
  }
  return {
    id: 'handshake-rejected',
    title: 'WebSocket handshake failed',
    guess: true,
    explanation: `The Socket.IO WebSocket handshake to ${where} failed${facts.msToFail !== undefined ? ` after ${Math.round(facts.msToFail)} ms` : ''}, and the browser hides why: nothing may be listening there, or the server refused the handshake (python-socketio refuses other origins on WebSocket by default; a wrong Socket.IO path fails the same way). SocketLens asks the same port an ordinary HTTP question to tell which.`,
    nextStep: `If a server runs at ${where}: ${fix}`,
  }
}

/**
 * An open Socket.IO connection ended without the server saying so (no DISCONNECT packet: 'transport close' or
 * 'transport error'), once, not as a pattern (shortLived). The server went away or the network dropped.
 */
const socketIoConnectionLost: Rule = (facts, { where }) => {
  // With a close code the close-code explanation says more (unknown); without history, there is nothing to add.
  if (facts.protocol !== 'socketio' || !facts.everOpened || facts.closeCode !== undefined || !facts.history) return undefined
  if (facts.disconnectReason !== 'transport close' && facts.disconnectReason !== 'transport error') return undefined
  const up = facts.history?.lastUpMs !== undefined ? ` after ${formatDuration(facts.history.lastUpMs)}` : ''
  return {
    id: 'server-gone',
    title: 'Connection lost',
    guess: true,
    explanation: `The connection to ${where} ended${up} without a disconnect from the server ("${facts.disconnectReason}"): the server stopped or restarted, or the network between dropped.`,
    nextStep: 'SocketLens reconnects with growing delays; if it does not come back, check that the server is running and its logs.',
  }
}

/** python-engineio's 400 answers (a JSON string, no code): the transport, this page's origin, the protocol version. */
function pythonEngineIoRefusal(facts: FailureFacts, where: string): Finding | undefined {
  const refused = pythonRefusal(facts.httpBody)
  if (!refused) return undefined
  const message = parseEngineError(facts.httpBody)?.message ?? ''
  const origin = safeUrl(facts.pageUrl)?.origin ?? 'this page\'s origin'
  const evidence = [`"${clip(message)}" is python-engineio's answer (python-socketio)`]
  if (refused === 'transport') {
    return {
      id: 'handshake-rejected',
      title: 'Handshake refused: Invalid transport',
      evidence,
      explanation: `The server at ${where} (python-engineio, from its "Invalid transport" answer) does not offer ${facts.transport === 'websocket' ? 'WebSocket' : 'HTTP long-polling'}: it was created with ${facts.transport === 'websocket' ? 'transports=[\'polling\']' : 'transports=[\'websocket\']'}.`,
      nextStep: facts.transport === 'websocket'
        ? 'Connect with long-polling (Connection options → Transports), or allow WebSocket on the server.'
        : 'Connect over WebSocket only (SocketLens does so by itself unless Connection options → Automatic choices turns it off), or allow polling on the server.',
    }
  }
  if (refused === 'origin') {
    return {
      id: 'cors-polling',
      title: 'Origin refused (CORS)',
      evidence,
      explanation: `The server at ${where} (python-engineio) refuses this page's origin: "${clip(message)}". python-socketio checks the Origin on long-polling and on WebSocket alike, so no transport gets around it.`,
      nextStep: `Add ${origin} to the server's cors_allowed_origins: socketio.AsyncServer(cors_allowed_origins=['${origin}']) (or '*' while developing).`,
    }
  }
  return {
    id: 'handshake-rejected',
    title: 'Handshake refused: unsupported protocol version',
    evidence,
    explanation: `The server at ${where} (python-engineio 4) speaks Engine.IO 4 only, and refused this client's protocol version: "${clip(message)}".`,
    nextStep: 'Connect with the Socket.IO v4 client (Connection options → Client), or run python-socketio 4.x for Socket.IO v2 clients.',
  }
}

/** Chromium's local-network access: a page may not reach a more private address space without permission. */
const localNetwork: Rule = (facts, { url, status }) => {
  // A real HTTP status means the request reached the server, so nothing blocked it.
  if (!url || facts.localNetworkPermission === 'granted' || facts.everOpened || (status !== undefined && status > 0))
    return undefined
  const page = safeUrl(facts.pageUrl)
  const inferred = page !== undefined && addressSpace(page.hostname) > addressSpace(url.hostname)
  const denied = facts.localNetworkPermission === 'denied' && addressSpace(url.hostname) < 2
  if (!denied && !(inferred && facts.localNetworkPermission !== undefined) && !(inferred && isOpaqueFailure(facts)))
    return undefined
  return {
    id: 'local-network',
    title: 'Local network access blocked',
    guess: !denied,
    explanation: `This page (${page?.host ?? 'a public page'}) tried to reach ${url.host}, an address on this computer or local network. Chromium blocks that until you allow "local network access" for the page${facts.localNetworkPermission === 'denied' ? ', and the permission is denied' : facts.localNetworkPermission === 'prompt' ? ', and the permission has not been given yet' : '; it can also mean nothing is listening there'}.`,
    nextStep: 'Allow local network access in the site settings (the icon left of the address bar), or open SocketLens from localhost (npm start).',
  }
}

const httpStatus: Rule = (facts, { status, where }) => {
  if (status === undefined) return undefined
  if (status === 0) {
    if (facts.protocol !== 'socketio') return undefined
    const http = facts.probes?.find(p => p.kind === 'http')
    if (http?.outcome === 'nothing') {
      return {
        id: 'nothing-listening',
        title: 'Nothing listening',
        explanation: `The polling request to ${where} failed with HTTP status 0, and an ordinary HTTP request to the same port failed too: nothing is listening there (refused or unreachable), so this is not CORS.`,
        nextStep: 'Start the server, or check the host and the port.',
      }
    }
    const origin = safeUrl(facts.pageUrl)?.origin ?? 'this page\'s origin'
    return {
      id: 'cors-polling',
      title: 'Polling blocked (CORS?)',
      guess: true,
      explanation: `The polling request to ${where} failed with HTTP status 0: the browser hid the response.${http?.outcome === 'answers' ? ' Something answers HTTP on that port, so a server runs there.' : ''} Most often the server does not allow this page's origin (CORS); it can also mean that nothing answers at this Socket.IO path (a 404 without CORS headers looks the same)${http ? '' : ', or that nothing is listening there'}.`,
      nextStep: `Allow ${origin} on the server — Node socket.io: new Server({ cors: { origin: ['${origin}'] } }); python-socketio: socketio.AsyncServer(cors_allowed_origins=['${origin}']), which also refuses other origins on WebSocket, so WebSocket only does not get around it there. Check too that the path option matches the server's (Socket.IO's default is /socket.io/).`,
    }
  }
  const python = status === 400 ? pythonEngineIoRefusal(facts, where) : undefined
  if (python) return python
  const body = engineIoError(facts.httpBody)
  if (status === 400 && body) {
    const known = ENGINE_IO_ERRORS[body.code]
    if (known) return { id: 'handshake-rejected', title: `Handshake refused: ${body.message}`, ...known }
  }
  return { id: 'handshake-rejected', title: `Handshake rejected (HTTP ${status})`, ...statusSentence(facts, status, where) }
}

function statusSentence(facts: FailureFacts, status: number, where: string): { explanation: string, nextStep: string } {
  const socketIoHint = facts.protocol === 'ws' ? ' If this is a Socket.IO server, connect with the Socket.IO type instead of raw WebSocket.' : ''
  const said = `The server at ${where} answered the handshake with HTTP ${status} instead of switching protocols.`
  if (status === 401 || status === 403) {
    return {
      explanation: `${said} It refused the connection: it wants credentials, or it does not accept this page's Origin.`,
      nextStep: facts.protocol === 'ws'
        ? 'A browser cannot set headers on a WebSocket handshake: pass a token in the query string, a subprotocol or a cookie, and check the server\'s allowed origins.'
        : 'Check the credentials (auth, query, cookies with withCredentials) and the server\'s allowed origins.',
    }
  }
  if (status === 404) {
    return {
      explanation: `${said} Nothing handles this path.`,
      nextStep: `Check the path in the URL${facts.protocol === 'socketio' ? ' and the path option (Socket.IO\'s default is /socket.io/)' : ''}.${socketIoHint}`,
    }
  }
  if (status >= 500) {
    return {
      explanation: `${said} ${status === 502 || status === 503 || status === 504 ? 'A proxy or gateway could not reach the server behind it, or the server is unavailable.' : 'The server failed while handling the request.'}`,
      nextStep: 'Check the server (and any proxy in front of it) is running and its logs.',
    }
  }
  if (status >= 200 && status < 300) {
    return {
      explanation: `${said} This URL serves ordinary HTTP, not a WebSocket endpoint.`,
      nextStep: `Check the path.${socketIoHint}`,
    }
  }
  return {
    explanation: `${said}${status === 400 ? ' It found the request malformed or unexpected at this path.' : ''}`,
    nextStep: `Check the path and the server's logs.${socketIoHint}`,
  }
}

/** Node reports the real cause in the error message; a browser never does. */
const nodeSocketError: Rule = (facts, { message, where, url }) => {
  if (/subprotocol/.test(message)) return subprotocolMismatch(facts)
  if (/certificate|self[- ]signed|unable to verify|cert_|err_tls|ssl|tlsv1 alert/.test(message)) return tlsUntrusted(facts, url, true)
  if (message.includes('econnrefused')) {
    return {
      id: 'nothing-listening',
      title: 'Nothing listening',
      explanation: `The connection to ${where} was refused: nothing is listening on that port.`,
      nextStep: 'Start the server, or check the host and the port.',
    }
  }
  if (message.includes('enotfound') || message.includes('eai_again')) {
    return {
      id: 'nothing-listening',
      title: 'Host not found',
      explanation: `The host name ${url?.hostname ?? where} does not resolve to an address (DNS).`,
      nextStep: 'Check the spelling of the host name.',
    }
  }
  if (message.includes('ehostunreach') || message.includes('enetunreach') || message.includes('etimedout')) {
    return {
      id: 'nothing-listening',
      title: 'Host unreachable',
      explanation: `${where} could not be reached from this machine.`,
      nextStep: 'Check the host, the network and any firewall in between.',
    }
  }
  return undefined
}

const negotiatedMismatch: Rule = (facts) => {
  const requested = facts.requestedProtocols ?? []
  if (facts.negotiatedProtocol === undefined || requested.length === 0 || requested.includes(facts.negotiatedProtocol)) return undefined
  return subprotocolMismatch(facts)
}

function subprotocolMismatch(facts: FailureFacts): Finding {
  const requested = facts.requestedProtocols ?? []
  const answered = facts.negotiatedProtocol ? `"${facts.negotiatedProtocol}"` : 'none'
  return {
    id: 'subprotocol-mismatch',
    title: 'Subprotocol mismatch',
    explanation: requested.length > 0
      ? `You asked for the subprotocol${requested.length > 1 ? 's' : ''} ${requested.join(', ')} and the server answered with ${answered}, so the handshake failed (RFC 6455 §4.1: the client must fail a handshake whose subprotocol it did not request).`
      : 'The server answered with a subprotocol the client did not ask for, so the handshake failed (RFC 6455 §4.1).',
    nextStep: 'Use a subprotocol the server supports, or connect without subprotocols.',
  }
}

function tlsUntrusted(facts: FailureFacts, url: URL | undefined, certain: boolean): Finding {
  const https = url ? `https://${url.host}` : 'the https:// form of the URL'
  const fast = facts.msToFail !== undefined ? ` within ${Math.round(facts.msToFail)} ms` : ''
  return {
    id: 'tls-untrusted',
    title: 'TLS certificate not trusted',
    guess: !certain,
    explanation: certain
      ? `The TLS handshake with ${url?.host ?? facts.url} failed: the server's certificate is not trusted (${facts.error?.message ?? 'certificate error'}).`
      : `The secure connection to ${url?.host ?? facts.url} failed${fast}, before any answer. Most often the server's TLS certificate is not trusted by this browser (self-signed, like the dev server's); it can also mean nothing is listening there.${protocolsNote(facts)}`,
    nextStep: `Open ${https} once in this browser tab and accept the certificate, then connect again. If that page does not load either, nothing is listening there.`,
  }
}

/** Browser-only evidence: a handshake that ended in 1006 with no reason (or no close at all). */
const opaqueHandshakeFailure: Rule = (facts, { url, where }) => {
  if (!isOpaqueFailure(facts)) return undefined
  if (url?.protocol === 'wss:' || url?.protocol === 'https:') {
    if (facts.msToFail === undefined || facts.msToFail < FAST_FAILURE_MS) return tlsUntrusted(facts, url, false)
  }
  const askedForProtocols = (facts.requestedProtocols ?? []).length > 0
  if (facts.msToFail === undefined || facts.msToFail < FAST_FAILURE_MS) {
    return {
      id: 'nothing-listening',
      guess: true,
      // With subprotocols requested, a refused subprotocol looks exactly like a refused connection (1006 at once).
      title: askedForProtocols ? 'Nothing listening, or subprotocol refused?' : 'Nothing listening?',
      // Not "without an answer": on a local network a server that rejects the handshake (an HTTP 500, a wrong
      // Sec-WebSocket-Accept) fails just as fast, and the browser reports both as the same bare 1006.
      explanation: `The connection to ${where} failed${facts.msToFail !== undefined ? ` after ${Math.round(facts.msToFail)} ms` : ''}${facts.closeCode === 1006 ? ' (close 1006)' : ''} before it opened. Most often nothing is listening on that port; a server that rejects the handshake (an HTTP error instead of 101, or a malformed upgrade answer) fails as fast nearby, and the browser hides which it was.${protocolsNote(facts)}`,
      nextStep: askedForProtocols
        ? 'Connect once without subprotocols: if that works, the server supports none of the ones you asked for. Otherwise check that the server runs on that host and port.'
        : 'Check that the server runs on that host and port and serves WebSocket at this path; the browser console (DevTools) shows the exact reason.',
    }
  }
  return {
    id: 'handshake-rejected',
    title: askedForProtocols ? 'Handshake rejected, or subprotocol refused?' : 'Handshake rejected?',
    guess: true,
    explanation: `The server at ${where} took ${Math.round(facts.msToFail)} ms and then failed the handshake${facts.closeCode === 1006 ? ' (close 1006)' : ''}: most likely it answered with an HTTP error (403, 400, 404) instead of switching protocols. The browser hides the status.${protocolsNote(facts)}`,
    nextStep: 'Check the path, the Origin the server accepts and any token it expects; the browser console (DevTools) shows the status.',
  }
}

/**
 * Connections that keep closing soon after they open (ConnectionHistory): the pattern is the finding, not the one
 * close. Each opened, so the address, TLS and the handshake work; what closes them comes after.
 */
const shortLived: Rule = (facts, { where }) => {
  const h = facts.history
  if (!facts.everOpened || !h || h.shortLivedInARow < SHORT_LIVED_STREAK || h.shortLivedTypicalMs === undefined) return undefined
  const about = formatDuration(h.shortLivedTypicalMs)
  const times = `${h.shortLivedInARow} times in a row`
  const dropped = facts.wasClean === false && facts.disconnectReason !== 'io server disconnect'
  const how = facts.closeCode !== undefined
    ? ` with ${facts.closeCode} (${closeCodeInfo(facts.closeCode).name})${facts.closeReason ? ` and the reason "${clip(facts.closeReason)}"` : ''}`
    : facts.disconnectReason !== undefined ? ` ("${facts.disconnectReason}")` : ''
  return {
    id: 'short-lived',
    title: dropped ? `Every connection drops after about ${about}` : `The server closes every connection after about ${about}`,
    guess: h.shortLivedInARow < 3,
    explanation: dropped
      ? `Every connection to ${where} drops after about ${about} (${times})${how}, without a close from the server. Each one opened, so the address and the handshake work; the server process may fail while handling the connection, or a proxy in between cuts it. Reconnect attempts wait longer each time and stop at the limit set in Connection options.`
      : `The server at ${where} closes every connection after about ${about} (${times})${how}. Each one opened, so the address and the handshake work; something after that makes the server close it: an idle or authentication timeout, a first message it expects (a token, a subscription), or an error in its handler. Reconnect attempts wait longer each time and stop at the limit set in Connection options.`,
    nextStep: 'Check the server\'s logs at the moment of the close. If it expects a first message (a token, a subscribe), send it right after open; if it closes idle connections, find the heartbeat it wants.',
  }
}

/**
 * A raw WebSocket handshake failed, and the probes made afterwards (httpProbe.ts) asked the same host and port an
 * ordinary HTTP question and a Socket.IO polling handshake. What they found outranks timing: a Socket.IO server
 * answering, something answering HTTP, or nothing answering at all.
 */
const probedRawWebSocket: Rule = (facts, { url, where, status }) => {
  if (facts.protocol !== 'ws' || facts.everOpened || !facts.probes || facts.probes.length === 0) return undefined
  const engine = facts.probes.find(p => p.kind === 'engine.io' && p.outcome === 'answers')
  const http = facts.probes.find(p => p.kind === 'http')
  const path = url?.pathname ?? '/'
  if (engine) {
    return {
      id: 'socketio-server',
      title: 'This is a Socket.IO server',
      explanation: `${where} answered a Socket.IO polling handshake (Engine.IO ${engine.eio ?? 4}) at /socket.io/, so a Socket.IO server runs there. Socket.IO speaks its own protocol on top of WebSocket, at its own path, so a raw WebSocket connection to ${path} is refused.`,
      nextStep: 'Switch the session to Socket.IO: it keeps the host, the port and this timeline.',
    }
  }
  // Node names the HTTP status itself (handled by the status rule); a browser hides it.
  if (status !== undefined || !isOpaqueFailure(facts) || !http) return undefined
  if (http.outcome === 'answers') {
    const requested = facts.requestedProtocols ?? []
    const answered = `An ordinary HTTP request to ${http.url} got an answer, so a server is listening at ${where}, but it did not accept the WebSocket handshake at ${path}.`
    if (requested.length > 0) {
      return {
        id: 'not-websocket',
        title: 'Subprotocol refused, or no WebSocket at this path?',
        guess: true,
        explanation: `${answered} You asked for the subprotocol${requested.length > 1 ? 's' : ''} ${requested.join(', ')}: a server that supports none of them fails the handshake exactly like one that has no WebSocket endpoint at this path, and the browser hides which it was.`,
        nextStep: 'Connect once without subprotocols: if that works, the server supports none of the ones you asked for. Otherwise check the WebSocket path in the server\'s code or documentation.',
      }
    }
    return {
      id: 'not-websocket',
      title: 'Something answers HTTP here, but not WebSocket at this path',
      guess: true,
      explanation: `${answered} Most often it serves only HTTP there, or its WebSocket endpoint is at another path; it may also refuse this page's Origin or want a token. The browser hides its answer to the handshake.`,
      nextStep: `Check the WebSocket path in the server's code or documentation (/ws, /socket, /api/...). Opening ${http.url} in a tab shows what answers there; the browser console (DevTools) shows the handshake's HTTP status.`,
    }
  }
  if (http.outcome === 'nothing' && url?.protocol === 'ws:') {
    return {
      id: 'nothing-listening',
      title: 'Nothing listening',
      explanation: `The connection to ${where} failed before it opened, and an ordinary HTTP request to ${http.url} failed too: nothing answers on that port, or this browser cannot reach it (a firewall, a blocked local-network request).`,
      nextStep: 'Start the server, or check the host and the port.',
    }
  }
  return undefined
}

function isOpaqueFailure(facts: FailureFacts): boolean {
  return !facts.everOpened && (facts.closeCode === undefined || facts.closeCode === 1006)
}

/** Browsers fail a handshake with 1006 when the server picks no requested subprotocol: say so when it applies. */
function protocolsNote(facts: FailureFacts): string {
  const requested = facts.requestedProtocols ?? []
  if (requested.length === 0) return ''
  return ` You also asked for the subprotocol${requested.length > 1 ? 's' : ''} ${requested.join(', ')}: a server that answers with none of them fails the handshake the same way.`
}

function unknown(facts: FailureFacts, ctx: Context): Finding {
  if (facts.everOpened && facts.closeCode !== undefined) {
    const info = closeCodeInfo(facts.closeCode)
    return {
      id: 'unknown',
      title: `Closed: ${info.name}`,
      explanation: `The connection was open and then closed with ${facts.closeCode}. ${info.meaning}${facts.closeReason ? ` The reason given was "${facts.closeReason}".` : ''}`,
      nextStep: facts.closeCode === 1006 ? 'Check the server is still running and the network between; the driver reconnects if reconnect is on.' : 'Check the server\'s logs for why it closed the connection.',
    }
  }
  const said = facts.error?.message || facts.socketIoErrorMessage || facts.disconnectReason
  return {
    id: 'unknown',
    title: 'Connection failed',
    explanation: `The connection to ${ctx.where} failed${said ? `: ${asSentence(said)}` : '.'}`,
    nextStep: 'Check the URL and that the server is running; the browser console (DevTools) may show more.',
  }
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

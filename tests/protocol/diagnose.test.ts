/**
 * diagnose() as a pure function: one row per case a person can meet, with the facts a driver would pass.
 * The failures Node can really produce (refused, 403, subprotocol, TLS, timeout, invalid URL) are also produced
 * for real in websocket-driver.test.ts; the browser-only ones (mixed content, local network, opaque 1006) are
 * described here by the facts a browser gives.
 */
import { describe, expect, it } from 'vitest'
import { diagnose, type DiagnosisId, type FailureFacts } from '../../src/protocol/diagnose'
import type { ProbeFinding } from '../../src/protocol/httpProbe'

const ALL_IDS: DiagnosisId[] = [
  'invalid-url', 'mixed-content', 'cors-polling', 'nothing-listening', 'tls-untrusted', 'local-network',
  'handshake-rejected', 'subprotocol-mismatch', 'socketio-v2-server', 'parser-mismatch', 'auth-rejected',
  'ping-timeout', 'connect-timeout', 'short-lived', 'socketio-server', 'not-websocket', 'unknown',
]

const ws = (url: string, more: Partial<FailureFacts> = {}): FailureFacts => ({ protocol: 'ws', url, everOpened: false, closeCode: 1006, ...more })
const sio = (url: string, more: Partial<FailureFacts> = {}): FailureFacts => ({ protocol: 'socketio', url, everOpened: false, ...more })
const LOCAL_PAGE = 'http://localhost:5173/'
const PUBLIC_PAGE = 'https://socketlens.example.com/'

const HTTP_ANSWERS: ProbeFinding = { kind: 'http', url: 'http://127.0.0.1:3000/', outcome: 'answers', ms: 283, status: 200, summary: 'An HTTP request to http://127.0.0.1:3000/ got an answer (HTTP 200) in 283 ms: something answers HTTP on this port' }
const HTTP_NOTHING: ProbeFinding = { kind: 'http', url: 'http://127.0.0.1:8081/', outcome: 'nothing', ms: 3, summary: 'An HTTP request to http://127.0.0.1:8081/ failed in 3 ms (ECONNREFUSED): nothing answered HTTP (refused or unreachable)' }
const ENGINE_ANSWERS: ProbeFinding = { kind: 'engine.io', url: 'http://127.0.0.1:3000/socket.io/?EIO=4&transport=polling&t=mx4betfp', outcome: 'answers', ms: 12, status: 200, eio: 4, summary: 'A Socket.IO polling handshake at /socket.io/ got an Engine.IO 4 handshake: a Socket.IO server answers on this port' }
const ENGINE_NOTHING: ProbeFinding = { kind: 'engine.io', url: 'http://127.0.0.1:8090/socket.io/?EIO=4&transport=polling&t=mx4betfq', outcome: 'nothing', ms: 5, status: 200, summary: 'A Socket.IO polling handshake at /socket.io/ got no Engine.IO answer (HTTP 200): no Socket.IO server at the default path' }

interface Case {
  name: string
  facts: FailureFacts
  id: DiagnosisId
  title?: string
  /** Phrases the explanation must hold. */
  says?: (string | RegExp)[]
  /** Phrases the next step must hold. */
  next?: (string | RegExp)[]
}

const CASES: Case[] = [
  // invalid-url
  { name: 'text that is no URL', facts: ws('localhost 8080', { error: { name: 'SyntaxError', message: 'Invalid URL' } }), id: 'invalid-url', title: 'Invalid URL', says: ['"localhost 8080" is not a valid URL.'] },
  { name: 'an unknown scheme', facts: ws('ftp://localhost:8080/'), id: 'invalid-url', title: 'Unknown scheme', says: ['"ftp:"'], next: ['ws:// or wss://'] },
  { name: 'an unknown scheme for Socket.IO', facts: sio('gopher://localhost:3000/'), id: 'invalid-url', title: 'Unknown scheme', next: ['http:// or https://'] },
  { name: 'a subprotocol with a space', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat v1'] }), id: 'invalid-url', title: 'Invalid subprotocol', says: ['"chat v1" contains a space', 'RFC 6455 §4.1'] },
  { name: 'comma-separated subprotocols', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat.v1,chat.v2'] }), id: 'invalid-url', title: 'Invalid subprotocol', next: ['separate entry'] },
  { name: 'a duplicated subprotocol', facts: ws('ws://localhost:8080/', { requestedProtocols: ['a', 'a'] }), id: 'invalid-url', title: 'Duplicated subprotocol' },
  { name: 'a port browsers block', facts: ws('ws://localhost:6000/'), id: 'invalid-url', title: 'Port blocked by browsers', says: ['port 6000'] },
  { name: 'a SyntaxError on a URL that parses', facts: ws('ws://localhost:8080/#x', { error: { name: 'SyntaxError', message: 'The URL contains a fragment identifier' } }), id: 'invalid-url', title: 'Invalid URL or subprotocol', says: ['fragment identifier'] },

  // mixed-content
  { name: 'https page to ws:// on a public host', facts: ws('ws://echo.example.org/feed', { pageUrl: PUBLIC_PAGE, error: { name: 'SecurityError', message: 'An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.' } }), id: 'mixed-content', says: ['served over https', 'ws://'], next: ['wss://echo.example.org/feed'] },
  { name: 'a SecurityError when the page is not known', facts: ws('ws://echo.example.org/', { error: { name: 'SecurityError', message: 'insecure' } }), id: 'mixed-content' },
  { name: 'https page to http:// polling on a public host', facts: sio('http://api.example.org:3000/', { pageUrl: PUBLIC_PAGE, httpStatus: 0, transport: 'polling' }), id: 'mixed-content', next: ['https://api.example.org:3000'] },
  { name: 'another SecurityError (CSP, blocked port)', facts: ws('wss://echo.example.org/', { pageUrl: PUBLIC_PAGE, error: { name: 'SecurityError', message: 'Refused to connect' } }), id: 'unknown', title: 'Refused by the browser', says: ['Content-Security-Policy'] },

  // cors-polling
  { name: 'polling status 0 from a local page', facts: sio('http://localhost:3000/', { pageUrl: LOCAL_PAGE, httpStatus: 0, transport: 'polling', socketIoErrorMessage: 'xhr poll error' }), id: 'cors-polling', says: ['status 0', 'CORS', 'Socket.IO path'], next: ['cors: { origin', 'cors_allowed_origins', 'path option'] },

  // nothing-listening
  { name: 'a fast opaque 1006 on ws:// (browser)', facts: ws('ws://localhost:8081/', { pageUrl: LOCAL_PAGE, msToFail: 4 }), id: 'nothing-listening', title: 'Nothing listening?', says: ['localhost:8081', 'after 4 ms', 'rejects the handshake'], next: ['at this path'] },
  { name: 'ECONNREFUSED (Node)', facts: ws('ws://127.0.0.1:1234/', { error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' }, msToFail: 2 }), id: 'nothing-listening', title: 'Nothing listening', says: ['refused'] },
  { name: 'ECONNREFUSED on Socket.IO polling (Node)', facts: sio('http://127.0.0.1:1234/', { httpStatus: 0, socketIoErrorMessage: 'xhr poll error', error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' } }), id: 'nothing-listening' },
  { name: 'a host name that does not resolve (Node)', facts: ws('ws://no-such-host.invalid/', { error: { name: 'Error', message: 'getaddrinfo ENOTFOUND no-such-host.invalid' } }), id: 'nothing-listening', title: 'Host not found', says: ['no-such-host.invalid'] },
  { name: 'a fast 1006 with subprotocols requested', facts: ws('ws://localhost:8081/', { msToFail: 3, requestedProtocols: ['chat.v1'] }), id: 'nothing-listening', title: 'Nothing listening, or subprotocol refused?', says: ['chat.v1', 'answers with none of them'], next: ['without subprotocols'] },

  // tls-untrusted
  { name: 'a fast opaque 1006 on wss:// (browser)', facts: ws('wss://localhost:8443/echo', { pageUrl: LOCAL_PAGE, msToFail: 9 }), id: 'tls-untrusted', says: ['within 9 ms', 'certificate'], next: ['Open https://localhost:8443 once'] },
  { name: 'a self-signed certificate (Node)', facts: ws('wss://127.0.0.1:8443/', { error: { name: 'Error', message: 'self-signed certificate' } }), id: 'tls-untrusted', says: ['(self-signed certificate)'], next: ['https://127.0.0.1:8443'] },
  { name: 'an expired certificate (Node)', facts: ws('wss://example.org/', { error: { name: 'Error', message: 'certificate has expired' } }), id: 'tls-untrusted' },

  // local-network
  { name: 'a public page to localhost, permission unknown', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, msToFail: 3 }), id: 'local-network', says: ['socketlens.example.com', 'localhost:8080', 'nothing is listening'], next: ['local network access'] },
  { name: 'a public page to localhost, permission denied', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, localNetworkPermission: 'denied' }), id: 'local-network', says: ['the permission is denied'] },
  { name: 'a public page to a LAN address, permission prompt', facts: sio('http://192.168.1.20:3000/', { pageUrl: 'http://inspector.example.com/', httpStatus: 0, localNetworkPermission: 'prompt' }), id: 'local-network', says: ['has not been given yet'] },
  { name: 'a public page to localhost with the permission granted', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, localNetworkPermission: 'granted', msToFail: 3 }), id: 'nothing-listening' },
  { name: 'a page on localhost is exempt', facts: ws('ws://127.0.0.1:8080/', { pageUrl: LOCAL_PAGE, msToFail: 3 }), id: 'nothing-listening' },

  // handshake-rejected
  { name: 'HTTP 403 in the Node error message', facts: ws('ws://localhost:8080/reject', { error: { name: 'Error', message: 'Unexpected server response: 403' } }), id: 'handshake-rejected', title: 'Handshake rejected (HTTP 403)', says: ['HTTP 403', 'Origin'], next: ['cannot set headers'] },
  { name: 'HTTP 404 for raw ws, hinting at Socket.IO', facts: ws('ws://localhost:3000/', { error: { name: 'Error', message: 'Unexpected server response: 404' } }), id: 'handshake-rejected', title: 'Handshake rejected (HTTP 404)', next: ['Socket.IO type'] },
  { name: 'HTTP 200: not a WebSocket endpoint', facts: ws('ws://example.org/', { error: { name: 'Error', message: 'Unexpected server response: 200' } }), id: 'handshake-rejected', says: ['ordinary HTTP'] },
  { name: 'HTTP 502 from a proxy', facts: sio('https://example.org/', { httpStatus: 502, transport: 'polling' }), id: 'handshake-rejected', says: ['proxy'] },
  { name: 'a slow opaque 1006 on ws:// (browser)', facts: ws('ws://example.org/ws', { pageUrl: 'http://other.example.net/', msToFail: 2400 }), id: 'handshake-rejected', title: 'Handshake rejected?', says: ['2400 ms'] },
  { name: 'Engine.IO "Session ID unknown" (no sticky sessions)', facts: sio('http://localhost:3000/', { httpStatus: 400, httpBody: '{"code":1,"message":"Session ID unknown"}', transport: 'polling' }), id: 'handshake-rejected', title: 'Handshake refused: Session ID unknown', says: ['sticky sessions'] },
  { name: 'Engine.IO "Unsupported protocol version"', facts: sio('http://localhost:3000/', { httpStatus: 400, httpBody: '{"code":5,"message":"Unsupported protocol version"}' }), id: 'handshake-rejected', next: ['allowEIO3'] },
  { name: 'Socket.IO "Invalid namespace"', facts: sio('http://localhost:3000/nope', { socketIoErrorMessage: 'Invalid namespace' }), id: 'handshake-rejected', title: 'Unknown namespace', says: ['/nope'] },

  // subprotocol-mismatch
  { name: 'no subprotocol in the answer (Node)', facts: ws('ws://localhost:8080/subprotocol', { requestedProtocols: ['chat.v9'], error: { name: 'Error', message: 'Server sent no subprotocol' } }), id: 'subprotocol-mismatch', says: ['chat.v9', 'answered with none'] },
  { name: 'a subprotocol that was not offered', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat.v1'], negotiatedProtocol: 'chat.v3' }), id: 'subprotocol-mismatch', says: ['"chat.v3"'] },

  // socketio-v2-server
  { name: 'an Engine.IO 3 polling body', facts: sio('http://localhost:3000/', { httpStatus: 200, httpBody: '96:0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40', socketIoErrorMessage: 'server error' }), id: 'socketio-v2-server', says: ['Socket.IO v2'], next: ['v2 client'] },
  { name: 'the v2 message on websocket-only', facts: sio('http://localhost:3000/', { transport: 'websocket', socketIoErrorMessage: 'It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)' }), id: 'socketio-v2-server' },
  { name: '"server error" with no body', facts: sio('http://localhost:3000/', { socketIoErrorMessage: 'server error' }), id: 'socketio-v2-server', says: ['cannot parse'] },

  // parser-mismatch
  { name: 'transport closes without connect_error', facts: sio('http://localhost:3000/', { everOpened: true, transportClosesWithoutConnect: 3, disconnectReason: 'transport close' }), id: 'parser-mismatch', says: ['3 times', 'msgpack'] },

  // auth-rejected
  { name: 'middleware refusal with data', facts: sio('http://localhost:3000/admin', { socketIoErrorMessage: 'not authorized', socketIoErrorData: { reason: 'bad token' } }), id: 'auth-rejected', says: ['/admin', '"not authorized"', '{"reason":"bad token"}'], next: ['auth.token'] },

  // A packet socket.io-parser cannot decode, after a connection that worked: used to read "Connection failed … check the URL".
  { name: 'a malformed packet after connect', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'parse error' }), id: 'parser-mismatch', title: 'Malformed packet from the server', says: ['"parse error"'], next: ['last wire frame in'] },

  // ping-timeout
  { name: 'a ping timeout', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'ping timeout' }), id: 'ping-timeout', says: ['pingInterval + pingTimeout'] },

  // connect-timeout
  { name: 'the raw driver\'s connect timeout', facts: ws('ws://localhost:8080/silent', { closeCode: undefined, error: { name: 'TimeoutError', message: 'No answer to the handshake within 10000 ms' }, msToFail: 10003 }), id: 'connect-timeout', says: ['WebSocket handshake within 10003 ms'] },
  { name: 'Socket.IO\'s connect timeout', facts: sio('http://localhost:3000/', { socketIoErrorMessage: 'timeout' }), id: 'connect-timeout', says: ['Socket.IO handshake'] },

  // short-lived: the history as recorded from the dev server's /close?code=1011&delay=1500 (websocket-reconnect.test.ts)
  { name: 'a server that closes every connection after 1.5 s', facts: ws('ws://127.0.0.1:8080/close', { everOpened: true, closeCode: 1011, closeReason: 'closed by /close', wasClean: true, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 1502, msSinceLastOpen: 0, shortLivedInARow: 5, shortLivedTypicalMs: 1504, shortLivedLongestMs: 1507, sameFailureInARow: 5, failureKind: 'close:1011', attemptsSinceStable: 5 } }), id: 'short-lived', title: 'The server closes every connection after about 1.5 s', says: ['(5 times in a row) with 1011 (Internal server error)', 'Each one opened'], next: ['logs'] },
  { name: 'connections that drop (1006) soon after opening', facts: ws('ws://127.0.0.1:8080/drop', { everOpened: true, closeCode: 1006, wasClean: false, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 503, shortLivedInARow: 3, shortLivedTypicalMs: 503, shortLivedLongestMs: 510, sameFailureInARow: 3, attemptsSinceStable: 3 } }), id: 'short-lived', title: 'Every connection drops after about 503 ms', says: ['without a close from the server'] },
  { name: 'one short connection is no pattern', facts: ws('ws://127.0.0.1:8080/close', { everOpened: true, closeCode: 1011, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 1500, shortLivedInARow: 1, shortLivedTypicalMs: 1500, shortLivedLongestMs: 1500, sameFailureInARow: 1, attemptsSinceStable: 1 } }), id: 'unknown', title: 'Closed: Internal server error' },

  // Probes after a raw WebSocket's opaque 1006 (websocket-probe.test.ts), findings as recorded from the dev server's
  // Socket.IO port, an HTTP-only server and a closed port.
  { name: 'ws:// at a Socket.IO server, probed', facts: ws('ws://127.0.0.1:3000/', { msToFail: 1003, probes: [HTTP_ANSWERS, ENGINE_ANSWERS] }), id: 'socketio-server', title: 'This is a Socket.IO server', says: ['Engine.IO 4', 'at /socket.io/'], next: ['Switch the session to Socket.IO'] },
  { name: 'ws:// at a port that speaks only HTTP, probed', facts: ws('ws://127.0.0.1:8090/feed', { msToFail: 4, probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8090/feed' }, ENGINE_NOTHING] }), id: 'not-websocket', title: 'Something answers HTTP here, but not WebSocket at this path', says: ['did not accept the WebSocket handshake at /feed'], next: ['path'] },
  { name: 'ws:// with a subprotocol the server refuses, probed', facts: ws('ws://127.0.0.1:8080/subprotocol', { msToFail: 3, requestedProtocols: ['chat.v9'], probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8080/subprotocol' }, ENGINE_NOTHING] }), id: 'not-websocket', title: 'Subprotocol refused, or no WebSocket at this path?', says: ['chat.v9'], next: ['without subprotocols'] },
  { name: 'ws:// at a closed port, probed', facts: ws('ws://127.0.0.1:8081/', { msToFail: 2, probes: [HTTP_NOTHING] }), id: 'nothing-listening', title: 'Nothing listening', says: ['failed too'] },
  { name: 'wss:// where HTTPS fails too stays a TLS guess', facts: ws('wss://127.0.0.1:8443/', { msToFail: 9, probes: [{ ...HTTP_NOTHING, url: 'https://127.0.0.1:8443/' }] }), id: 'tls-untrusted' },
  { name: 'a probe does not overrule a status Node named', facts: ws('ws://127.0.0.1:8090/', { error: { name: 'Error', message: 'Unexpected server response: 200' }, probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8090/' }, ENGINE_NOTHING] }), id: 'handshake-rejected', title: 'Handshake rejected (HTTP 200)' },

  // unknown
  { name: 'a server close after open', facts: ws('ws://localhost:8080/', { everOpened: true, closeCode: 1011, closeReason: 'boom' }), id: 'unknown', title: 'Closed: Internal server error', says: ['boom'] },
  { name: 'a Socket.IO error with nothing to go on', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'transport error' }), id: 'unknown', title: 'Connection failed', says: ['transport error'] },
]

describe('diagnose', () => {
  it.each(CASES)('$name → $id', ({ facts, id, title, says = [], next = [] }) => {
    const diagnosis = diagnose(facts)
    expect(diagnosis.id).toBe(id)
    if (title) expect(diagnosis.title).toBe(title)
    for (const phrase of says) expect(diagnosis.explanation).toMatch(phrase)
    for (const phrase of next) expect(diagnosis.nextStep).toMatch(phrase)
    // Sentences a person can read: non-empty, ending like a sentence.
    expect(diagnosis.title).not.toBe('')
    expect(diagnosis.explanation).toMatch(/[.)]$/)
    expect(diagnosis.nextStep).toMatch(/[.)]$/)
  })

  it('names its evidence: the facts it used, server text clipped, and says when it guesses', () => {
    const cors = diagnose(sio('http://localhost:3000/', { httpStatus: 0, transport: 'polling', everOpened: false }))
    expect(cors.guess).toBe(true)
    expect(cors.evidence).toContain('HTTP status 0 on polling request (the browser hid the response)')
    expect(cors.evidence).toContain('The connection never opened')
    const refused = diagnose(ws('ws://127.0.0.1:1/', { error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1' } }))
    expect(refused.guess).toBe(false)
    expect(refused.evidence[0]).toBe('Error: connect ECONNREFUSED 127.0.0.1:1')
    const body = diagnose(sio('http://localhost:3000/', { httpStatus: 400, httpBody: 'x'.repeat(5000), transport: 'polling' }))
    const quoted = body.evidence.find(line => line.startsWith('Response body'))!
    expect(quoted.length).toBeLessThan(200)
  })

  it('has a case for every diagnosis id', () => {
    expect(new Set(CASES.map(c => c.id))).toEqual(new Set(ALL_IDS))
  })

  it('never throws, whatever the facts', () => {
    const odd: FailureFacts[] = [
      { protocol: 'ws', url: '' },
      { protocol: 'socketio', url: '::::', httpStatus: 400, httpBody: '{not json' },
      { protocol: 'socketio', url: 'http://x/', socketIoErrorMessage: 'nope', socketIoErrorData: (() => { const a: Record<string, unknown> = {}; a.self = a; return a })() },
      { protocol: 'socketio', url: 'http://x/', socketIoErrorMessage: 'big', socketIoErrorData: 'x'.repeat(10_000) },
    ]
    for (const facts of odd) expect(() => diagnose(facts)).not.toThrow()
    expect(diagnose(odd[3]!).explanation.length).toBeLessThan(400)
  })
})

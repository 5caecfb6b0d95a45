/**
 * diagnose() as a pure function: one row per case a person can meet, with the facts a driver would pass.
 * The failures Node can really produce (refused, 403, subprotocol, TLS, timeout, invalid URL) are also produced
 * for real in websocket-driver.test.ts; the browser-only ones (mixed content, local network, opaque 1006) are
 * described here by the facts a browser gives.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import en from '../../src/i18n/messages/en'
import ko from '../../src/i18n/messages/ko'
import { inEnglish, loadLocale, setLocale, translate } from '../../src/i18n'
import { diagnose, diagnosisText, type Diagnosis, type DiagnosisId, type FailureFacts } from '../../src/protocol/diagnose'
import type { ProbeFinding } from '../../src/protocol/httpProbe'
import { message, type MessageRef } from '../../src/protocol/message'
import { ms, seconds } from '../support/durations'

// Korean is a chunk of its own in the app (src/i18n): loaded first, setLocale('ko') switches at once.
beforeAll(() => loadLocale('ko'))

const ALL_IDS: DiagnosisId[] = [
  'invalid-url', 'mixed-content', 'cors-polling', 'nothing-listening', 'tls-untrusted', 'local-network',
  'handshake-rejected', 'subprotocol-mismatch', 'socketio-v2-server', 'parser-mismatch', 'auth-rejected',
  'ping-timeout', 'connect-timeout', 'short-lived', 'socketio-server', 'not-websocket', 'unknown',
]

const ws = (url: string, more: Partial<FailureFacts> = {}): FailureFacts => ({ protocol: 'ws', url, everOpened: false, closeCode: 1006, ...more })
const sio = (url: string, more: Partial<FailureFacts> = {}): FailureFacts => ({ protocol: 'socketio', url, everOpened: false, ...more })
const LOCAL_PAGE = 'http://localhost:5173/'
const PUBLIC_PAGE = 'https://socketlens.example.com/'

const HTTP_ANSWERS: ProbeFinding = { kind: 'http', url: 'http://127.0.0.1:3000/', outcome: 'answers', ms: 283, status: 200, summary: message('protocol.probe.httpAnswersStatus', { url: 'http://127.0.0.1:3000/', status: 200, ms: 283 }) }
const HTTP_NOTHING: ProbeFinding = { kind: 'http', url: 'http://127.0.0.1:8081/', outcome: 'nothing', ms: 3, summary: message('protocol.probe.httpNothing', { url: 'http://127.0.0.1:8081/', ms: 3, why: message('protocol.probe.cause', { cause: 'ECONNREFUSED' }) }) }
const ENGINE_ANSWERS: ProbeFinding = { kind: 'engine.io', url: 'http://127.0.0.1:3000/socket.io/?EIO=4&transport=polling&t=mx4betfp', outcome: 'answers', ms: 12, status: 200, eio: 4, summary: message('protocol.probe.engineHandshake', { path: '/socket.io/', eio: 4 }) }
const ENGINE_NOTHING: ProbeFinding = { kind: 'engine.io', url: 'http://127.0.0.1:8090/socket.io/?EIO=4&transport=polling&t=mx4betfq', outcome: 'nothing', ms: 5, status: 200, summary: message('protocol.probe.engineNone', { path: '/socket.io/', status: message('protocol.probe.status', { status: 200 }) }) }

interface Case {
  name: string
  facts: FailureFacts
  id: DiagnosisId
  /** Which of the id's words (`diagnoses.<id>.<variant>.*`). */
  variant: string
  /** Values the words are filled with (a partial match: nested messages by key and values). */
  params?: Record<string, unknown>
}

const CASES: Case[] = [
  // invalid-url
  { name: 'text that is no URL', facts: ws('localhost 8080', { error: { name: 'SyntaxError', message: 'Invalid URL' } }), id: 'invalid-url', variant: 'not-a-url', params: { url: 'localhost 8080', example: 'ws://localhost:8080' } },
  { name: 'an unknown scheme', facts: ws('ftp://localhost:8080/'), id: 'invalid-url', variant: 'scheme', params: { scheme: 'ftp:', plain: 'ws://', secure: 'wss://' } },
  { name: 'an unknown scheme for Socket.IO', facts: sio('gopher://localhost:3000/'), id: 'invalid-url', variant: 'scheme', params: { scheme: 'gopher:', plain: 'http://', secure: 'https://' } },
  { name: 'a subprotocol with a space', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat v1'] }), id: 'invalid-url', variant: 'subprotocol', params: { protocol: 'chat v1', problem: { key: 'diagnoses.fragment.subprotocolSpace' } } },
  { name: 'comma-separated subprotocols', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat.v1,chat.v2'] }), id: 'invalid-url', variant: 'subprotocol', params: { protocol: 'chat.v1,chat.v2', problem: { key: 'diagnoses.fragment.subprotocolCharacter' } } },
  { name: 'a duplicated subprotocol', facts: ws('ws://localhost:8080/', { requestedProtocols: ['a', 'a'] }), id: 'invalid-url', variant: 'duplicate-subprotocol', params: { protocol: 'a' } },
  { name: 'a port browsers block', facts: ws('ws://localhost:6000/'), id: 'invalid-url', variant: 'bad-port', params: { port: 6000 } },
  { name: 'a SyntaxError on a URL that parses', facts: ws('ws://localhost:8080/#x', { error: { name: 'SyntaxError', message: 'The URL contains a fragment identifier' } }), id: 'invalid-url', variant: 'syntax', params: { message: 'The URL contains a fragment identifier.' } },

  // mixed-content
  { name: 'https page to ws:// on a public host', facts: ws('ws://echo.example.org/feed', { pageUrl: PUBLIC_PAGE, error: { name: 'SecurityError', message: 'An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.' } }), id: 'mixed-content', variant: 'default', params: { scheme: 'ws:', secure: 'wss://echo.example.org/feed' } },
  { name: 'a SecurityError when the page is not known', facts: ws('ws://echo.example.org/', { error: { name: 'SecurityError', message: 'insecure' } }), id: 'mixed-content', variant: 'default' },
  { name: 'https page to http:// polling on a public host', facts: sio('http://api.example.org:3000/', { pageUrl: PUBLIC_PAGE, httpStatus: 0, transport: 'polling' }), id: 'mixed-content', variant: 'default', params: { scheme: 'http:', secure: 'https://api.example.org:3000' } },
  { name: 'another SecurityError (CSP, blocked port)', facts: ws('wss://echo.example.org/', { pageUrl: PUBLIC_PAGE, error: { name: 'SecurityError', message: 'Refused to connect' } }), id: 'unknown', variant: 'security-error', params: { message: 'Refused to connect' } },

  // cors-polling
  { name: 'polling status 0 from a local page', facts: sio('http://localhost:3000/', { pageUrl: LOCAL_PAGE, httpStatus: 0, transport: 'polling', socketIoErrorMessage: 'xhr poll error' }), id: 'cors-polling', variant: 'default', params: { where: 'localhost:3000', origin: 'http://localhost:5173', answers: '', orNothing: { key: 'diagnoses.fragment.orNothingListening' }, node: { key: 'diagnoses.code.nodeCors' }, python: { key: 'diagnoses.code.pythonCors' } } },

  // nothing-listening
  { name: 'a fast opaque 1006 on ws:// (browser)', facts: ws('ws://localhost:8081/', { pageUrl: LOCAL_PAGE, msToFail: 4 }), id: 'nothing-listening', variant: 'opaque', params: { where: 'localhost:8081', after: { key: 'diagnoses.fragment.afterMs', params: { ms: 4 } }, closed: { key: 'diagnoses.fragment.close1006' }, note: '' } },
  { name: 'ECONNREFUSED (Node)', facts: ws('ws://127.0.0.1:1234/', { error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' }, msToFail: 2 }), id: 'nothing-listening', variant: 'refused', params: { where: '127.0.0.1:1234' } },
  { name: 'ECONNREFUSED on Socket.IO polling (Node)', facts: sio('http://127.0.0.1:1234/', { httpStatus: 0, socketIoErrorMessage: 'xhr poll error', error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' } }), id: 'nothing-listening', variant: 'refused' },
  { name: 'a host name that does not resolve (Node)', facts: ws('ws://no-such-host.invalid/', { error: { name: 'Error', message: 'getaddrinfo ENOTFOUND no-such-host.invalid' } }), id: 'nothing-listening', variant: 'dns', params: { host: 'no-such-host.invalid' } },
  { name: 'a fast 1006 with subprotocols requested', facts: ws('ws://localhost:8081/', { msToFail: 3, requestedProtocols: ['chat.v1'] }), id: 'nothing-listening', variant: 'opaque-subprotocol', params: { note: { key: 'diagnoses.fragment.protocolsNote', params: { asked: { params: { protocols: 'chat.v1', count: 1 } } } } } },

  // tls-untrusted
  { name: 'a fast opaque 1006 on wss:// (browser)', facts: ws('wss://localhost:8443/echo', { pageUrl: LOCAL_PAGE, msToFail: 9 }), id: 'tls-untrusted', variant: 'likely', params: { host: 'localhost:8443', https: 'https://localhost:8443', fast: { key: 'diagnoses.fragment.withinMs', params: { ms: 9 } } } },
  { name: 'a self-signed certificate (Node)', facts: ws('wss://127.0.0.1:8443/', { error: { name: 'Error', message: 'self-signed certificate' } }), id: 'tls-untrusted', variant: 'certain', params: { message: 'self-signed certificate', https: 'https://127.0.0.1:8443' } },
  { name: 'an expired certificate (Node)', facts: ws('wss://example.org/', { error: { name: 'Error', message: 'certificate has expired' } }), id: 'tls-untrusted', variant: 'certain' },

  // local-network
  { name: 'a public page to localhost, permission unknown', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, msToFail: 3 }), id: 'local-network', variant: 'default', params: { page: 'socketlens.example.com', host: 'localhost:8080', permission: { key: 'diagnoses.fragment.permissionUnknown' } } },
  { name: 'a public page to localhost, permission denied', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, localNetworkPermission: 'denied' }), id: 'local-network', variant: 'default', params: { permission: { key: 'diagnoses.fragment.permissionDenied' } } },
  { name: 'a public page to a LAN address, permission prompt', facts: sio('http://192.168.1.20:3000/', { pageUrl: 'http://inspector.example.com/', httpStatus: 0, localNetworkPermission: 'prompt' }), id: 'local-network', variant: 'default', params: { permission: { key: 'diagnoses.fragment.permissionPrompt' } } },
  { name: 'a public page to localhost with the permission granted', facts: ws('ws://localhost:8080/', { pageUrl: PUBLIC_PAGE, localNetworkPermission: 'granted', msToFail: 3 }), id: 'nothing-listening', variant: 'opaque' },
  { name: 'a page on localhost is exempt', facts: ws('ws://127.0.0.1:8080/', { pageUrl: LOCAL_PAGE, msToFail: 3 }), id: 'nothing-listening', variant: 'opaque' },

  // handshake-rejected
  { name: 'HTTP 403 in the Node error message', facts: ws('ws://localhost:8080/reject', { error: { name: 'Error', message: 'Unexpected server response: 403' } }), id: 'handshake-rejected', variant: 'http-auth-ws', params: { status: 403 } },
  { name: 'HTTP 404 for raw ws, hinting at Socket.IO', facts: ws('ws://localhost:3000/', { error: { name: 'Error', message: 'Unexpected server response: 404' } }), id: 'handshake-rejected', variant: 'http-404', params: { status: 404, hint: { key: 'diagnoses.fragment.socketIoHint' } } },
  { name: 'HTTP 200: not a WebSocket endpoint', facts: ws('ws://example.org/', { error: { name: 'Error', message: 'Unexpected server response: 200' } }), id: 'handshake-rejected', variant: 'http-2xx', params: { status: 200 } },
  { name: 'HTTP 502 from a proxy', facts: sio('https://example.org/', { httpStatus: 502, transport: 'polling' }), id: 'handshake-rejected', variant: 'http-gateway', params: { status: 502, hint: '' } },
  { name: 'a slow opaque 1006 on ws:// (browser)', facts: ws('ws://example.org/ws', { pageUrl: 'http://other.example.net/', msToFail: 2400 }), id: 'handshake-rejected', variant: 'slow', params: { ms: 2400 } },
  { name: 'Engine.IO "Session ID unknown" (no sticky sessions)', facts: sio('http://localhost:3000/', { httpStatus: 400, httpBody: '{"code":1,"message":"Session ID unknown"}', transport: 'polling' }), id: 'handshake-rejected', variant: 'engine-io-1', params: { message: 'Session ID unknown' } },
  { name: 'Engine.IO "Unsupported protocol version"', facts: sio('http://localhost:3000/', { httpStatus: 400, httpBody: '{"code":5,"message":"Unsupported protocol version"}' }), id: 'handshake-rejected', variant: 'engine-io-5' },
  { name: 'Socket.IO "Invalid namespace"', facts: sio('http://localhost:3000/nope', { socketIoErrorMessage: 'Invalid namespace' }), id: 'handshake-rejected', variant: 'invalid-namespace', params: { namespace: '/nope' } },

  // subprotocol-mismatch
  { name: 'no subprotocol in the answer (Node)', facts: ws('ws://localhost:8080/subprotocol', { requestedProtocols: ['chat.v9'], error: { name: 'Error', message: 'Server sent no subprotocol' } }), id: 'subprotocol-mismatch', variant: 'default', params: { asked: { params: { protocols: 'chat.v9' } }, answered: { key: 'diagnoses.fragment.none' } } },
  { name: 'a subprotocol that was not offered', facts: ws('ws://localhost:8080/', { requestedProtocols: ['chat.v1'], negotiatedProtocol: 'chat.v3' }), id: 'subprotocol-mismatch', variant: 'default', params: { answered: '"chat.v3"' } },

  // socketio-v2-server
  { name: 'an Engine.IO 3 polling body', facts: sio('http://localhost:3000/', { httpStatus: 200, httpBody: '96:0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40', socketIoErrorMessage: 'server error' }), id: 'socketio-v2-server', variant: 'certain' },
  { name: 'the v2 message on websocket-only', facts: sio('http://localhost:3000/', { transport: 'websocket', socketIoErrorMessage: 'It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)' }), id: 'socketio-v2-server', variant: 'certain' },
  { name: '"server error" with no body', facts: sio('http://localhost:3000/', { socketIoErrorMessage: 'server error' }), id: 'socketio-v2-server', variant: 'unparsable' },

  // parser-mismatch
  { name: 'transport closes without connect_error', facts: sio('http://localhost:3000/', { everOpened: true, transportClosesWithoutConnect: 3, disconnectReason: 'transport close' }), id: 'parser-mismatch', variant: 'default', params: { times: { key: 'diagnoses.fragment.closedTimes', params: { closes: 3 } }, other: { key: 'diagnoses.fragment.parser.msgpack' } } },

  // auth-rejected
  { name: 'middleware refusal with data', facts: sio('http://localhost:3000/admin', { socketIoErrorMessage: 'not authorized', socketIoErrorData: { reason: 'bad token' } }), id: 'auth-rejected', variant: 'default', params: { namespace: '/admin', message: 'not authorized', data: { key: 'diagnoses.fragment.withData', params: { data: '{"reason":"bad token"}' } } } },

  // A packet socket.io-parser cannot decode, after a connection that worked: used to read "Connection failed … check the URL".
  { name: 'a malformed packet after connect', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'parse error' }), id: 'parser-mismatch', variant: 'malformed' },

  // ping-timeout
  { name: 'a ping timeout', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'ping timeout' }), id: 'ping-timeout', variant: 'default' },

  // connect-timeout
  { name: 'the raw driver\'s connect timeout', facts: ws('ws://localhost:8080/silent', { closeCode: undefined, error: { name: 'TimeoutError', message: 'No answer to the handshake within 10000 ms' }, msToFail: 10003 }), id: 'connect-timeout', variant: 'default', params: { kind: { key: 'diagnoses.fragment.kind.ws' }, after: { key: 'diagnoses.fragment.withinMs', params: { ms: 10003 } } } },
  { name: 'Socket.IO\'s connect timeout', facts: sio('http://localhost:3000/', { socketIoErrorMessage: 'timeout' }), id: 'connect-timeout', variant: 'default', params: { kind: { key: 'diagnoses.fragment.kind.socketio' }, after: '' } },

  // short-lived: the history as recorded from the dev server's /close?code=1011&delay=1500 (websocket-reconnect.test.ts)
  { name: 'a server that closes every connection after 1.5 s', facts: ws('ws://127.0.0.1:8080/close', { everOpened: true, closeCode: 1011, closeReason: 'closed by /close', wasClean: true, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 1502, msSinceLastOpen: 0, shortLivedInARow: 5, shortLivedTypicalMs: 1504, shortLivedLongestMs: 1507, sameFailureInARow: 5, failureKind: 'close:1011', attemptsSinceStable: 5 } }), id: 'short-lived', variant: 'closes', params: { about: seconds(1.5), times: 5, how: { key: 'diagnoses.fragment.withCode', params: { code: 1011, name: { key: 'protocol.closeCode.1011.name' } } } } },
  { name: 'connections that drop (1006) soon after opening', facts: ws('ws://127.0.0.1:8080/drop', { everOpened: true, closeCode: 1006, wasClean: false, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 503, shortLivedInARow: 3, shortLivedTypicalMs: 503, shortLivedLongestMs: 510, sameFailureInARow: 3, attemptsSinceStable: 3 } }), id: 'short-lived', variant: 'drops', params: { about: ms(503), times: 3 } },
  { name: 'one short connection is no pattern', facts: ws('ws://127.0.0.1:8080/close', { everOpened: true, closeCode: 1011, history: { stableMs: 5000, wasOpenBefore: true, lastUpMs: 1500, shortLivedInARow: 1, shortLivedTypicalMs: 1500, shortLivedLongestMs: 1500, sameFailureInARow: 1, attemptsSinceStable: 1 } }), id: 'unknown', variant: 'closed', params: { code: 1011 } },

  // Probes after a raw WebSocket's opaque 1006 (websocket-probe.test.ts), findings as recorded from the dev server's
  // Socket.IO port, an HTTP-only server and a closed port.
  { name: 'ws:// at a Socket.IO server, probed', facts: ws('ws://127.0.0.1:3000/', { msToFail: 1003, probes: [HTTP_ANSWERS, ENGINE_ANSWERS] }), id: 'socketio-server', variant: 'default', params: { where: '127.0.0.1:3000', eio: 4, path: '/' } },
  { name: 'ws:// at a port that speaks only HTTP, probed', facts: ws('ws://127.0.0.1:8090/feed', { msToFail: 4, probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8090/feed' }, ENGINE_NOTHING] }), id: 'not-websocket', variant: 'default', params: { answered: { key: 'diagnoses.fragment.httpAnswered', params: { path: '/feed' } } } },
  { name: 'ws:// with a subprotocol the server refuses, probed', facts: ws('ws://127.0.0.1:8080/subprotocol', { msToFail: 3, requestedProtocols: ['chat.v9'], probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8080/subprotocol' }, ENGINE_NOTHING] }), id: 'not-websocket', variant: 'subprotocol', params: { asked: { params: { protocols: 'chat.v9' } } } },
  { name: 'ws:// at a closed port, probed', facts: ws('ws://127.0.0.1:8081/', { msToFail: 2, probes: [HTTP_NOTHING] }), id: 'nothing-listening', variant: 'probed', params: { url: 'http://127.0.0.1:8081/' } },
  { name: 'wss:// where HTTPS fails too stays a TLS guess', facts: ws('wss://127.0.0.1:8443/', { msToFail: 9, probes: [{ ...HTTP_NOTHING, url: 'https://127.0.0.1:8443/' }] }), id: 'tls-untrusted', variant: 'likely' },
  { name: 'a probe does not overrule a status Node named', facts: ws('ws://127.0.0.1:8090/', { error: { name: 'Error', message: 'Unexpected server response: 200' }, probes: [{ ...HTTP_ANSWERS, url: 'http://127.0.0.1:8090/' }, ENGINE_NOTHING] }), id: 'handshake-rejected', variant: 'http-2xx', params: { status: 200 } },

  // unknown
  { name: 'a server close after open', facts: ws('ws://localhost:8080/', { everOpened: true, closeCode: 1011, closeReason: 'boom' }), id: 'unknown', variant: 'closed', params: { code: 1011, said: { key: 'diagnoses.fragment.reasonGiven', params: { reason: 'boom' } } } },
  { name: 'a Socket.IO error with nothing to go on', facts: sio('http://localhost:3000/', { everOpened: true, disconnectReason: 'transport error' }), id: 'unknown', variant: 'failed-said', params: { said: 'transport error.' } },
]

type Tree = { readonly [key: string]: string | Tree }

/** Every key a message uses, nested messages included (bounded: they nest a few levels). */
function keysOf(ref: MessageRef, out: string[] = [], depth = 0): string[] {
  out.push(ref.key)
  if (depth < 5) for (const value of Object.values(ref.params ?? {})) if (typeof value === 'object') keysOf(value, out, depth + 1)
  return out
}

function has(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  return typeof node === 'string'
}

/** Every message a diagnosis names: its title, explanation and next step, and its evidence. */
function messagesOf(d: Diagnosis): MessageRef[] {
  return [diagnosisText(d, 'title'), diagnosisText(d, 'explanation'), diagnosisText(d, 'nextStep'), ...d.evidence]
}

describe('diagnose', () => {
  it.each(CASES)('$name → $id', ({ facts, id, variant, params }) => {
    const diagnosis = diagnose(facts)
    expect(diagnosis.id).toBe(id)
    expect(diagnosis.variant).toBe(variant)
    if (params) expect(diagnosis.params).toMatchObject(params)
  })

  it('names only messages both catalogues have, and every one reads as words in English and Korean', () => {
    const missing: string[] = []
    for (const { name, facts } of CASES) {
      const d = diagnose(facts)
      for (const ref of messagesOf(d)) {
        for (const key of keysOf(ref)) {
          if (!has(en as unknown as Tree, key)) missing.push(`${name}: en ${key}`)
          if (!has(ko as unknown as Tree, key)) missing.push(`${name}: ko ${key}`)
        }
      }
      // Sentences a person can read: a heading, and an explanation and next step that end like sentences.
      expect(inEnglish(diagnosisText(d, 'title'))).not.toBe('')
      expect(inEnglish(diagnosisText(d, 'explanation'))).toMatch(/[.)]$/)
      expect(inEnglish(diagnosisText(d, 'nextStep'))).toMatch(/[.)]$/)
    }
    expect(missing).toEqual([])
    try {
      setLocale('ko', false)
      const d = diagnose(CASES.find(c => c.variant === 'opaque')!.facts)
      expect(translate(diagnosisText(d, 'explanation'))).toMatch(/대개 그 포트에서 듣고 있는 것이 없는/)
    }
    finally {
      setLocale('en', false)
    }
  })

  it('every evidence line and clause diagnose.ts names by a short name exists in both catalogues', () => {
    const source = readFileSync(fileURLToPath(new URL('../../src/protocol/diagnose.ts', import.meta.url)), 'utf8')
    const named = [
      ...[...source.matchAll(/\bev\('([\w.]+)'/g)].map(m => `diagnoses.evidence.${m[1]}`),
      ...[...source.matchAll(/\bfragment\('([\w.]+)'/g)].map(m => `diagnoses.fragment.${m[1]}`),
      // The names it builds: parsers, kinds of connection, what a probe found after the server went away.
      ...['default', 'msgpack'].flatMap(p => [`diagnoses.fragment.parser.${p}`, `diagnoses.fragment.parserShort.${p}`]),
      ...['ws', 'socketio'].map(k => `diagnoses.fragment.kind.${k}`),
      ...['refused', 'answers', 'timeout', 'unknown'].map(f => `diagnoses.fragment.serverGone.${f}`),
      ...[0, 1, 2, 3, 4, 5].flatMap(code => ['title', 'explanation', 'nextStep'].map(part => `diagnoses.handshake-rejected.engine-io-${code}.${part}`)),
    ]
    expect(named.length).toBeGreaterThan(60)
    const missing = named.filter(key => !has(en as unknown as Tree, key) || !has(ko as unknown as Tree, key))
    expect(missing).toEqual([])
  })

  it('keeps the hedge of a guess in both languages', () => {
    // Each guess says it is one: a question for a heading, or "most often", "most likely", "can also mean" in the words.
    const hedges: Record<string, [RegExp, RegExp]> = {
      'nothing-listening.opaque': [/Most often/, /대개/],
      'tls-untrusted.likely': [/Most often.*can also mean/, /대개.*수도 있습니다/],
      'handshake-rejected.slow': [/most likely/, /아마/],
      'cors-polling.default': [/Most often.*can also mean/, /대개.*수도 있습니다/],
      'not-websocket.default': [/Most often.*may also/, /대개.*수도 있습니다/],
      'parser-mismatch.default': [/most likely/, /아마/],
    }
    const seen = new Set<string>()
    for (const { facts } of CASES) {
      const d = diagnose(facts)
      const hedge = hedges[`${d.id}.${d.variant}`]
      if (!hedge) continue
      expect(d.guess).toBe(true)
      seen.add(`${d.id}.${d.variant}`)
      expect(inEnglish(diagnosisText(d, 'explanation'))).toMatch(hedge[0])
      try {
        setLocale('ko', false)
        expect(translate(diagnosisText(d, 'explanation'))).toMatch(hedge[1])
      }
      finally {
        setLocale('en', false)
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(hedges).sort())
    for (const title of ['Nothing listening?', 'Handshake rejected?']) expect(JSON.stringify(en.diagnoses)).toContain(title)
  })

  it('names its evidence: the facts it used, server text clipped, and says when it guesses', () => {
    const cors = diagnose(sio('http://localhost:3000/', { httpStatus: 0, transport: 'polling', everOpened: false }))
    expect(cors.guess).toBe(true)
    expect(cors.evidence).toContainEqual({ key: 'diagnoses.evidence.httpHidden', params: { transport: 'polling' } })
    expect(cors.evidence).toContainEqual({ key: 'diagnoses.evidence.neverOpened' })
    const refused = diagnose(ws('ws://127.0.0.1:1/', { error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1' } }))
    expect(refused.guess).toBe(false)
    expect(refused.evidence[0]).toEqual({ key: 'diagnoses.evidence.error', params: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1' } })
    const body = diagnose(sio('http://localhost:3000/', { httpStatus: 400, httpBody: 'x'.repeat(5000), transport: 'polling' }))
    // Server text is a value, clipped, never part of a key: the UI shows it as text.
    const quoted = body.evidence.find(line => line.key === 'diagnoses.evidence.body')!
    expect(String(quoted.params!.body).length).toBeLessThan(200)
    expect(inEnglish(quoted).length).toBeLessThan(200)
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
    expect(inEnglish(diagnosisText(diagnose(odd[3]!), 'explanation')).length).toBeLessThan(400)
  })
})

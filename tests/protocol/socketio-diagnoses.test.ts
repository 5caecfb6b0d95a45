/**
 * The diagnosis rules for the Socket.IO cases of issue 8, from the facts the drivers hand to diagnose(): HTTP status
 * and body as socket.io-client reports them in Chromium (status 0 when the browser hides the answer), python-engineio's
 * and engine.io's bodies as the servers send them (tests/protocol/engine-probe.test.ts records them), the history
 * (connectionHistory.ts) and the probes (httpProbe.ts). The same cases run end to end in
 * tests/e2e/socketio-auto.spec.ts and tests/e2e/python-socketio.spec.ts.
 */
import { describe, expect, it } from 'vitest'
import type { HistoryFacts } from '../../src/protocol/connectionHistory'
import { diagnose } from '../../src/protocol/diagnose'
import type { FailureFacts } from '../../src/protocol/diagnose'
import type { ProbeFinding } from '../../src/protocol/httpProbe'
import { message } from '../../src/protocol/message'
import { inEnglish } from '../../src/i18n'
import { seconds } from '../support/durations'

const fragment = (name: string, params?: Record<string, unknown>) => params ? { key: `diagnoses.fragment.${name}`, params } : { key: `diagnoses.fragment.${name}` }

const PAGE = 'http://localhost:5173/'
const URL_ = 'http://127.0.0.1:3000/'

function sio(facts: Partial<FailureFacts>): FailureFacts {
  return { protocol: 'socketio', url: URL_, pageUrl: PAGE, ...facts }
}

/** socket.io-client's connect_error for a polling request the browser answered with status 0. */
const POLLING_HIDDEN: Partial<FailureFacts> = {
  httpStatus: 0, transport: 'polling', socketIoErrorMessage: 'xhr poll error', error: { name: 'TransportError', message: 'xhr poll error' },
}
/** …and for a WebSocket that failed before it opened (a bare Event: nothing else). */
const WEBSOCKET_HIDDEN: Partial<FailureFacts> = {
  transport: 'websocket', socketIoErrorMessage: 'websocket error', error: { name: 'TransportError', message: 'websocket error' }, msToFail: 12,
}

function history(h: Partial<HistoryFacts>): HistoryFacts {
  return { stableMs: 5000, wasOpenBefore: false, shortLivedInARow: 0, sameFailureInARow: 1, attemptsSinceStable: 1, ...h }
}

function probe(outcome: ProbeFinding['outcome']): ProbeFinding {
  return { kind: 'http', url: 'http://127.0.0.1:3000/', outcome, ms: 3, summary: message('protocol.probe.httpAnswers', { url: 'http://127.0.0.1:3000/', ms: 3 }) }
}

describe('case 1: the server went away after the session was open', () => {
  const wasOpen = history({ wasOpenBefore: true, lastUpMs: 4200, msSinceLastOpen: 1800 })

  it('polling status 0 seconds after a connection from the same page is not CORS', () => {
    const d = diagnose(sio({ ...POLLING_HIDDEN, history: wasOpen }))
    expect(d).toMatchObject({
      id: 'server-gone', variant: 'default', guess: true,
      params: { where: '127.0.0.1:3000', up: fragment('forDuration', { duration: seconds(4.2) }), ago: seconds(1.8), found: fragment('serverGone.unknown') },
    })
    // The words say so: not CORS, and SocketLens keeps reconnecting.
    expect(inEnglish({ key: 'diagnoses.server-gone.default.explanation', params: d.params })).toContain('this is not CORS')
    expect(d.evidence).toContainEqual({ key: 'diagnoses.evidence.openEarlier', params: { duration: seconds(4.2), ago: seconds(1.8) } })
  })

  it('the same-port probe tells "refused" from "answers HTTP again"', () => {
    const refused = diagnose(sio({ ...POLLING_HIDDEN, history: wasOpen, probes: [probe('nothing')] }))
    expect(refused).toMatchObject({ id: 'server-gone', variant: 'refused', guess: false, params: { found: fragment('serverGone.refused') } })
    const answers = diagnose(sio({ ...POLLING_HIDDEN, history: wasOpen, probes: [probe('answers')] }))
    expect(answers).toMatchObject({ id: 'server-gone', variant: 'default', params: { found: fragment('serverGone.answers') } })
  })

  it('Node names the refusal itself (ECONNREFUSED)', () => {
    const d = diagnose(sio({ transport: 'polling', socketIoErrorMessage: 'xhr poll error', error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:3000' }, history: wasOpen }))
    expect(d).toMatchObject({ id: 'server-gone', variant: 'refused' })
  })

  it('the close of the open connection itself: connection lost, not "connection failed"', () => {
    // Over long-polling there is no close code: the history is all there is.
    const d = diagnose(sio({ disconnectReason: 'transport close', everOpened: true, transport: 'polling', history: history({ wasOpenBefore: true, lastUpMs: 4200, msSinceLastOpen: 0 }) }))
    expect(d).toMatchObject({ id: 'server-gone', variant: 'lost', guess: true, params: { up: fragment('afterDuration', { duration: seconds(4.2) }), reason: 'transport close' } })
  })

  it('without a connection before, status 0 stays a CORS guess', () => {
    expect(diagnose(sio(POLLING_HIDDEN)).id).toBe('cors-polling')
  })
})

describe('case 2: python-socketio with transports=[\'websocket\']', () => {
  it('reads python-engineio\'s "Invalid transport" and shows the body as evidence', () => {
    const d = diagnose(sio({ httpStatus: 400, httpBody: '"Invalid transport"', transport: 'polling', socketIoErrorMessage: 'xhr poll error' }))
    expect(d).toMatchObject({ id: 'handshake-rejected', variant: 'python-no-polling' })
    expect(d.evidence).toEqual(expect.arrayContaining([
      { key: 'diagnoses.evidence.body', params: { body: '"Invalid transport"' } },
      { key: 'diagnoses.evidence.pythonAnswer', params: { message: 'Invalid transport' } },
    ]))
  })

  it('Node\'s engine.io says the same with code 0', () => {
    const d = diagnose(sio({ httpStatus: 400, httpBody: '{"code":0,"message":"Transport unknown"}', transport: 'polling' }))
    expect(d).toMatchObject({ id: 'handshake-rejected', variant: 'engine-io-0', params: { message: 'Transport unknown' } })
  })
})

describe('case 3: python-socketio with its default CORS', () => {
  const origin = new URL(PAGE).origin

  it('polling status 0: names the fix for python-socketio and Node, and does not send people to WebSocket only', () => {
    const d = diagnose(sio(POLLING_HIDDEN))
    expect(d).toMatchObject({ id: 'cors-polling', variant: 'default', params: { origin, python: { key: 'diagnoses.code.pythonCors', params: { origin } }, node: { key: 'diagnoses.code.nodeCors', params: { origin } } } })
    // The code to paste is the same in every language.
    expect(inEnglish(message('diagnoses.code.pythonCors', { origin }))).toBe(`socketio.AsyncServer(cors_allowed_origins=['${origin}'])`)
    expect(inEnglish(message('diagnoses.code.nodeCors', { origin }))).toBe(`new Server({ cors: { origin: ['${origin}'] } })`)
  })

  it('WebSocket only, refused the same way: not "nothing listening", and refused once the probe finds a server', () => {
    const before = diagnose(sio(WEBSOCKET_HIDDEN))
    expect(before).toMatchObject({ id: 'handshake-rejected', variant: 'websocket-failed', guess: true })
    const after = diagnose(sio({ ...WEBSOCKET_HIDDEN, probes: [probe('answers')] }))
    expect(after).toMatchObject({ id: 'handshake-rejected', variant: 'websocket-answers', guess: true, params: { fix: fragment('corsFix', { origin }) } })
    const nothing = diagnose(sio({ ...WEBSOCKET_HIDDEN, probes: [probe('nothing')] }))
    expect(nothing).toMatchObject({ id: 'nothing-listening', variant: 'websocket-probed' })
  })

  it('polling status 0 with nothing answering the same port: not CORS', () => {
    expect(diagnose(sio({ ...POLLING_HIDDEN, probes: [probe('nothing')] }))).toMatchObject({ id: 'nothing-listening', variant: 'polling-probed' })
  })

  it('where the body is readable (Node, or a proxy adding CORS headers), python-engineio\'s refusal is named', () => {
    const d = diagnose(sio({ httpStatus: 400, httpBody: `"${origin} is not an accepted origin."`, transport: 'polling' }))
    expect(d).toMatchObject({ id: 'cors-polling', variant: 'python-origin', guess: false, params: { origin, code: { key: 'diagnoses.code.pythonCors', params: { origin } } } })
  })
})

describe('case 7: a server that closes every connection after about 1.5 s', () => {
  it('names the pattern from the history, with the count', () => {
    const d = diagnose(sio({
      disconnectReason: 'transport close', everOpened: true, wasClean: true,
      history: history({ wasOpenBefore: true, lastUpMs: 1500, msSinceLastOpen: 0, shortLivedInARow: 5, shortLivedTypicalMs: 1500, shortLivedLongestMs: 1600 }),
    }))
    expect(d).toMatchObject({ id: 'short-lived', variant: 'closes', params: { about: seconds(1.5), times: 5 } })
  })
})

describe('case 8: parser mismatch', () => {
  it('a handshake, then a transport close without connect: diagnosed on the first one, with the other parser to try', () => {
    const d = diagnose(sio({ disconnectReason: 'transport close', transportClosesWithoutConnect: 1, parser: 'default', transport: 'websocket' }))
    expect(d).toMatchObject({ id: 'parser-mismatch', variant: 'default', guess: true, params: { times: '', otherShort: fragment('parserShort.msgpack') } })
    expect(diagnose(sio({ disconnectReason: 'transport close', transportClosesWithoutConnect: 1, parser: 'msgpack' })).params).toMatchObject({ otherShort: fragment('parserShort.default') })
  })
})

describe('case 9: a Socket.IO v2 server', () => {
  it('an Engine.IO 3 polling body is certain', () => {
    const body = '96:0{"sid":"x","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40'
    const d = diagnose(sio({ socketIoErrorMessage: 'server error', httpBody: body, transport: 'polling' }))
    expect(d).toMatchObject({ id: 'socketio-v2-server', guess: false })
  })
})

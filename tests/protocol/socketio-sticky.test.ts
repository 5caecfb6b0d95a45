/**
 * "Session ID unknown" (issue 13): the diagnosis that requests of one session reached different server nodes, made
 * by the real Socket.IO driver against the real clustered dev server without sticky sessions, and told apart from a
 * server that lost its sessions (a restart).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { DevServer } from '../../dev-server/types'
import { diagnose, type FailureFacts } from '../../src/protocol/diagnose'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import type { SocketIoDriverOptions } from '../../src/protocol/socketio/driver'
import { startTestServer } from '../support/devServer'
import { disposeRecordedDrivers, isKind, recordDriver } from '../support/recorder'

function open(options: SocketIoDriverOptions) {
  return recordDriver(createSocketIoDriver, { reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0, ...options })
}

let server: DevServer | undefined

afterEach(() => disposeRecordedDrivers())
afterAll(async () => {
  await server?.close()
})

interface Diag { id: string, variant: string, guess: boolean, params: Record<string, unknown>, evidence: { key: string, params?: Record<string, unknown> }[] }

describe('socket.io driver against a cluster without sticky sessions', () => {
  it('says requests of one session reached different nodes, with the sid, the 400 and its body, and that the handshake had succeeded', { timeout: 90_000 }, async () => {
    server ??= await startTestServer({ cluster: { nodes: 3, sticky: false } })
    const { driver, rec } = open({ url: server.urls.socketio, transports: ['polling'] })
    driver.connect()
    // Every session fails right after its handshake; from the second one on, the diagnosis is no longer a guess.
    const failures = await rec.until(isKind('lifecycle', 'connect_error'), 2, 'connect_error')
    const handshakes = rec.events.filter(isKind('engine', 'handshake'))
    expect(handshakes.length).toBeGreaterThanOrEqual(2)

    const first = failures[0]!.detail as { httpStatus?: number, httpBody?: string, diagnosis: Diag }
    expect(first.httpStatus).toBe(400)
    expect(JSON.parse(first.httpBody!)).toEqual({ code: 1, message: 'Session ID unknown' })
    expect(first.diagnosis).toMatchObject({ id: 'session-unknown', variant: 'cluster-likely', guess: true })

    const second = failures[1]!.detail as { diagnosis: Diag }
    expect(second.diagnosis).toMatchObject({ id: 'session-unknown', variant: 'cluster', guess: false, params: { count: 2 } })
    const sid = (handshakes[1]!.detail as { sid: string }).sid
    expect(second.diagnosis.params.sid).toBe(sid)
    const keys = second.diagnosis.evidence.map(e => e.key)
    expect(keys).toContain('diagnoses.evidence.handshakeThenUnknown')
    expect(keys).toContain('diagnoses.evidence.unknownSidStreak')
    expect(second.diagnosis.evidence).toContainEqual({ key: 'diagnoses.evidence.httpStatus', params: { status: 400, transport: 'polling' } })
    expect(second.diagnosis.evidence).toContainEqual({ key: 'diagnoses.evidence.body', params: { body: '{"code":1,"message":"Session ID unknown"}' } })
    expect(second.diagnosis.evidence.find(e => e.key === 'diagnoses.evidence.handshakeThenUnknown')?.params?.sid).toBe(sid)
    expect(driver.state).not.toBe('open')
    // Polling only: WebSocket only is not in the list, so it is not offered.
    expect((failures[1]!.detail as { offer?: unknown }).offer).toBeUndefined()
  })

  it('offers "WebSocket only" (never takes it by itself), and a WebSocket-only session then works on the same cluster', { timeout: 90_000 }, async () => {
    server ??= await startTestServer({ cluster: { nodes: 3, sticky: false } })
    const { driver, rec } = open({ url: server.urls.socketio, transports: ['polling', 'websocket'] })
    driver.connect()
    const [failure] = await rec.until(isKind('lifecycle', 'connect_error'), 1, 'connect_error')
    const detail = failure!.detail as { diagnosis: Diag, offer?: { choice: string, value: string, reason: string }, switching?: boolean }
    expect(detail.diagnosis.id).toBe('session-unknown')
    expect(detail.offer).toMatchObject({ choice: 'transports', value: 'websocket', reason: 'requests of one session reached different server nodes: WebSocket only would avoid it' })
    expect(detail.switching).toBeUndefined()
    driver.disconnect()
    const retry = open({ url: server.urls.socketio, transports: ['websocket'] })
    retry.driver.connect()
    await retry.rec.until(isKind('lifecycle', 'connect'), 1, 'connect over WebSocket only')
    expect(retry.rec.events.some(isKind('lifecycle', 'connect_error'))).toBe(false)
  })
})

describe('"Session ID unknown" without the cluster', () => {
  it('is not called a cluster when a restart of one server cuts a working session', { timeout: 60_000 }, async () => {
    const single = await startTestServer({ pingInterval: 200, pingTimeout: 200 })
    try {
      const { driver, rec } = open({ url: single.urls.socketio, transports: ['polling'] })
      driver.connect()
      await rec.until(isKind('lifecycle', 'connect'))
      await single.restart()
      const [lost] = await rec.until(isKind('lifecycle', 'disconnect'))
      expect((lost!.detail as { diagnosis?: Diag }).diagnosis?.id).not.toBe('session-unknown')
      await rec.until(isKind('lifecycle', 'connect'), 2, 'the reconnect')
    }
    finally {
      await single.close()
    }
  })

  it('a session that had been working, then got "Session ID unknown", is a server that lost it (a guess), not a cluster', () => {
    const facts = (session: FailureFacts['engineSession']): FailureFacts => ({
      protocol: 'socketio', url: 'http://localhost:3000/', transport: 'polling', httpStatus: 400,
      httpBody: '{"code":1,"message":"Session ID unknown"}', disconnectReason: 'transport error', everOpened: true, engineSession: session,
    })
    const restart = diagnose(facts({ sid: 'abc', msSinceHandshake: 60_000, framesSinceHandshake: 40, unknownSidStreak: 1 }))
    expect(restart).toMatchObject({ id: 'session-unknown', variant: 'restart', guess: true })
    const early = diagnose(facts({ sid: 'abc', msSinceHandshake: 30, framesSinceHandshake: 0, unknownSidStreak: 1 }))
    expect(early).toMatchObject({ id: 'session-unknown', variant: 'cluster-likely', guess: true })
    const again = diagnose(facts({ sid: 'abd', msSinceHandshake: 30, framesSinceHandshake: 0, unknownSidStreak: 3 }))
    expect(again).toMatchObject({ id: 'session-unknown', variant: 'cluster', guess: false })
    // Without a handshake of its own (the 400 came first), the existing words: Engine.IO error 1.
    const bare = diagnose({ ...facts(undefined), disconnectReason: undefined, everOpened: false })
    expect(bare).toMatchObject({ id: 'handshake-rejected', variant: 'engine-io-1' })
  })
})

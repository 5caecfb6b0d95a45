/** The dev server's record: what real clients sent, read from the control API and from the handle. */
import { afterEach, describe, expect, it } from 'vitest'
import type { RecordEntry, RecordSnapshot } from '../../dev-server/index.ts'
import { closeAllClients, closeAllProbes, connected, controlHeaders, httpJson, probe, sioClient, startTestServer, useDevServer, waitFor } from '../support/devServer.ts'

const server = useDevServer()

afterEach(() => {
  closeAllClients()
  closeAllProbes()
})

async function readRecord(since?: number): Promise<RecordSnapshot> {
  const res = await httpJson(`${server().urls.control}/record${since === undefined ? '' : `?since=${since}`}`, { headers: controlHeaders(server()) })
  expect(res.status).toBe(200)
  return res.body as RecordSnapshot
}

const of = (entries: RecordEntry[], socket: string) => entries.filter((e) => 'socket' in e && e.socket === socket)

describe('the record of Socket.IO events', () => {
  it('keeps every event a socket emitted, in order, with its arguments, binary as base64, and whether its ack was asked and answered', async () => {
    server().clearRecord()
    const a = sioClient(server().urls.socketio)
    await connected(a)
    await a.timeout(3000).emitWithAck('joinRoom', 'lobby')
    a.emit('roomMessage', { room: 'lobby', message: 'hi' })
    await a.timeout(3000).emitWithAck('echo', 1, 'two', { three: [3] }, Buffer.from([1, 2, 255]))
    await a.timeout(3000).emitWithAck('custom', null)
    a.timeout(200).emit('noAck', 'x', () => {})
    // `ask`: the server asks back; it answers `ask`'s ack only after the client's reply, so `acked` turns true late.
    a.on('question', (_q: unknown, reply: (answer: string) => void) => setTimeout(() => reply('forty-two'), 100))
    const asked = a.timeout(3000).emitWithAck('ask', { question: 'meaning?', timeoutMs: 2000 })
    await waitFor('ask to be recorded', () => server().record().entries.some((e) => e.type === 'event' && e.event === 'ask'))
    const early = server().record().entries.find((e) => e.type === 'event' && e.event === 'ask')
    expect(early).toMatchObject({ ack: true, acked: false })
    await asked
    await a.timeout(3000).emitWithAck('leaveRoom', 'lobby')

    const { entries, dropped } = await readRecord()
    expect(dropped).toBe(0)
    const mine = of(entries, a.id!)
    const events = mine.filter((e) => e.type === 'event')
    expect(events.map((e) => e.type === 'event' && [e.event, e.ack, e.acked])).toEqual([
      ['joinRoom', true, true],
      ['roomMessage', false, false],
      ['echo', true, true],
      ['custom', true, true],
      ['noAck', true, false],
      ['ask', true, true],
      ['leaveRoom', true, true],
    ])
    expect(events[0]).toMatchObject({ server: 'socketio', namespace: '/', socket: a.id, args: ['lobby'] })
    expect(events[0]).not.toHaveProperty('node')
    expect(events[1]).toMatchObject({ args: [{ room: 'lobby', message: 'hi' }] })
    expect(events[2]).toMatchObject({ args: [1, 'two', { three: [3] }, { base64: Buffer.from([1, 2, 255]).toString('base64') }] })
    expect(events[3]).toMatchObject({ args: [null] })
    // connect first, the join between joinRoom and roomMessage, the leave after leaveRoom's event.
    expect(mine.map((e) => (e.type === 'event' ? e.event : e.type === 'join' || e.type === 'leave' ? `${e.type}:${e.room}` : e.type))).toEqual([
      'connect', 'joinRoom', 'join:lobby', 'roomMessage', 'echo', 'custom', 'noAck', 'ask', 'leaveRoom', 'leave:lobby',
    ])
    const seqs = entries.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
    for (const e of mine) expect(typeof e.at).toBe('number')

    const id = a.id
    a.disconnect()
    await waitFor('the disconnect entry', () => server().record().entries.some((e) => e.type === 'disconnect' && e.socket === id))
    expect(server().record().entries.find((e) => e.type === 'disconnect' && e.socket === id)).toMatchObject({ reason: 'client namespace disconnect' })
  })

  it('records every namespace and every v4 server (here /admin on the polling-only server)', async () => {
    server().clearRecord()
    const admin = sioClient(`${server().urls.polling}/admin`, { auth: { token: server().adminToken } })
    await connected(admin)
    await admin.timeout(3000).emitWithAck('stats')
    const events = server().record().entries.filter((e) => e.type === 'event')
    expect(events).toEqual([expect.objectContaining({ server: 'polling', namespace: '/admin', socket: admin.id, event: 'stats', args: [], ack: true, acked: true })])
  })
})

describe('the record of raw WebSocket frames', () => {
  it('keeps text and binary frames per connection on / and /echo', async () => {
    server().clearRecord()
    const root = probe(`${server().urls.ws}/`)
    const echo = probe(`${server().urls.ws}/echo`)
    await Promise.all([root.opened, echo.opened])
    root.ws.send('hello')
    echo.ws.send(Buffer.from([0, 1, 2]))
    echo.ws.send('héllo')
    await Promise.all([root.take(1), echo.take(2)])
    const frames = server().record().entries.filter((e) => e.type === 'frame')
    expect(frames).toHaveLength(3)
    const [f1, f2, f3] = frames
    expect(f1).toMatchObject({ server: 'ws', path: '/', kind: 'text', data: 'hello', size: 5 })
    expect(f2).toMatchObject({ server: 'ws', path: '/echo', kind: 'binary', data: 'AAEC', size: 3 })
    expect(f3).toMatchObject({ server: 'ws', path: '/echo', kind: 'text', data: 'héllo', size: 6 })
    expect(f1!.type === 'frame' && f2!.type === 'frame' && f1.connection !== f2.connection).toBe(true)
    expect(f2!.type === 'frame' && f3!.type === 'frame' && f2.connection === f3.connection).toBe(true)
    expect(server().record().entries.filter((e) => e.type === 'open')).toHaveLength(2)
  })
})

describe('the record over the control API', () => {
  it('reads ?since=<seq>, clears with POST /record/clear, and keeps the token rule', async () => {
    server().clearRecord()
    const ws = probe(`${server().urls.ws}/echo`)
    await ws.opened
    ws.ws.send('one')
    await ws.take(1)
    const first = await readRecord()
    ws.ws.send('two')
    await ws.take(2)
    const next = await readRecord(first.last)
    expect(next.entries.map((e) => e.type === 'frame' && e.data)).toEqual(['two'])
    expect(next.entries[0]!.seq).toBe(first.last + 1)

    expect((await httpJson(`${server().urls.control}/record`)).status).toBe(401)
    expect((await httpJson(`${server().urls.control}/record`, { headers: { ...controlHeaders(server()), Origin: 'https://evil.example' } })).status).toBe(403)
    expect((await httpJson(`${server().urls.control}/record?since=-1`, { headers: controlHeaders(server()) })).status).toBe(400)
    expect((await httpJson(`${server().urls.control}/record/clear`, { headers: controlHeaders(server()) })).status).toBe(405)
    const cleared = await httpJson(`${server().urls.control}/record/clear`, {
      method: 'POST', headers: controlHeaders(server(), { 'Content-Type': 'application/json' }),
    })
    expect(cleared).toMatchObject({ status: 200, body: { ok: true, action: 'record/clear' } })
    const after = await readRecord()
    expect(after.entries).toEqual([])
    expect(after.last).toBe(next.last)
  })
})

describe('the bound', () => {
  it('keeps the newest recordLimit entries and counts the dropped ones', async () => {
    const small = await startTestServer({ recordLimit: 5 })
    try {
      const ws = probe(`${small.urls.ws}/echo`)
      await ws.opened
      for (let i = 0; i < 12; i++) ws.ws.send(`m${i}`)
      await ws.take(12)
      const snapshot = small.record()
      // 1 open + 12 frames = 13 entries; the newest 5 stay.
      expect(snapshot.entries.map((e) => e.type === 'frame' && e.data)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11'])
      expect(snapshot.dropped).toBe(8)
      expect(snapshot.limit).toBe(5)
      expect(small.record(snapshot.last - 2).entries).toHaveLength(2)
      small.clearRecord()
      expect(small.record()).toMatchObject({ entries: [], dropped: 0 })
    } finally {
      await small.close()
    }
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { closeAllClients, connected, httpJson, once, record, sioClient, sleep, useDevServer, waitFor } from '../support/devServer.ts'

const server = useDevServer({ tickerIntervalMs: 100 })

afterEach(() => closeAllClients())

/** Acknowledged emit returning every ack argument. */
function emitAck(socket: ReturnType<typeof sioClient>, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    socket.timeout(3000).emit(event, ...args, (err: Error | null, ...reply: unknown[]) => (err ? reject(err) : resolve(reply)))
  })
}

describe('Socket.IO main namespace', () => {
  it('sends `welcome` on connect (with the recovery offset as an extra last argument)', async () => {
    const a = sioClient(server().urls.socketio)
    const [args] = await Promise.all([new Promise<unknown[]>((resolve) => a.once('welcome', (...x: unknown[]) => resolve(x))), connected(a)])
    expect(args[0]).toMatchObject({ id: a.id, namespace: '/', recovered: false, message: 'Welcome to the SocketLens dev server' })
    expect(['polling', 'websocket']).toContain((args[0] as { transport: string }).transport)
    expect(args).toHaveLength(2)
    expect(typeof args[1]).toBe('string')
  })

  it('joinRoom / roomMessage / leaveRoom: notices to the room, messages to the others only', async () => {
    const a = sioClient(server().urls.socketio)
    const b = sioClient(server().urls.socketio)
    const outsider = sioClient(server().urls.socketio)
    await Promise.all([connected(a), connected(b), connected(outsider)])
    const aJoined = record(a, 'joined')
    const aMessages = record(a, 'roomMessage')
    const bMessages = record(b, 'roomMessage')
    const bLeft = record(b, 'left')
    const outsiderMessages = record(outsider, 'roomMessage')

    expect(await emitAck(a, 'joinRoom', 'lobby')).toEqual([['lobby']])
    expect(await emitAck(b, 'joinRoom', { room: 'lobby' })).toEqual([['lobby']])
    expect(await emitAck(b, 'joinRoom', 'second')).toEqual([['lobby', 'second']])
    await waitFor('a to see both joins', () => aJoined.length >= 2)
    expect(aJoined.map((c) => c[0])).toEqual([{ room: 'lobby', id: a.id }, { room: 'lobby', id: b.id }])

    expect(await emitAck(b, 'roomMessage', { room: 'lobby', message: { text: 'hi', n: 1 } })).toEqual([{ room: 'lobby', delivered: 1 }])
    await waitFor('a to get the message', () => aMessages.length === 1)
    expect(aMessages[0]![0]).toEqual({ room: 'lobby', message: { text: 'hi', n: 1 }, from: b.id })

    expect(await emitAck(a, 'leaveRoom', { room: 'lobby' })).toEqual([[]])
    await waitFor('b to see a leave', () => bLeft.length === 1)
    expect(bLeft[0]![0]).toEqual({ room: 'lobby', id: a.id })

    b.emit('roomMessage', { room: 'lobby', message: 'anyone?' })
    expect(await emitAck(a, 'rooms')).toEqual([[]])
    await sleep(100)
    expect(aMessages).toHaveLength(1)
    expect(bMessages).toHaveLength(0)
    expect(outsiderMessages).toHaveLength(0)
  })

  it('a message without a room goes to everyone else: plain on `message`, with its sender on `roomMessage`', async () => {
    const a = sioClient(server().urls.socketio)
    const b = sioClient(server().urls.socketio)
    await Promise.all([connected(a), connected(b)])
    const aMessages = record(a, 'message')
    const bMessages = record(b, 'message')
    const bRich = record(b, 'roomMessage')
    a.emit('message', 'hello all')
    await waitFor('b to get it', () => bMessages.length === 1)
    expect(bMessages[0]![0]).toBe('hello all')
    expect(await emitAck(a, 'roomMessage', { message: 'hello again' })).toEqual([{ room: null, delivered: expect.any(Number) }])
    await waitFor('b to get the rich one', () => bRich.length === 1)
    expect(bRich[0]![0]).toEqual({ room: null, message: 'hello again', from: a.id })
    await sleep(50)
    expect(aMessages).toHaveLength(0)
  })

  it('`message` {room, message} is the study note\'s: the plain message (then the recovery offset), acknowledged when asked', async () => {
    const a = sioClient(server().urls.socketio)
    const b = sioClient(server().urls.socketio)
    await Promise.all([connected(a), connected(b)])
    await emitAck(a, 'joinRoom', 'note-room')
    await emitAck(b, 'joinRoom', 'note-room')
    const aMessages = record(a, 'message')
    expect(await emitAck(b, 'message', { room: 'note-room', message: { text: 'hi' } })).toEqual([{ room: 'note-room', delivered: 1 }])
    await waitFor('a to get it', () => aMessages.length === 1)
    expect(aMessages[0]).toEqual([{ text: 'hi' }, expect.any(String)])
  })

  it('rejects bad room payloads with { error } as the ack, or an `invalid` event', async () => {
    const a = sioClient(server().urls.socketio)
    await connected(a)
    const [reply] = await emitAck(a, 'joinRoom', 42)
    expect(reply).toEqual({ error: expect.stringContaining('room must be') })
    const invalid = record(a, 'invalid')
    a.emit('joinRoom', { room: '   ' })
    a.emit('leaveRoom', 'x'.repeat(129))
    await waitFor('two invalid notices', () => invalid.length === 2)
    expect(invalid.map((c) => (c[0] as { event: string }).event)).toEqual(['joinRoom', 'leaveRoom'])
    const b = sioClient(server().urls.socketio)
    await connected(b)
    expect(await emitAck(a, 'joinRoom', b.id)).toEqual([{ error: 'that room is another socket\'s private room' }])
  })

  it('echo returns every argument as the ack, or as an `echo` event without one', async () => {
    const a = sioClient(server().urls.socketio)
    await connected(a)
    expect(await emitAck(a, 'echo', 'a', 1, { b: [true, null] })).toEqual(['a', 1, { b: [true, null] }])
    const echoes = record(a, 'echo')
    a.emit('echo', 'x', 2)
    await waitFor('echo event', () => echoes.length === 1)
    expect(echoes[0]!.slice(0, 2)).toEqual(['x', 2])
  })

  it('binary echoes Buffers (as binary attachments) and defaults to 4 bytes', async () => {
    const a = sioClient(server().urls.socketio)
    await connected(a)
    const payload = Buffer.from([0, 1, 2, 250, 255])
    const [first, second] = await emitAck(a, 'binary', payload, { nested: Buffer.from('hi') })
    expect(Buffer.from(first as Uint8Array)).toEqual(payload)
    expect(Buffer.from((second as { nested: Uint8Array }).nested).toString()).toBe('hi')
    const events = record(a, 'binary')
    a.emit('binary')
    await waitFor('binary event', () => events.length === 1)
    expect(Buffer.from(events[0]![0] as Uint8Array)).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]))
  })

  it('broadcast reaches everyone on the namespace, the sender included', async () => {
    const a = sioClient(server().urls.socketio)
    const b = sioClient(server().urls.socketio)
    await Promise.all([connected(a), connected(b)])
    const aGot = record(a, 'broadcast')
    const bGot = record(b, 'broadcast')
    const [ack] = await emitAck(a, 'broadcast', 'hey')
    expect((ack as { delivered: number }).delivered).toBeGreaterThanOrEqual(2)
    await waitFor('both to get it', () => aGot.length === 1 && bGot.length === 1)
    expect(aGot[0]![0]).toEqual({ message: 'hey', from: a.id })
    expect(bGot[0]![0]).toEqual({ message: 'hey', from: a.id })
  })

  it('acknowledges any other event that asks for it, with its own arguments', async () => {
    const a = sioClient(server().urls.socketio)
    await connected(a)
    expect(await emitAck(a, 'anything:at-all', 1, 'two', { three: 3 })).toEqual([1, 'two', { three: 3 }])
    expect(await emitAck(a, 'no-args')).toEqual([])
    a.emit('fire-and-forget', 1) // no ack asked: nothing comes back, nothing breaks
    expect(await emitAck(a, 'echo', 'still fine')).toEqual(['still fine'])
  })

  it('never acknowledges noAck, so an ack timeout can be watched', async () => {
    const a = sioClient(server().urls.socketio)
    await connected(a)
    await expect(a.timeout(300).emitWithAck('noAck', 1)).rejects.toThrow('operation has timed out')
    expect(await emitAck(a, 'echo', 'after')).toEqual(['after'])
  })

  it('recovers the session after a short transport loss: same id, rooms kept, missed messages delivered', async () => {
    const a = sioClient(server().urls.socketio, { transports: ['websocket'] })
    const b = sioClient(server().urls.socketio)
    await Promise.all([connected(a), connected(b)])
    await emitAck(a, 'joinRoom', 'recover-room')
    const idBefore = a.id
    const messages = record(a, 'roomMessage')
    const disconnected = once<string>(a, 'disconnect')
    // The network drops: cut the TCP connection under the WebSocket transport; the manager reconnects.
    ;(a.io.engine.transport as unknown as { ws: { _socket: { destroy(): void } } }).ws._socket.destroy()
    expect((await disconnected)[0]).toBe('transport close')
    b.emit('roomMessage', { room: 'recover-room', message: 'while you were away' })
    await once(a, 'connect')
    expect(a.recovered).toBe(true)
    expect(a.id).toBe(idBefore)
    await waitFor('the missed message', () => messages.length === 1)
    expect(messages[0]![0]).toEqual({ room: 'recover-room', message: 'while you were away', from: b.id })
    expect(await emitAck(a, 'rooms')).toEqual([['recover-room']])
  })

  it('rejects malformed Socket.IO packets by closing that connection only', async () => {
    const url = `${server().urls.socketio.replace('http:', 'ws:')}/socket.io/?EIO=4&transport=websocket`
    const raw = new WebSocket(url)
    const frames: string[] = []
    raw.on('message', (d) => frames.push(d.toString()))
    await once(raw, 'open')
    await waitFor('open packet', () => frames[0]?.startsWith('0{'))
    raw.send('40')
    await waitFor('connect packet', () => frames.some((f) => f.startsWith('40{"sid"')))
    raw.send('42["joinRoom", {broken')
    const [code] = await once<number>(raw, 'close')
    expect(code).toBe(1005)
    const ok = sioClient(server().urls.socketio)
    await connected(ok)
    expect(await emitAck(ok, 'echo', 'alive')).toEqual(['alive'])
  })
})

describe('Socket.IO /admin (auth middleware)', () => {
  it('refuses a missing or wrong token with "not authorized" and data { reason, hint }', async () => {
    for (const auth of [undefined, { token: 'wrong' }]) {
      const s = sioClient(`${server().urls.socketio}/admin`, auth ? { auth } : {})
      const err = await connected(s).then(() => undefined, (e: Error & { data?: unknown }) => e)
      expect(err?.message).toBe('not authorized')
      expect(err?.data).toEqual({ reason: 'invalid token', hint: expect.stringContaining('letmein') })
      s.disconnect()
    }
    expect(server().adminToken).toBe('letmein')
  })

  it('admits auth.token "letmein": welcome, stats, announce to the main namespace', async () => {
    const admin = sioClient(`${server().urls.socketio}/admin`, { auth: { token: 'letmein' } })
    const user = sioClient(server().urls.socketio)
    const welcome = once<{ namespace: string }>(admin, 'welcome')
    await Promise.all([connected(admin), connected(user)])
    expect((await welcome)[0]).toMatchObject({ namespace: '/admin', id: admin.id })
    const [stats] = await emitAck(admin, 'stats')
    expect(stats).toMatchObject({ namespaces: { '/admin': 1 } })
    expect((stats as { namespaces: Record<string, number> }).namespaces['/']).toBeGreaterThanOrEqual(1)
    const announcements = record(user, 'announcement')
    await emitAck(admin, 'announce', 'maintenance at noon')
    await waitFor('announcement', () => announcements.length === 1)
    expect(announcements[0]![0]).toEqual({ message: 'maintenance at noon', from: 'admin' })
    expect(await emitAck(admin, 'kick', user.id)).toEqual([{ kicked: true }])
    await waitFor('the user to be kicked', () => !user.connected)
  })
})

describe('Socket.IO /ticker', () => {
  it('subscribe / unsubscribe symbol rooms, with a first quote at once and then one per tick', async () => {
    const t = sioClient(`${server().urls.socketio}/ticker`)
    await connected(t)
    const quotes = record(t, 'quote')
    expect(await emitAck(t, 'subscribe', 'aapl')).toEqual([['AAPL']])
    await waitFor('the first AAPL quote', () => quotes.length >= 1)
    expect(Object.keys(quotes[0]![0] as object).sort()).toEqual(['change', 'price', 'symbol', 'time'])
    expect(await emitAck(t, 'subscribe', { symbols: ['MSFT', 'TSLA'] })).toEqual([['AAPL', 'MSFT', 'TSLA']])
    await waitFor('several ticks', () => quotes.filter((q) => (q[0] as { symbol: string }).symbol === 'TSLA').length >= 3, 3000)
    expect(await emitAck(t, 'unsubscribe', 'AAPL')).toEqual([['MSFT', 'TSLA']])
    await sleep(50)
    const count = quotes.length
    await sleep(500)
    const later = quotes.slice(count).map((q) => (q[0] as { symbol: string }).symbol)
    expect(later.length).toBeGreaterThanOrEqual(4)
    expect(later).not.toContain('AAPL')
    expect(new Set(later)).toEqual(new Set(['MSFT', 'TSLA']))
    expect(await emitAck(t, 'subscribe', 'not a symbol!')).toEqual([{ error: expect.stringContaining('subscribe takes') }])
  })
})

describe('Socket.IO long-polling-only server', () => {
  it('stays on polling (no upgrade offered) and runs the same handlers', async () => {
    const open = await httpJson(`${server().urls.polling}/socket.io/?EIO=4&transport=polling`)
    expect(open.status).toBe(200)
    expect(JSON.parse((open.body as string).slice(1))).toMatchObject({ upgrades: [], maxPayload: 1_048_576 })
    const p = sioClient(server().urls.polling)
    await connected(p)
    await sleep(200)
    expect(p.io.engine.transport.name).toBe('polling')
    expect(await emitAck(p, 'joinRoom', 'slow-lane')).toEqual([['slow-lane']])
    expect(await emitAck(p, 'echo', 'by polling')).toEqual(['by polling'])
  })

  it('refuses a WebSocket-only client', async () => {
    const w = sioClient(server().urls.polling, { transports: ['websocket'], reconnection: false })
    await expect(connected(w)).rejects.toThrow(/websocket error/)
  })
})

describe('Socket.IO limits and CORS', () => {
  const limited = useDevServer({ maxPayload: 1000, maxConnections: 2, corsOrigins: ['http://allowed.test'] })

  it('a packet over maxPayload (maxHttpBufferSize) closes the connection', async () => {
    const a = sioClient(limited().urls.socketio, { transports: ['websocket'], reconnection: false })
    await connected(a)
    expect(a.io.engine.transport.name).toBe('websocket')
    expect(await emitAck(a, 'echo', 'x'.repeat(500))).toEqual(['x'.repeat(500)])
    const reason = once<string>(a, 'disconnect')
    a.emit('echo', 'x'.repeat(2000))
    expect((await reason)[0]).toMatch(/transport (close|error)/)
  })

  it('refuses sessions beyond maxConnections', async () => {
    const a = sioClient(limited().urls.socketio, { reconnection: false })
    const b = sioClient(limited().urls.socketio, { reconnection: false })
    await Promise.all([connected(a), connected(b)])
    const c = sioClient(limited().urls.socketio, { reconnection: false })
    const err = await connected(c).then(() => undefined, (e: Error & { context?: { status?: number } }) => e)
    expect(err?.message).toBe('xhr poll error')
    expect(err?.context?.status).toBe(403)
  })

  it('CORS: the default server reflects any origin, a list admits only its origins', async () => {
    const handshake = (base: string, origin: string) => httpJson(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } })
    const open = await handshake(server().urls.socketio, 'http://localhost:5173')
    expect(open.status).toBe(200)
    expect(open.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(open.headers.get('access-control-allow-credentials')).toBe('true')
    closeAllClients()
    await waitFor('slots to free', () => limited().status().connections.socketio === 0)
    const allowed = await handshake(limited().urls.socketio, 'http://allowed.test')
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.test')
    const denied = await handshake(limited().urls.socketio, 'http://evil.test')
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })
})

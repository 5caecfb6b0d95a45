/**
 * Issue 8's dev-server endpoints: ws:// and wss:// on one port (the study note's secure echo server on 8080),
 * `/close-after`, the HTTP-only port, and the Socket.IO variants (msgpack parser, WebSocket only, custom path), each
 * with the same namespaces and events as the main Socket.IO server.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import * as msgpackParser from 'socket.io-msgpack-parser'
import WebSocket from 'ws'
import { CUSTOM_SOCKETIO_PATH, HTTP_ONLY_PAGE } from '../../dev-server/index.ts'
import { closeAllClients, closeAllProbes, connected, controlStatus, expectUnexpectedResponse, httpJson, probe, record, sioClient, useDevServer, waitFor } from '../support/devServer.ts'

const server = useDevServer()

afterEach(() => {
  closeAllClients()
  closeAllProbes()
})

describe('ws:// and wss:// on the ws port', () => {
  it('answers both schemes on the same port with the same paths (self-signed certificate)', async () => {
    expect(server().urls.wsTls).toBe(`wss://127.0.0.1:${server().ports.ws}`)
    for (const base of [server().urls.ws, server().urls.wsTls]) {
      const p = probe(`${base}/`, undefined, { rejectUnauthorized: false })
      await p.opened
      p.ws.send('hello')
      expect(await p.take(1)).toEqual([{ data: 'echo message hello', binary: false }])
      const e = probe(`${base}/echo`, undefined, { rejectUnauthorized: false })
      await e.opened
      e.ws.send(Buffer.from([1, 2, 3]))
      expect(await e.take(1)).toEqual([{ data: Buffer.from([1, 2, 3]), binary: true }])
    }
  })

  it('really speaks TLS on wss:// (refused without trusting the certificate, accepted with it as ca)', async () => {
    const untrusted = probe(`${server().urls.wsTls}/echo`)
    await expect(untrusted.opened).rejects.toThrow(/self-signed|certificate/)
    const trusted = probe(`wss://localhost:${server().ports.ws}/echo`, undefined, { ca: server().tls.cert })
    await trusted.opened
  })

  it('serves the plain HTTP and HTTPS pages on that port too', async () => {
    const page = await httpJson(`http://127.0.0.1:${server().ports.ws}/`)
    expect(page.status).toBe(200)
    expect(String(page.body)).toContain('raw WebSocket (ws://, and the other scheme on this same port)')
    const https = await new Promise<string>((resolve, reject) => {
      import('node:https').then(({ get }) => get(`https://127.0.0.1:${server().ports.ws}/`, { rejectUnauthorized: false }, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve(body))
      }).on('error', reject), reject)
    })
    expect(https).toContain('the self-signed certificate is accepted')
  })
})

describe('/close-after', () => {
  it('accepts, echoes, then closes every connection after ms with the code (again and again)', async () => {
    for (let i = 0; i < 2; i++) {
      const p = probe(`${server().urls.ws}/close-after?ms=300&code=1011`)
      await p.opened
      p.ws.send('meanwhile')
      expect((await p.take(1))[0]?.data).toBe('meanwhile')
      expect(await p.done).toEqual({ code: 1011, reason: 'closed by /close-after after 300 ms' })
    }
    const custom = probe(`${server().urls.wsTls}/close-after?ms=0&code=4002&reason=bye`, undefined, { rejectUnauthorized: false })
    expect(await custom.done).toEqual({ code: 4002, reason: 'bye' })
  })

  it('defaults to 1011 after 1500 ms, and refuses a code a server may not send', async () => {
    const p = probe(`${server().urls.ws}/close-after`)
    await p.opened
    expect(await p.done).toEqual({ code: 1011, reason: 'closed by /close-after after 1500 ms' })
    expect(await expectUnexpectedResponse(`${server().urls.ws}/close-after?code=1006`)).toMatchObject({ status: 400 })
  })
})

describe('HTTP-only port', () => {
  it('answers GET with a small text page', async () => {
    const res = await httpJson(`${server().urls.httpOnly}/anything?x=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(res.body).toBe(HTTP_ONLY_PAGE)
  })

  it('refuses a WebSocket handshake: the page with 200, never 101', async () => {
    expect(await expectUnexpectedResponse(`ws://127.0.0.1:${server().ports.httpOnly}/`)).toEqual({ status: 200, body: HTTP_ONLY_PAGE })
    // A Socket.IO client finds no Engine.IO there either.
    const sio = sioClient(server().urls.httpOnly, { reconnection: false, timeout: 2000 })
    await expect(connected(sio)).rejects.toThrow()
  })

  it('keeps nothing open after a refused upgrade', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server().urls.httpOnly}/`, { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('upgrade', () => reject(new Error('upgraded')))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(200)
  })
})

/** The main namespace's events, the same on every Socket.IO v4 variant (one setup function). */
async function roomsAndAcks(make: () => ReturnType<typeof sioClient>): Promise<void> {
  const a = make()
  const b = make()
  await Promise.all([connected(a), connected(b)])
  const aMessages = record(a, 'message')
  const aRich = record(a, 'roomMessage')
  expect(await a.timeout(3000).emitWithAck('joinRoom', 'lobby')).toEqual(['lobby'])
  expect(await b.timeout(3000).emitWithAck('joinRoom', 'lobby')).toEqual(['lobby'])
  b.emit('message', { room: 'lobby', message: 'plain' })
  expect(await b.timeout(3000).emitWithAck('roomMessage', { room: 'lobby', message: 'rich' })).toEqual({ room: 'lobby', delivered: 1 })
  await waitFor('both messages', () => aRich.length === 1 && aMessages.some((m) => m[0] === 'plain'))
  expect(aRich[0]![0]).toEqual({ room: 'lobby', message: 'rich', from: b.id })
  expect(await a.timeout(3000).emitWithAck('echo', { n: 1 })).toEqual({ n: 1 })
}

describe('Socket.IO variants', () => {
  it('msgpack parser: a msgpack client gets the same events; a default-parser client fails', async () => {
    await roomsAndAcks(() => sioClient(server().urls.msgpack, { parser: msgpackParser }))
    const admin = sioClient(`${server().urls.msgpack}/admin`, { parser: msgpackParser, auth: { token: server().adminToken } })
    await connected(admin)
    // A binary payload travels inside the msgpack packet.
    expect(await admin.timeout(3000).emitWithAck('binary', Buffer.from([9, 8]))).toEqual(Buffer.from([9, 8]))
    const wrong = sioClient(server().urls.msgpack, { reconnection: false, timeout: 2000 })
    await expect(connected(wrong)).rejects.toThrow()
  })

  it('WebSocket only: polling is refused with "Transport unknown", a WebSocket client gets the same events', async () => {
    const polling = await httpJson(`${server().urls.websocketOnly}/socket.io/?EIO=4&transport=polling`)
    expect(polling.status).toBe(400)
    expect(polling.body).toEqual({ code: 0, message: 'Transport unknown' })
    await roomsAndAcks(() => sioClient(server().urls.websocketOnly, { transports: ['websocket'] }))
    const ticker = sioClient(`${server().urls.websocketOnly}/ticker`, { transports: ['websocket'] })
    await connected(ticker)
    expect(await ticker.timeout(3000).emitWithAck('subscribe', 'AAPL')).toEqual(['AAPL'])
  })

  it(`custom path ${CUSTOM_SOCKETIO_PATH}: the same events there; nothing at /socket.io/`, async () => {
    const handshake = await httpJson(`${server().urls.customPath}${CUSTOM_SOCKETIO_PATH}/?EIO=4&transport=polling`)
    expect(handshake.status).toBe(200)
    expect(String(handshake.body)).toMatch(/^0\{"sid":/)
    const wrongPath = await httpJson(`${server().urls.customPath}/socket.io/?EIO=4&transport=polling`)
    expect(wrongPath.status).toBe(404)
    expect(wrongPath.headers.get('access-control-allow-origin')).toBe('*')
    await roomsAndAcks(() => sioClient(server().urls.customPath, { path: CUSTOM_SOCKETIO_PATH }))
    // Upgrades to WebSocket on that path too.
    const ws = sioClient(server().urls.customPath, { path: CUSTOM_SOCKETIO_PATH, transports: ['websocket'] })
    await connected(ws)
  })

  it('are listed in urls and status on their own ports', async () => {
    for (const name of ['msgpack', 'websocketOnly', 'customPath', 'httpOnly'] as const) {
      expect(server().ports[name]).toBeGreaterThan(0)
      expect(server().urls[name]).toBe(`http://127.0.0.1:${server().ports[name]}`)
    }
    expect(new Set(Object.values(server().ports)).size).toBe(Object.keys(server().ports).length)
    const a = sioClient(server().urls.msgpack, { parser: msgpackParser })
    await connected(a)
    const status = await controlStatus(server())
    expect(status.body).toMatchObject({ ports: server().ports, urls: server().urls })
    // Sessions of earlier tests may still be closing on the server: at least this one is counted.
    expect((status.body as { connections: { msgpack: number } }).connections.msgpack).toBeGreaterThanOrEqual(1)
  })

  it('the fault controls reach them: kill-sockets cuts a variant\'s client too', async () => {
    const a = sioClient(server().urls.websocketOnly, { transports: ['websocket'] })
    await connected(a)
    const reason = new Promise<string>((resolve) => a.once('disconnect', resolve))
    server().faults.killSockets()
    expect(await reason).toMatch(/^transport (close|error)$/)
    await waitFor('a reconnect', () => a.connected, 5000)
  })
})

describe('a raw ws client of the study note', () => {
  it('echoes "echo message <message>" on both ws:// and wss:// at the same port', async () => {
    for (const url of [`ws://127.0.0.1:${server().ports.ws}`, `wss://127.0.0.1:${server().ports.ws}`]) {
      const ws = new WebSocket(url, { rejectUnauthorized: false })
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('안녕'))
        ws.on('message', (data) => resolve(data.toString()))
        ws.on('error', reject)
      })
      ws.close()
      expect(reply).toBe('echo message 안녕')
    }
  })
})

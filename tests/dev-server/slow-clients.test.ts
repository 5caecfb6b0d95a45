/**
 * Issue 11, item 6: slow clients must not starve the dev server. 1,064 half-open connections that each dripped a
 * header line every 10 s made the WebSocket echo and Socket.IO polling refuse new clients for ~90 s: the TCP cap
 * (maxConnections + 64) counted them like open sockets. Here a few hundred drippers (loopback, bounded in number and
 * time, all closed afterwards) against small limits; fresh clients must still get in, and the drippers get cut.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { connected, probe, sioClient, useDevServer, waitFor } from '../support/devServer.ts'

const DRIPPERS_PER_PORT = 150
const MAX_CONNECTIONS = 20
const MAX_PENDING = 60
const HANDSHAKE_TIMEOUT_MS = 3000

const server = useDevServer({
  maxConnections: MAX_CONNECTIONS,
  maxPendingHandshakes: MAX_PENDING,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  requestTimeoutMs: HANDSHAKE_TIMEOUT_MS * 2,
})
const drippers: Socket[] = []
const timers: NodeJS.Timeout[] = []

// Runs before the server closes (after hooks run as a stack).
afterAll(() => {
  for (const timer of timers) clearInterval(timer)
  for (const socket of drippers) socket.destroy()
})

/** Opens a connection that sends a request line and then one header line every 300 ms, never finishing. */
function drip(port: number, requestLine: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    drippers.push(socket)
    socket.on('error', () => {})
    socket.once('connect', () => {
      socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\n`)
      let n = 0
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer)
        else socket.write(`X-Drip-${n++}: 1\r\n`)
      }, 300)
      timers.push(timer)
      resolve(socket)
    })
    // Refused or cut before it connected: it still counts as tried.
    socket.once('close', () => resolve(socket))
  })
}

describe('slow clients', () => {
  it('a crowd of half-open, dripping connections neither locks out new clients nor stays forever', async () => {
    await Promise.all([
      ...Array.from({ length: DRIPPERS_PER_PORT }, () => drip(server().ports.ws, 'GET /echo HTTP/1.1')),
      ...Array.from({ length: DRIPPERS_PER_PORT }, () => drip(server().ports.socketio, 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1')),
    ])
    // They are counted apart from the open sockets, within their own budget.
    expect(server().status().pendingHandshakes).toBeLessThanOrEqual(2 * MAX_PENDING)
    expect(server().status().connections).toMatchObject({ ws: 0, socketio: 0 })

    // A fresh WebSocket echo client and a fresh Socket.IO polling client get in at once (bounded waits, no timing asserted).
    const echo = probe(`${server().urls.ws}/echo`)
    await echo.opened
    echo.ws.send('through the crowd')
    expect((await echo.take(1))[0]?.data).toBe('through the crowd')
    const polling = sioClient(server().urls.socketio, { transports: ['polling'], reconnection: false })
    await connected(polling)
    expect(await polling.timeout(3000).emitWithAck('echo', 'polling too')).toBe('polling too')

    // The cap counts open sockets only: every one of maxConnections WebSockets opens while the drippers are there.
    const open = Array.from({ length: MAX_CONNECTIONS - 1 }, () => probe(`${server().urls.ws}/echo`))
    await Promise.all(open.map((p) => p.opened))
    expect(server().status().connections.ws).toBe(MAX_CONNECTIONS)

    // Every dripper is cut within the handshake timeout (plus Node's check interval), not kept for minutes.
    await waitFor('every dripping connection to be cut', () => drippers.every((s) => s.destroyed || s.readableEnded), HANDSHAKE_TIMEOUT_MS * 4)
    expect(echo.closed).toBeUndefined()
    expect(polling.connected).toBe(true)
  })

  it('a request whose body drips in slower than the request timeout is cut', async () => {
    const socket = connect(server().ports.socketio, '127.0.0.1')
    drippers.push(socket)
    socket.on('error', () => {})
    socket.resume()
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write(`POST /socket.io/?EIO=4&transport=polling&sid=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n`)
    const timer = setInterval(() => {
      if (socket.destroyed) clearInterval(timer)
      else socket.write('4')
    }, 300)
    timers.push(timer)
    await waitFor('the server to cut the slow request', () => socket.destroyed || socket.readableEnded, HANDSHAKE_TIMEOUT_MS * 2 * 4)
  })

  it('a connection that sends nothing at all is cut after the handshake timeout, on every server', async () => {
    const ports = [server().ports.ws, server().ports.wss, server().ports.socketio, server().ports.polling, server().ports.socketioV2, server().ports.msgpack,
      server().ports.websocketOnly, server().ports.customPath, server().ports.httpOnly, server().ports.control]
    const silent = await Promise.all(ports.map((port) => new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket))
      drippers.push(socket)
      socket.on('error', () => {})
      socket.resume()
    })))
    await waitFor('the server to cut every silent connection', () => silent.every((s) => s.destroyed || s.readableEnded), HANDSHAKE_TIMEOUT_MS * 4)
  })
})

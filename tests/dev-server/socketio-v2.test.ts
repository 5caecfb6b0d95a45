/**
 * The Socket.IO v2 server (Engine.IO 3) as startDevServer serves it: real socket.io-client 2 sessions (the
 * `socket.io-client-v2` alias), the options startDevServer hands it, and the faults that reach it.
 */
import ioV2 from 'socket.io-client-v2'
import type { Socket as V2Socket } from 'socket.io-client-v2'
import { afterEach, describe, expect, it } from 'vitest'
import { controlStatus, httpJson, once, useDevServer, waitFor } from '../support/devServer.ts'

// Non-default values prove that startDevServer passes its own options to the v2 server.
const ADMIN_TOKEN = 'sesame'
const PING_INTERVAL = 700
const PING_TIMEOUT = 4000

const server = useDevServer({ adminToken: ADMIN_TOKEN, pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT })
const clients = new Set<V2Socket>()

afterEach(() => {
  for (const socket of clients) {
    socket.io.reconnection(false)
    socket.close()
  }
  clients.clear()
})

/** A socket.io-client 2 socket, closed after each test. `forceNew`: one Manager (one Engine.IO session) each. */
function v2Client(url: string, transports: string[] = ['websocket']): V2Socket {
  const socket = ioV2(url, { forceNew: true, transports, reconnectionDelay: 50, reconnectionDelayMax: 200, timeout: 3000 })
  clients.add(socket)
  return socket
}

/** v2 has no `timeout()`: the test's own timer bounds the wait for an ack. */
function emitAck(socket: V2Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}"`)), 3000)
    socket.emit(event, ...args, (...reply: unknown[]) => {
      clearTimeout(timer)
      resolve(reply)
    })
  })
}

async function connectedWithWelcome(socket: V2Socket): Promise<Record<string, unknown>> {
  const [welcome] = await once(socket, 'welcome')
  expect(socket.connected).toBe(true)
  return welcome as Record<string, unknown>
}

describe('Socket.IO v2 through startDevServer', () => {
  it('listens on its own port and is listed in urls and status', async () => {
    expect(server().urls.socketioV2).toBe(`http://127.0.0.1:${server().ports.socketioV2}`)
    expect(server().ports.socketioV2).toBeGreaterThan(0)
    expect(new Set(Object.values(server().ports)).size).toBe(Object.keys(server().ports).length)
    const status = await controlStatus(server())
    expect(status.body).toMatchObject({ ports: { socketioV2: server().ports.socketioV2 }, urls: { socketioV2: server().urls.socketioV2 }, connections: { socketioV2: 0 } })
  })

  it('answers an Engine.IO 3 polling handshake: length-prefixed, with the dev server\'s heartbeat settings', async () => {
    // EIO=3 framing is `<length>:<packet>` (PROTOCOL.md, "Versions"); `0` is OPEN, then `40` connects `/` unprompted.
    const res = await httpJson(`${server().urls.socketioV2}/socket.io/?EIO=3&transport=polling`)
    expect(res.status).toBe(200)
    const body = String(res.body)
    expect(body).toMatch(/^\d+:0\{/)
    const open = /^(\d+):0(\{.*?\})2:40$/.exec(body)
    expect(open).not.toBeNull()
    const handshake = JSON.parse(open![2]!) as Record<string, unknown>
    expect(Number(open![1])).toBe(1 + open![2]!.length)
    expect(handshake).toEqual({ sid: expect.any(String), upgrades: ['websocket'], pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT })
    expect(server().status().connections.socketioV2).toBe(1)
    // Engine.IO 3 CLOSE (`1`), length-prefixed, ends the session at once instead of after a missed heartbeat.
    const close = await fetch(`${server().urls.socketioV2}/socket.io/?EIO=3&transport=polling&sid=${String(handshake.sid)}`, { method: 'POST', body: '1:1' })
    expect(await close.text()).toBe('ok')
    await waitFor('the session to end', () => server().status().connections.socketioV2 === 0)
  })

  for (const transport of ['websocket', 'polling'] as const) {
    it(`connects a socket.io-client 2 on ${transport}, welcomes it and acknowledges echo with its arguments`, async () => {
      const socket = v2Client(server().urls.socketioV2, [transport])
      const welcome = await connectedWithWelcome(socket)
      expect(welcome).toMatchObject({ id: socket.id, namespace: '/', transport, message: 'Welcome to the SocketLens dev server (Socket.IO v2)' })
      expect(socket.io.engine?.pingInterval).toBe(PING_INTERVAL)
      expect(await emitAck(socket, 'echo', 'hello', { n: 1 }, [true, null])).toEqual(['hello', { n: 1 }, [true, null]])
      // The previous test's sessions may still be closing: wait for exactly this one.
      await waitFor('one v2 session', () => server().status().connections.socketioV2 === 1)
    })
  }

  it('guards /admin with the dev server\'s admin token in the query string', async () => {
    const refused = v2Client(`${server().urls.socketioV2}/admin?token=letmein`)
    // v2 refuses with an ERROR packet carrying a string, surfaced as the socket's `error` event.
    expect(await once(refused, 'error')).toEqual(['not authorized'])
    expect(refused.connected).toBe(false)

    const admitted = v2Client(`${server().urls.socketioV2}/admin?token=${ADMIN_TOKEN}`)
    expect(await connectedWithWelcome(admitted)).toMatchObject({ namespace: '/admin', message: 'Authorized: welcome to /admin (Socket.IO v2)' })
    expect(await emitAck(admitted, 'echo', 42)).toEqual([42])
  })

  it('killSockets() cuts its sessions too: the client sees transport close and reconnects', async () => {
    const socket = v2Client(server().urls.socketioV2)
    await connectedWithWelcome(socket)
    const firstId = socket.id
    const disconnected = once(socket, 'disconnect')
    const reconnected = once(socket.io, 'reconnect')
    server().faults.killSockets()
    expect(await disconnected).toEqual(['transport close'])
    expect(await reconnected).toEqual([1])
    await waitFor('the reconnected socket', () => socket.connected)
    // v2 has no connection state recovery: a new session, a new id.
    expect(socket.id).not.toBe(firstId)
    expect(await emitAck(socket, 'echo', 'again')).toEqual(['again'])
  })

  it('restart() stops it and listens again on the same port', async () => {
    const socket = v2Client(server().urls.socketioV2)
    await connectedWithWelcome(socket)
    const port = server().ports.socketioV2
    const restarts = server().status().restarts
    const disconnected = once(socket, 'disconnect')
    await server().restart()
    expect(await disconnected).toEqual(['transport close'])
    expect(server().ports.socketioV2).toBe(port)
    expect(server().status().restarts).toBe(restarts + 1)
    await once(socket, 'welcome')
    expect(await emitAck(socket, 'echo', 'after restart')).toEqual(['after restart'])
    await waitFor('one session after the restart', () => server().status().connections.socketioV2 === 1)
  })
})

import type { AddressInfo, Socket } from 'node:net'
import type { Socket as IoSocket } from 'socket.io'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type Server as NetServer } from 'node:net'
import { Server as SocketIoServer } from 'socket.io'
import { WebSocketServer } from 'ws'

/**
 * Servers that behave badly on purpose, for the reliability suite (bench/reliability.ts). Loopback only, free ports,
 * every loop bounded in count and time; `close()` ends every connection.
 */

/** Markup and script in every place a server can put text: none of it may run or become an element. */
export const XSS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '"><svg onload="window.__xss=(window.__xss||0)+1">',
  'javascript:window.__xss=1',
  '{{constructor.constructor(\'window.__xss=1\')()}}',
] as const

/** A value nested `depth` levels deep, built without recursion. */
export function nested(depth: number): unknown {
  let value: unknown = []
  for (let i = 1; i < depth; i++) value = [value]
  return value
}

export interface HostileServers {
  /** Raw WebSocket: `/xss`, `/big?mb=64`, `/deep-text?depth=10000`, `/flood?rate=50000&seconds=30`. */
  ws: string
  /**
   * Socket.IO v4 (polling and websocket): answers `hostile` emits with `xss`, `deep`, `many-args`, `batch`;
   * the namespace `/reject` refuses every connection with markup in its error message and data.
   */
  socketio: string
  /** The same server with polling only, so `batch` arrives as one polling response. */
  socketioPolling: string
  /** Accepts TCP and never answers. */
  silent: string
  /** Reads the handshake request, then closes the connection without an answer. */
  closesDuringHandshake: string
  /** Frames the flood endpoint has sent so far (all connections). */
  floodSent: () => number
  /** When the flood endpoint queued its first and its last frame (Date.now()), over all connections. */
  floodSpan: () => { first: number, last: number }
  close: () => Promise<void>
}

export async function startHostileServers(): Promise<HostileServers> {
  const sockets = new Set<Socket>()
  const track = (server: HttpServer | NetServer) => server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const timers = new Set<ReturnType<typeof setInterval>>()
  let floodSent = 0
  const floodSpan = { first: 0, last: 0 }

  // Raw WebSocket
  const wsHttp = createHttpServer((_req, res) => res.writeHead(426).end('WebSocket only'))
  track(wsHttp)
  const wss = new WebSocketServer({ server: wsHttp, maxPayload: 1024 })
  wss.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const number = (name: string, fallback: number, max: number) => Math.min(max, Math.max(1, Number(url.searchParams.get(name)) || fallback))
    switch (url.pathname) {
      case '/xss':
        for (const text of XSS) socket.send(text)
        socket.send(JSON.stringify({ html: XSS[0], [XSS[1]]: XSS[2] }))
        socket.send(Buffer.from(XSS[0]))
        socket.close(4000, XSS[0].slice(0, 60))
        break
      case '/big':
        socket.send('x'.repeat(number('mb', 64, 128) * 2 ** 20))
        break
      case '/deep-text': {
        const depth = number('depth', 10_000, 100_000)
        socket.send('['.repeat(depth) + ']'.repeat(depth))
        socket.send(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
        break
      }
      case '/flood': {
        // A sustained rate for a bounded time: every 10 ms, send what the clock says is due (catching up after a late tick).
        const rate = number('rate', 50_000, 200_000)
        const total = rate * number('seconds', 30, 120)
        const frame = JSON.stringify({ t: 0, pad: 'x'.repeat(60) })
        const started = Date.now()
        let sent = 0
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor((Date.now() - started) * rate / 1000))
          if (socket.readyState !== socket.OPEN || sent >= total) {
            clearInterval(timer)
            timers.delete(timer)
            return
          }
          const from = sent
          for (; sent < due; sent++) socket.send(frame)
          floodSent += sent - from
          if (sent > from) {
            floodSpan.first ||= Date.now()
            floodSpan.last = Date.now()
          }
        }, 10)
        timers.add(timer)
        break
      }
      default:
        socket.close(4404, 'unknown path')
    }
  })

  // Socket.IO v4
  const sioHttp = createHttpServer()
  track(sioHttp)
  const io = new SocketIoServer(sioHttp, { cors: { origin: '*' }, maxHttpBufferSize: 1e8 })
  const pollingHttp = createHttpServer()
  track(pollingHttp)
  const pollingIo = new SocketIoServer(pollingHttp, { cors: { origin: '*' }, transports: ['polling'], maxHttpBufferSize: 1e8 })
  for (const server of [io, pollingIo]) {
    server.of('/reject').use((_socket, next) => next(Object.assign(new Error(XSS[0]), { data: { html: XSS[1] } })))
    server.on('connection', socket => answerHostile(socket))
  }
  function answerHostile(socket: IoSocket): void {
    socket.on('hostile', (what: unknown) => {
      switch (what) {
        case 'xss':
          for (const text of XSS) socket.emit(text, text, { [text]: text })
          socket.emit('ack-me', XSS[0], () => {})
          break
        case 'deep':
          socket.emit('deep', nested(2_000))
          // socket.io's own encoder recurses (hasBinary) and overflows at this depth: write the EVENT packet as text.
          socket.conn.write(`2["deeper",${'['.repeat(10_000)}${']'.repeat(10_000)}]`)
          break
        case 'many-args':
          socket.emit('many', ...Array.from({ length: 10_000 }, (_, i) => i))
          break
        case 'batch':
          // Emitted in one tick: a polling client receives them in one batch (Engine.IO joins the write buffer).
          for (let i = 0; i < 1_000; i++) socket.emit('batch', i)
          break
        default:
          socket.emit('unknown', String(what).slice(0, 100))
      }
    })
    socket.on('disconnect-me', () => socket.disconnect(true))
  }

  // TCP-level misbehaviour
  const silent = createNetServer(() => {})
  track(silent)
  const closing = createNetServer((socket) => {
    socket.once('data', () => socket.destroy())
  })
  track(closing)

  const listen = async (server: HttpServer | NetServer) => {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
    return (server.address() as AddressInfo).port
  }
  const [wsPort, sioPort, pollingPort, silentPort, closingPort] = await Promise.all([listen(wsHttp), listen(sioHttp), listen(pollingHttp), listen(silent), listen(closing)])
  return {
    ws: `ws://127.0.0.1:${wsPort}`,
    socketio: `http://127.0.0.1:${sioPort}`,
    socketioPolling: `http://127.0.0.1:${pollingPort}`,
    silent: `ws://127.0.0.1:${silentPort}/`,
    closesDuringHandshake: `ws://127.0.0.1:${closingPort}/`,
    floodSent: () => floodSent,
    floodSpan: () => ({ ...floodSpan }),
    async close() {
      for (const timer of timers) clearInterval(timer)
      for (const client of wss.clients) client.terminate()
      await Promise.all([io, pollingIo].map(server => new Promise<void>(resolve => server.close(() => resolve()))))
      for (const socket of sockets) socket.destroy()
      await Promise.all([wsHttp, silent, closing].map(server => new Promise<void>(resolve => server.close(() => resolve()))))
    },
  }
}

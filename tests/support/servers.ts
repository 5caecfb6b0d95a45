/**
 * Servers of a test's own on 127.0.0.1, for the failures the dev server does not produce: an HTTP server with a
 * handler of the test's choosing, a Socket.IO server that never acknowledges, and a WebSocket server that plays a few
 * Engine.IO frames. Each is closed by `closeLoopbackServers()`, which a suite calls in its `afterEach`.
 */
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http'
import { Server as SocketIoServer, type ServerOptions as SocketIoServerOptions } from 'socket.io'
import { WebSocketServer } from 'ws'
import { listenOnLoopback } from './ports'

const closers: (() => Promise<void>)[] = []

/** Closes every server started here and not closed yet, the newest first. */
export async function closeLoopbackServers(): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close()
}

/** An HTTP server on a free loopback port; its connections are cut when it closes. */
export async function httpServer(handler?: RequestListener): Promise<{ server: HttpServer, url: string }> {
  const server = handler ? createHttpServer(handler) : createHttpServer()
  const port = await listenOnLoopback(server)
  closers.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  return { server, url: `http://127.0.0.1:${port}` }
}

/** A Socket.IO v4 server of the test's own: it has no `connection` handler, so no event is ever acknowledged. */
export async function socketIoServer(options: Partial<SocketIoServerOptions> = {}): Promise<{ io: SocketIoServer, url: string }> {
  const { server, url } = await httpServer()
  const io = new SocketIoServer(server, options)
  // Closers run newest first, so this runs before the HTTP server's: Socket.IO disconnects its clients cleanly first.
  closers.push(async () => {
    const closed = io.close()
    // io.close() resolves once the HTTP server has closed, which waits for every connection to end, an idle
    // keep-alive one a browser still holds included (an e2e afterEach once waited out its 120 s for it): after a
    // grace period for the clean disconnects, cut what is left.
    const grace = new Promise<void>(resolve => setTimeout(resolve, 2_000).unref())
    await Promise.race([closed, grace])
    server.closeAllConnections()
    await closed
  })
  return { io, url }
}

/**
 * A WebSocket server on /socket.io/ that sends each client `frames` as it connects, then ignores it: just enough
 * of an Engine.IO server to play one that misbehaves (or speaks another protocol version).
 */
export async function scriptedEngineIoServer(frames: string[]): Promise<{ url: string }> {
  const { server, url } = await httpServer()
  const wss = new WebSocketServer({ server, path: '/socket.io/' })
  wss.on('connection', (ws) => {
    for (const frame of frames) ws.send(frame)
  })
  closers.push(() => new Promise<void>((resolve) => {
    for (const client of wss.clients) client.terminate()
    wss.close(() => resolve())
  }))
  return { url }
}

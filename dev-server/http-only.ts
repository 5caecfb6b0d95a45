/**
 * A port that speaks plain HTTP and nothing else, like any web server that knows nothing of WebSocket: every request
 * (a WebSocket handshake too) gets the same small text page with 200, so a WebSocket client sees an answer that is
 * not `101 Switching Protocols` (a browser: close 1006), and a `fetch` sees that something answers HTTP here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { ConnectionTracker, PendingHandshakes, closeServer, httpServerLimits, listen, type SlowClientLimits } from './net-util.ts'
import type { Log } from './types.ts'

export interface HttpOnlyEndpoint {
  readonly port: number
  kill(): void
  close(): Promise<void>
}

export const HTTP_ONLY_PAGE = [
  'SocketLens dev server — an HTTP-only port',
  'This server answers plain HTTP and does not speak WebSocket or Socket.IO: a WebSocket handshake here gets this page',
  'with 200 instead of 101 Switching Protocols (a browser reports close 1006).',
  '',
].join('\n')

export async function startHttpOnly(options: {
  host: string
  port: number
  limits: SlowClientLimits
  maxConnections: number
  log: Log
}): Promise<HttpOnlyEndpoint> {
  const tracker = new ConnectionTracker()
  const pending = new PendingHandshakes(options.limits)
  const server = createServer(httpServerLimits(options.limits), (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.upgrade) options.log(`[http-only] answered a ${req.headers.upgrade} upgrade request for ${req.url ?? '/'} with 200 (no upgrade here)`)
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Connection': 'close' })
    res.end(req.method === 'HEAD' ? undefined : HTTP_ONLY_PAGE)
  })
  // No 'upgrade' listener: Node then hands a WebSocket handshake to the request handler above, as a server that
  // knows nothing of upgrades would treat it.
  tracker.track(server)
  pending.watch(server, { upgrades: false })
  server.maxConnections = options.maxConnections + options.limits.maxPendingHandshakes + 64
  server.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    socket.destroy()
  })
  const port = await listen(server, options.port, options.host)
  return {
    port,
    kill: () => tracker.destroyAll(),
    close: async () => {
      pending.clear()
      await closeServer(server, tracker)
    },
  }
}

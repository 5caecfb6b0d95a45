import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

export interface SocketIoFloodServer {
  /** `http://127.0.0.1:port` — connect to the `/flood` namespace. */
  url: string
  /** The socket.io-client browser bundle this server serves (for the bare page). */
  clientScriptUrl: string
  close: () => Promise<void>
}

/**
 * A Socket.IO v4 server whose `/flood` namespace sends `events` events of about `size` bytes on the wire to each
 * client, as fast as the engine takes them. The dev server has no such endpoint (it is a benchmark tool, not a demo).
 * The flood waits until the session has upgraded to WebSocket, so the bare page and the app measure the same
 * transport whatever their transport list.
 */
export async function startSocketIoFlood(events: number, size: number): Promise<SocketIoFloodServer> {
  const http = createServer()
  const io = new Server(http, { cors: { origin: '*' }, serveClient: true, maxHttpBufferSize: 1e6 })
  // `42/flood,["f","…"]`: 17 characters of framing around the string.
  const payload = 'x'.repeat(Math.max(1, size - 17))
  io.of('/flood').on('connection', (socket) => {
    const flood = () => {
      for (let i = 0; i < events; i++) socket.emit('f', payload)
    }
    if (socket.conn.transport.name === 'websocket') flood()
    else socket.conn.once('upgrade', flood)
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    clientScriptUrl: `http://127.0.0.1:${port}/socket.io/socket.io.min.js`,
    close: () => new Promise<void>((resolve) => {
      io.disconnectSockets(true)
      void io.close(() => resolve())
    }),
  }
}

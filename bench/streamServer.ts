import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface StreamServer {
  /** `ws://127.0.0.1:port/` — every connection gets its own stream. */
  url: string
  /** Frames sent and frames skipped (the socket's buffer was full) over all connections so far. */
  stats: () => { sent: number, skipped: number }
  close: () => Promise<void>
}

/**
 * A raw WebSocket server that streams text frames of `size` bytes at a steady `rate` a second to each client, for
 * the soak scenario (`bench/run.ts --soak`): a sustained stream, not a burst. Every 10 ms it sends what is due by the
 * clock. When the client does not keep up (over 4 MiB waiting in the socket) it skips the due frames and counts them,
 * so a slow client shows as a lower received rate, never as an ever-growing server buffer.
 */
export async function startStreamServer(rate: number, size: number): Promise<StreamServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>(resolve => server.once('listening', () => resolve()))
  let sent = 0
  let skipped = 0
  const timers = new Set<ReturnType<typeof setInterval>>()
  const filler = 'x'.repeat(size)
  server.on('connection', (ws: WebSocket) => {
    const started = performance.now()
    let due = 0
    let seq = 0
    const timer = setInterval(() => {
      const target = Math.floor((performance.now() - started) * rate / 1000)
      const count = target - due
      due = target
      if (ws.bufferedAmount > 4 * 1024 * 1024) {
        skipped += count
        return
      }
      for (let i = 0; i < count; i++) {
        const head = `${seq++}:`
        ws.send(head + filler.slice(head.length))
      }
      sent += count
    }, 10)
    timers.add(timer)
    ws.on('close', () => {
      clearInterval(timer)
      timers.delete(timer)
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}/`,
    stats: () => ({ sent, skipped }),
    close: () => new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer)
      for (const client of server.clients) client.terminate()
      server.close(() => resolve())
    }),
  }
}

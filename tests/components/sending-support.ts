/** Helpers of the sending suites (issue 10): a recording WebSocket server and a session connected to it. */
import { markRaw } from 'vue'
import { expect, vi } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import WsClient from 'ws'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import type { Session } from '../../src/stores/session'

/** A WebSocket server of the test's own that records each message it receives, in order. */
export async function recordingServer(): Promise<{ url: string, received: string[], sockets: ServerSocket[], close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>(resolve => server.once('listening', () => resolve()))
  const received: string[] = []
  const sockets: ServerSocket[] = []
  server.on('connection', (socket) => {
    sockets.push(socket)
    socket.on('message', data => received.push(String(data)))
  })
  const { port } = server.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/`,
    received,
    sockets,
    close: () => new Promise<void>((resolve) => {
      for (const c of server.clients) c.terminate()
      server.close(() => resolve())
    }),
  }
}

/** Node has no browser WebSocket: the session's driver is the app's own, on the `ws` package's constructor. */
export async function connectWs(session: Session, url: string): Promise<void> {
  session.url = url
  const driver = createWebSocketDriver({ url, WebSocket: WsClient as unknown as typeof WebSocket, probe: false, reconnect: { enabled: false } }, (e) => { session.timeline.append(e) }, { onState: (state) => { session.state = state } })
  session.driver = markRaw(driver)
  driver.connect()
  await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 5000 })
}

/** The text frames the session's timeline recorded as sent. */
export function sentFrames(session: Session): string[] {
  return [...session.timeline.iterate()].filter(e => e.layer === 'wire' && e.kind === 'frame' && e.dir === 'out').map(e => String((e as { data?: unknown }).data))
}

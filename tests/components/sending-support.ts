/** Helpers of the sending suites (issue 10): a recording WebSocket server and a session connected to it. */
import { markRaw } from 'vue'
import { expect, vi } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import WsClient from 'ws'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import type { Session } from '../../src/stores/session'
import { useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument } from '../support/mount'

type RecordingServer = { url: string, received: string[], sockets: ServerSocket[], close: () => Promise<void> }

const opened: RecordingServer[] = []

/** Closes every recording server the test opened; the suites call it after each test. */
export async function closeRecordingServers(): Promise<void> {
  for (const server of opened.splice(0)) await server.close()
}

/** A WebSocket server of the test's own that records each message it receives, in order. */
export async function recordingServer(): Promise<RecordingServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>(resolve => server.once('listening', () => resolve()))
  const received: string[] = []
  const sockets: ServerSocket[] = []
  server.on('connection', (socket) => {
    sockets.push(socket)
    socket.on('message', data => received.push(String(data)))
  })
  const { port } = server.address() as { port: number }
  const recording: RecordingServer = {
    url: `ws://127.0.0.1:${port}/`,
    received,
    sockets,
    close: () => new Promise<void>((resolve) => {
      for (const c of server.clients) c.terminate()
      server.close(() => resolve())
    }),
  }
  opened.push(recording)
  return recording
}

/** Node has no browser WebSocket: the session's driver is the app's own, on the `ws` package's constructor. */
export async function connectWs(session: Session, url: string): Promise<void> {
  session.url = url
  const driver = createWebSocketDriver({ url, WebSocket: WsClient as unknown as typeof WebSocket, probe: false, reconnect: { enabled: false } }, (e) => { session.timeline.append(e) }, { onState: (state) => { session.state = state } })
  session.driver = markRaw(driver)
  driver.connect()
  await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 5000 })
}

/** A recording server, and a new WebSocket session of the sessions store connected to it. */
export async function connectedWsSession(): Promise<{ server: RecordingServer, sessions: ReturnType<typeof useSessionsStore>, session: Session }> {
  const server = await recordingServer()
  const sessions = useSessionsStore()
  const session = sessions.add({ type: 'ws' })
  await connectWs(session, server.url)
  return { server, sessions, session }
}

/** `connectedWsSession`, with the composer mounted on the session. */
export async function connectedComposer() {
  const connected = await connectedWsSession()
  return { ...connected, wrapper: mountInDocument(ComposerPanel, { props: { session: connected.session } }) }
}

/** The text frames the session's timeline recorded as sent. */
export function sentFrames(session: Session): string[] {
  return [...session.timeline.iterate()].filter(e => e.layer === 'wire' && e.kind === 'frame' && e.dir === 'out').map(e => String((e as { data?: unknown }).data))
}

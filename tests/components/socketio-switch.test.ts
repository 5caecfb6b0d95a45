/**
 * Issue 8, case 5: when the raw WebSocket's probe found a Socket.IO server, the banner offers "Switch to Socket.IO";
 * one click speaks Socket.IO to the same server (default namespace) through the sessions store, keeping the
 * timeline. Against a real Socket.IO server of this test's own (the dev server does not load under happy-dom), over
 * real sockets.
 */
import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server as SocketIoServer } from 'socket.io'
import SocketIoSwitchOffer from '../../src/components/connection/SocketIoSwitchOffer.vue'
import { socketIoServerOf, useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument, unmountAll } from '../support/mount'
import { diagnosisText, makeDiagnosis } from '../../src/protocol/diagnose'

let http: HttpServer
let io: SocketIoServer
let port: number
let store: ReturnType<typeof useSessionsStore>

beforeAll(async () => {
  http = createServer()
  io = new SocketIoServer(http, { cors: { origin: '*' } })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  port = (http.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise(resolve => io?.close(resolve))
})

beforeEach(() => {
  setActivePinia(createPinia())
  store = useSessionsStore()
})

afterEach(() => {
  unmountAll()
  for (const session of [...store.sessions]) store.close(session.id)
})

const SOCKETIO_SERVER = makeDiagnosis('socketio-server', 'default', { where: '127.0.0.1:3000', eio: 4, path: '/' })

/** What the WebSocket driver appends when its probe found a Socket.IO server. */
function probedFailure(session: ReturnType<typeof store.add>) {
  return session.timeline.append({
    time: Date.now(), layer: 'lifecycle', kind: 'error', dir: 'local', explain: diagnosisText(SOCKETIO_SERVER, 'explanation'),
    detail: { diagnosis: SOCKETIO_SERVER, probed: true },
  })
}

describe('socketIoServerOf', () => {
  it.each([
    ['ws://localhost:3000/', 'http://localhost:3000/'],
    ['wss://example.org/chat?x=1', 'https://example.org/'],
    ['ws://[::1]:3000/socket.io/?EIO=4&transport=websocket', 'http://[::1]:3000/'],
  ])('%s → %s', (ws, sio) => {
    expect(socketIoServerOf(ws)).toBe(sio)
  })
  it('nothing for text that is no URL, or another scheme', () => {
    expect(socketIoServerOf('not a url')).toBeUndefined()
    expect(socketIoServerOf('ftp://x/')).toBeUndefined()
  })
})

describe('Switch to Socket.IO', () => {
  it('is offered only for the socketio-server diagnosis on a raw WebSocket session', () => {
    const session = store.add({ url: 'ws://127.0.0.1:3000/', type: 'ws' })
    const event = probedFailure(session)
    const other = session.timeline.append({ time: Date.now(), layer: 'lifecycle', kind: 'error', dir: 'local', detail: { diagnosis: 'nothing-listening' } })
    expect(mountInDocument(SocketIoSwitchOffer, { props: { session, event } }).find('button').text()).toBe('Switch to Socket.IO')
    expect(mountInDocument(SocketIoSwitchOffer, { props: { session, event: other } }).find('button').exists()).toBe(false)
  })

  it('one click connects with Socket.IO to the same server and keeps the timeline', async () => {
    const session = store.add({ url: `ws://127.0.0.1:${port}/some/path`, type: 'ws' })
    const event = probedFailure(session)
    const wrapper = mountInDocument(SocketIoSwitchOffer, { props: { session, event } })
    await wrapper.get('button').trigger('click')
    expect(session.type).toBe('socketio')
    expect(session.url).toBe(`http://127.0.0.1:${port}/`)
    await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
    const events = [...session.timeline.iterate()]
    expect(events[0]).toMatchObject({ kind: 'error', detail: { diagnosis: { id: 'socketio-server' } } })
    expect(events.some(e => e.layer === 'lifecycle' && e.kind === 'connect')).toBe(true)
  })
})

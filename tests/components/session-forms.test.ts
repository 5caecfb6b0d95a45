/**
 * The session's forms change it only through the sessions store's actions (issue 9: one way to change a session),
 * and speak English or Korean. Sending, acknowledgements and rooms go to a real Socket.IO server of this test's own
 * (the dev server does not load under happy-dom), over real sockets.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import ClientVersionOffer from '../../src/components/connection/ClientVersionOffer.vue'
import ConnectionBar from '../../src/components/connection/ConnectionBar.vue'
import ConnectionOptions from '../../src/components/connection/ConnectionOptions.vue'
import RoomsPanel from '../../src/components/rooms/RoomsPanel.vue'
import ListenersPanel from '../../src/components/socketio/ListenersPanel.vue'
import NamespacesPanel from '../../src/components/socketio/NamespacesPanel.vue'
import { setLocale } from '../../src/i18n'
import { useSessionsStore } from '../../src/stores/sessions'
import { useStoreActions } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closedPort } from '../support/ports'
import { closeLoopbackServers, socketIoServer } from '../support/servers'

let store: ReturnType<typeof useSessionsStore>

// Registered first, so it runs last: after the sessions close (after hooks run as a stack).
afterEach(() => closeLoopbackServers())
/** Every action the store ran while a test mounted components: proof that the change went through one. */
const actions = useStoreActions()
beforeEach(() => {
  store = useSessionsStore()
})

/** A new session; the actions count from here. */
function newSession(init: Parameters<typeof store.add>[0]) {
  const session = store.add(init)
  actions.length = 0
  return session
}

/** A Socket.IO server that acknowledges every event with `["ok"]` and puts sockets into the rooms they ask for. */
async function ackingServer(): Promise<string> {
  const { io, url } = await socketIoServer({ cors: { origin: '*' } })
  io.on('connection', (socket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1)
      if (event === 'joinRoom') void socket.join(String(args[0]))
      if (typeof ack === 'function') (ack as (...a: unknown[]) => void)('ok')
    })
  })
  return url
}

describe('connection options', () => {
  it('change the session through the store, keep the transports in order, and leave an emptied number to the default', async () => {
    const session = newSession({ url: 'http://127.0.0.1:1', type: 'socketio' })
    const wrapper = mountInDocument(ConnectionOptions, { props: { session } })
    const boxes = wrapper.findAll('fieldset')[1]!.findAll('input[type="checkbox"]')
    await boxes[0]!.setValue(false) // polling off
    await boxes[2]!.setValue(true) // webtransport on
    await boxes[0]!.setValue(true) // polling on again: first, not last
    expect(session.sio.transports).toEqual(['polling', 'websocket', 'webtransport'])
    const path = wrapper.get('input[placeholder="/socket.io"]')
    await path.setValue('/realtime/io')
    expect(session.sio.path).toBe('/realtime/io')
    const attempts = wrapper.findAll('input[type="number"]').find(i => i.element.parentElement?.textContent?.startsWith('Attempts'))!
    await attempts.setValue('3')
    expect(session.sio.reconnectionAttempts).toBe(3)
    await attempts.setValue('')
    expect(session.sio.reconnectionAttempts).toBeNaN()
    expect((attempts.element as HTMLInputElement).value).toBe('')
    expect(actions).toEqual(expect.arrayContaining(['setTransport', 'updateSocketIoSettings']))
    expect(actions.every(name => name === 'setTransport' || name === 'updateSocketIoSettings')).toBe(true)
  })

  it('raw WebSocket options too', async () => {
    const session = newSession({ url: 'ws://127.0.0.1:1', type: 'ws' })
    const wrapper = mountInDocument(ConnectionOptions, { props: { session } })
    await wrapper.get('input.mono').setValue('chat.v1, chat.v2')
    await wrapper.get('input[type="checkbox"]').setValue(false)
    expect(session.ws.protocols).toBe('chat.v1, chat.v2')
    expect(session.ws.reconnect).toBe(false)
    expect(actions).toEqual(['updateWebSocketSettings', 'updateWebSocketSettings'])
  })

  it('a read-only (imported) session takes no edits', () => {
    const session = newSession({ url: 'ws://127.0.0.1:1', type: 'ws' })
    session.readOnly = true
    store.updateWebSocketSettings(session, { protocols: 'x' })
    store.setUrl(session, 'http://elsewhere')
    store.updateComposer(session, { message: 'x' })
    expect(session.ws.protocols).toBe('')
    expect(session.url).toBe('ws://127.0.0.1:1')
    expect(session.composer.message).toBe('')
  })
})

describe('the banner\'s retry offer', () => {
  it('retries with what the driver found through the store, and names it in the UI\'s language', async () => {
    const port = await closedPort()
    const session = newSession({ url: `http://127.0.0.1:${port}/app/`, type: 'socketio' })
    session.sio.reconnection = false
    const event = session.timeline.append({
      time: Date.now(), layer: 'lifecycle', kind: 'connect_error', dir: 'local', reason: 'xhr poll error',
      detail: { offer: { choice: 'path' as const, value: '/app/socket.io', url: `http://127.0.0.1:${port}/`, reason: 'path found', evidence: [] } },
    })
    const wrapper = mountInDocument(ClientVersionOffer, { props: { session, event } })
    expect(wrapper.get('button').text()).toBe('Use the path /app/socket.io')
    setLocale('ko')
    await nextTick()
    expect(wrapper.get('button').text()).toBe('경로 /app/socket.io 사용')
    await wrapper.get('button').trigger('click')
    expect(session.sio.path).toBe('/app/socket.io')
    expect(session.url).toBe(`http://127.0.0.1:${port}/`)
    expect(actions).toEqual(['retryWith'])
    // The retry connects once the Socket.IO driver is built, and its first build loads socket.io-client (a dynamic
    // import vitest transforms): on a loaded machine that took over the default 1 s. No timer of the product's is
    // involved (retryWith → connect → createDriver → driver.connect() records `connecting`), so the bound is generous.
    await vi.waitFor(() => expect([...session.timeline.iterate()].some(e => e.layer === 'lifecycle' && e.kind === 'connecting')).toBe(true), { timeout: 20_000, interval: 50 })
  }, 30_000)
})

describe('composer', () => {
  it('explains a draft it cannot send, in the language of the moment', async () => {
    const session = newSession({ url: 'http://127.0.0.1:1', type: 'socketio' })
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    await wrapper.get('input[aria-label="Event name"]').setValue('  ')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Enter an event name.'))
    setLocale('ko')
    await nextTick()
    expect(wrapper.get('[role="status"]').text()).toBe('이벤트 이름을 입력하세요.')
    expect(session.composer.eventName).toBe('  ')
    expect(actions).toContain('sendComposed')
  })

  it('sends an event with its arguments and shows the acknowledgement and its round trip', async () => {
    const url = await ackingServer()
    const session = newSession({ url, type: 'socketio' })
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    await store.connect(session)
    await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
    await wrapper.get('input[aria-label="Event name"]').setValue('chat')
    await wrapper.get('textarea[aria-label="Message"]').setValue('{"text":"hi"}')
    await wrapper.get('button.add').trigger('click')
    await wrapper.get('textarea[aria-label="Argument 2"]').setValue('x')
    await wrapper.get('select[aria-label="Type of argument 2"]').setValue('number')
    await wrapper.get('input[aria-label="Expect acknowledgement"]').setValue(true)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Argument 2: "x" is not a number.'))
    await wrapper.get('textarea[aria-label="Argument 2"]').setValue('7')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toMatch(/^Ack in [\d.,]+ ms: \["ok"\]$/), { timeout: 5000 })
    const sent = [...session.timeline.iterate()].find(e => e.layer === 'app' && e.kind === 'emit')
    expect(sent).toMatchObject({ name: 'chat' })
    expect(session.composer.extraArgs).toEqual([{ text: '7', type: 'number' }])
    await wrapper.get('button[aria-label="Remove argument 2"]').trigger('click')
    expect(session.composer.extraArgs).toEqual([])
  })
})

describe('rooms, namespaces and listeners', () => {
  it('join a room through the store and say how it went, in Korean too', async () => {
    const url = await ackingServer()
    const session = newSession({ url, type: 'socketio' })
    const wrapper = mountInDocument(RoomsPanel, { props: { session } })
    await store.connect(session)
    await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
    await wrapper.get('input[aria-label="Room"]').setValue('lobby')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('.status').text()).toBe('joined'))
    expect(wrapper.get('.note').text()).toBe('server answered ["ok"]')
    setLocale('ko')
    await nextTick()
    expect(wrapper.get('.status').text()).toBe('입장함')
    expect(wrapper.get('.note').text()).toBe('서버 응답: ["ok"]')
    expect(wrapper.find('input[aria-label="방"]').exists()).toBe(true)
    expect(wrapper.findAll('button').map(b => b.text())).toEqual(expect.arrayContaining(['방 입장', '방 퇴장']))
  })

  it('a namespace with bad auth JSON is refused with a sentence naming it; a good one joins', async () => {
    const session = newSession({ url: 'http://127.0.0.1:1', type: 'socketio' })
    const wrapper = mountInDocument(NamespacesPanel, { props: { session } })
    await wrapper.get('input[aria-label="Namespace to join"]').setValue('admin')
    await wrapper.get('input[aria-label="Namespace auth"]').setValue('{token}')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Auth of \/admin is not valid JSON: ./)
    expect(session.namespaces).toEqual([])
    await wrapper.get('input[aria-label="Namespace auth"]').setValue('{"token":"a"}')
    await wrapper.get('form').trigger('submit')
    expect(session.namespaces).toEqual([{ name: '/admin', auth: '{"token":"a"}' }])
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    await wrapper.get('button[aria-label="Leave namespace /admin"]').trigger('click')
    expect(session.namespaces).toEqual([])
    expect(actions).toEqual(['addNamespace', 'addNamespace', 'removeNamespace'])
  })

  it('listeners and the ack reply go through the store', async () => {
    const session = newSession({ url: 'http://127.0.0.1:1', type: 'socketio' })
    const wrapper = mountInDocument(ListenersPanel, { props: { session } })
    await wrapper.get('input[aria-label="Event to listen to"]').setValue('tick')
    await wrapper.get('form').trigger('submit')
    await wrapper.get('input[type="checkbox"]').setValue(false)
    expect(session.listeners).toMatchObject({ catchAll: false, names: [{ name: 'tick', on: true }] })
    const args = wrapper.get('input[aria-label="Ack reply arguments (JSON array)"]')
    await args.setValue('not json')
    await args.trigger('change')
    expect(session.listeners.ackReply.args).toBe('not json')
    const on = wrapper.findAll('input[type="checkbox"]').at(-1)!
    await on.setValue(true)
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^The ack reply is not valid JSON: ./)
    expect(actions.every(name => ['setListener', 'setCatchAll', 'setAckReply'].includes(name))).toBe(true)
  })
})

describe('in Korean', () => {
  it('the connection bar and the composer read in Korean, and a form error too', async () => {
    setLocale('ko')
    const session = newSession({ url: 'ftp://example.com', type: 'socketio' })
    session.sio.auth = '[1]'
    const bar = mountInDocument(ConnectionBar, { props: { session } })
    const composer = mountInDocument(ComposerPanel, { props: { session } })
    expect(bar.find('input[aria-label="엔드포인트 URL"]').exists()).toBe(true)
    expect(bar.get('button[type="submit"]').text()).toBe('연결')
    expect(bar.get('select[aria-label="프로토콜"]').findAll('option').map(o => o.text())).toEqual(['웹소켓', 'Socket.IO'])
    expect(composer.find('textarea[aria-label="메시지"]').exists()).toBe(true)
    expect(composer.find('input[aria-label="이벤트 이름"]').exists()).toBe(true)
    expect(composer.find('input[aria-label="확인 응답 요청"]').exists()).toBe(true)
    expect(composer.get('button[type="submit"]').text()).toBe('보내기')
    session.url = 'http://127.0.0.1:1'
    await bar.get('form').trigger('submit')
    await vi.waitFor(() => expect(bar.get('[role="alert"]').text()).toBe('인증: JSON 객체여야 합니다. 예: {"token": "abc"}'))
    setLocale('en')
    await nextTick()
    expect(bar.get('[role="alert"]').text()).toBe('Auth must be a JSON object, like {"token": "abc"}.')
    expect(bar.get('button[type="submit"]').text()).toBe('Connect')
  })
})

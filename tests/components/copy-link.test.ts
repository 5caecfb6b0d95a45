import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import CopyLinkButton from '../../src/components/session/CopyLinkButton.vue'
import { sessionLink } from '../../src/components/session/copyLink'
import { openStartSessions, parseDeepLink } from '../../src/composables/useDeepLink'
import { setLocale } from '../../src/i18n'
import { useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument } from '../support/mount'
import { useFreshStores } from '../support/freshStores'

const BASE = 'http://localhost:5173/'

/** Open `href` as the app does on start (openStartSessions) in a fresh store: the session it makes. */
function reopen(href: string) {
  setActivePinia(createPinia())
  localStorage.clear()
  const sessions = useSessionsStore()
  const url = new URL(href)
  openStartSessions(sessions, 'ws://unused', { search: url.search, pathname: url.pathname, hash: '' })
  return sessions.active!
}

describe('Copy link', () => {
  useFreshStores()

  it('a Socket.IO session round-trips: URL, type, path and client come back from the link', () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'http://localhost:3005/?room=lobby', type: 'socketio' })
    sessions.updateSocketIoSettings(session, { path: '/realtime/io', version: 'v2' })
    const { href, leftOut } = sessionLink(session, BASE)
    expect(leftOut).toEqual([])
    expect(parseDeepLink(new URL(href).search)).toEqual({ url: 'http://localhost:3005/?room=lobby', type: 'socketio', path: '/realtime/io', client: 'v2', parser: undefined, transports: undefined, auth: undefined, protocols: undefined, connect: true })
    const back = reopen(href)
    expect([back.url, back.type, back.sio.path, back.sio.version]).toEqual(['http://localhost:3005/?room=lobby', 'socketio', '/realtime/io', 'v2'])
    // And the reopened session makes the same link.
    expect(sessionLink(back, BASE).href).toBe(href)
  })

  it('a msgpack, WebSocket-only session round-trips: the reopened session uses them as choices, not guesses', () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'http://localhost:3003', type: 'socketio' })
    sessions.updateSocketIoSettings(session, { parser: 'msgpack', transports: ['websocket'] })
    const { href } = sessionLink(session, BASE)
    expect(href).toBe(`${BASE}?url=http%3A%2F%2Flocalhost%3A3003&type=socketio&parser=msgpack&transports=websocket&connect=1`)
    const back = reopen(href)
    expect([back.sio.parser, back.sio.autoParser, back.sio.transports, back.sio.autoTransports]).toEqual(['msgpack', false, ['websocket'], false])
    expect(sessionLink(back, BASE).href).toBe(href)
  })

  it('a WebSocket session round-trips with its subprotocols; defaults are not written', () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'ws://localhost:8080/subprotocol', type: 'ws' })
    sessions.updateWebSocketSettings(session, { protocols: 'chat.v2, chat.v1' })
    const { href } = sessionLink(session, BASE)
    expect(href).toBe(`${BASE}?url=ws%3A%2F%2Flocalhost%3A8080%2Fsubprotocol&type=ws&protocols=chat.v2%2C+chat.v1&connect=1`)
    const back = reopen(href)
    expect([back.url, back.type, back.ws.protocols]).toEqual(['ws://localhost:8080/subprotocol', 'ws', 'chat.v2, chat.v1'])
    const sio = useSessionsStore().add({ url: 'http://localhost:3000', type: 'socketio' })
    expect(sessionLink(sio, BASE).href).toBe(`${BASE}?url=http%3A%2F%2Flocalhost%3A3000&type=socketio&connect=1`)
  })

  it('leaves out auth, a user and password, and secret-looking query parameters unless asked', () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'http://me:pw@localhost:3000/admin?token=abc&hz=2&api_key=k', type: 'socketio' })
    sessions.updateSocketIoSettings(session, { auth: '{"token":"letmein"}' })
    const plain = sessionLink(session, BASE)
    const link = parseDeepLink(new URL(plain.href).search)!
    expect(link.url).toBe('http://localhost:3000/admin?hz=2')
    expect(link.auth).toBeUndefined()
    expect(plain.leftOut).toEqual([{ kind: 'userinfo' }, { kind: 'param', name: 'token' }, { kind: 'param', name: 'api_key' }, { kind: 'auth' }])
    const full = sessionLink(session, BASE, { secrets: true })
    expect(full.leftOut).toEqual([])
    const back = reopen(full.href)
    expect([back.url, back.sio.auth]).toEqual(['http://me:pw@localhost:3000/admin?token=abc&hz=2&api_key=k', '{"token":"letmein"}'])
  })

  it('the button copies the link, shows it, says what was left out; the box adds the secrets (English, Korean)', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'http://localhost:3000/admin', type: 'socketio' })
    sessions.updateSocketIoSettings(session, { auth: '{"token":"letmein"}' })
    const written: string[] = []
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => { written.push(text) } } })
    const wrapper = mountInDocument(CopyLinkButton, { props: { session } })
    const button = wrapper.get('button')
    expect(button.text()).toBe('Copy link')
    await button.trigger('click')
    await nextTick()
    await nextTick()
    const field = wrapper.get<HTMLInputElement>('input[type="text"]')
    expect(written).toEqual([field.element.value])
    expect(parseDeepLink(new URL(written[0]!).search)).toMatchObject({ url: 'http://localhost:3000/admin', type: 'socketio', connect: true, auth: undefined })
    expect(wrapper.text()).toContain('Left out: auth.')
    expect(wrapper.get('[role="status"]').text()).toBe('Copied.')
    await wrapper.get('input[type="checkbox"]').setValue(true)
    await nextTick()
    await nextTick()
    expect(parseDeepLink(new URL(written.at(-1)!).search)?.auth).toBe('{"token":"letmein"}')
    expect(wrapper.text()).toContain('Include auth and secrets')
    setLocale('ko', false)
    await nextTick()
    expect(button.text()).toBe('링크 복사')
    expect(wrapper.text()).toContain('인증 정보와 비밀 값 포함')
  })

  it('says so when the clipboard refuses', async () => {
    const session = useSessionsStore().add({ url: 'ws://localhost:8080/', type: 'ws' })
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async () => { throw new Error('denied') } } })
    const wrapper = mountInDocument(CopyLinkButton, { props: { session } })
    await wrapper.get('button').trigger('click')
    await nextTick()
    await nextTick()
    expect(wrapper.get('[role="status"]').text()).toBe('Could not copy: select the link and copy it.')
    expect(wrapper.get<HTMLInputElement>('input[type="text"]').element.value).toContain('url=ws%3A%2F%2Flocalhost%3A8080%2F')
  })
})

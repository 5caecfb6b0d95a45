import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createSession } from '../../src/stores/session'
import { SESSIONS_STORAGE_KEY, applySavedSession, snapshotSessions } from '../../src/stores/sessionPersistence'
import { useSessionsStore } from '../../src/stores/sessions'

describe('open tabs across a reload', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('round-trips every setting and draft, but neither the timeline nor the connection', () => {
    const session = createSession({ url: 'http://localhost:3000/admin', type: 'socketio', name: 'admin' })
    session.sio.auth = '{"token":"letmein"}'
    session.sio.transports = ['websocket']
    session.sio.version = 'v2'
    session.namespaces = [{ name: '/ticker', auth: '' }]
    session.listeners.names = [{ name: 'quote', on: false }]
    Object.assign(session.composer, { eventName: 'echo', message: '{"a":1}', extraArgs: [{ text: '2', type: 'number' }], expectAck: true, result: { ok: true, text: 'Ack' } })
    session.timeline.append({ time: 1, layer: 'wire', kind: 'frame', dir: 'in', data: 'x' })

    const saved = JSON.parse(JSON.stringify(snapshotSessions([session], session.id)))
    const restored = createSession()
    applySavedSession(restored, saved.sessions[0])

    expect(restored).toMatchObject({ name: 'admin', url: 'http://localhost:3000/admin', type: 'socketio', state: 'idle' })
    expect(restored.sio).toEqual(session.sio)
    expect(restored.namespaces).toEqual([{ name: '/ticker', auth: '' }])
    expect(restored.listeners.names).toEqual([{ name: 'quote', on: false }])
    expect(restored.composer).toMatchObject({ eventName: 'echo', message: '{"a":1}', extraArgs: [{ text: '2', type: 'number' }], expectAck: true, result: undefined })
    expect(restored.timeline.length).toBe(0)
  })

  it('the store saves the tabs a moment after a change and brings them back', async () => {
    const store = useSessionsStore()
    store.add({ url: 'ws://localhost:8080/echo' })
    const second = store.add({ url: 'http://localhost:3000', type: 'socketio' })
    second.composer.message = 'draft'
    await new Promise(resolve => setTimeout(resolve, 400))
    expect(JSON.parse(localStorage.getItem(SESSIONS_STORAGE_KEY)!).sessions).toHaveLength(2)

    setActivePinia(createPinia())
    const reloaded = useSessionsStore()
    expect(reloaded.restoreSaved()).toBe(true)
    expect(reloaded.sessions.map(s => s.url)).toEqual(['ws://localhost:8080/echo', 'http://localhost:3000'])
    expect(reloaded.active?.url).toBe('http://localhost:3000')
    expect(reloaded.active?.composer.message).toBe('draft')
  })

  it('a damaged entry starts the app anyway, with defaults where it is damaged', () => {
    localStorage.setItem(SESSIONS_STORAGE_KEY, '{not json')
    expect(useSessionsStore().restoreSaved()).toBe(false)

    localStorage.setItem(SESSIONS_STORAGE_KEY, JSON.stringify({ active: 7, sessions: [{ url: 'ws://a', type: 'mqtt', ws: { reconnect: 'yes', maxAttempts: 3 }, sio: { version: 'v9', transports: ['carrier-pigeon', 'websocket'] }, composer: { extraArgs: [null, { text: 1 }, { text: 'x', type: 'evil' }] } }] }))
    const store = useSessionsStore()
    expect(store.restoreSaved()).toBe(true)
    const session = store.active!
    expect(session).toMatchObject({ url: 'ws://a', type: 'ws' })
    expect(session.ws).toMatchObject({ reconnect: true, maxAttempts: 3 })
    expect(session.sio).toMatchObject({ version: 'v4', transports: ['websocket'] })
    expect(session.composer.extraArgs).toEqual([{ text: '', type: 'auto' }, { text: 'x', type: 'auto' }])
  })
})

// @vitest-environment node
/** The sessions store's edit actions (sessionEdits.ts): what each changes, and what it refuses. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import 'fake-indexeddb/auto'
import { useSessionsStore } from '../../src/stores/sessions'

let store: ReturnType<typeof useSessionsStore>

beforeEach(() => {
  setActivePinia(createPinia())
  store = useSessionsStore()
})

describe('endpoint', () => {
  it('a typed URL picks the type from its scheme, except while a connection is up', () => {
    const session = store.add({ url: '', type: 'ws' })
    store.setUrl(session, 'http://localhost:3000/admin')
    expect(session).toMatchObject({ url: 'http://localhost:3000/admin', type: 'socketio' })
    store.setUrl(session, 'localhost:8080')
    expect(session.type).toBe('socketio')
    session.state = 'open'
    store.setUrl(session, 'ws://x')
    expect(session).toMatchObject({ url: 'ws://x', type: 'socketio' })
    store.setType(session, 'ws')
    store.setEndpoint(session, 'ws://y', 'ws')
    expect(session).toMatchObject({ url: 'ws://x', type: 'socketio' })
    session.state = 'closed'
    store.setEndpoint(session, 'ws://y', 'ws')
    expect(session).toMatchObject({ url: 'ws://y', type: 'ws' })
  })
})

describe('settings', () => {
  it('transports keep the order the client tries them in, whatever order they are switched on', () => {
    const session = store.add({ type: 'socketio' })
    store.setTransport(session, 'polling', false)
    store.setTransport(session, 'webtransport', true)
    store.setTransport(session, 'polling', true)
    expect(session.sio.transports).toEqual(['polling', 'websocket', 'webtransport'])
    store.updateSocketIoSettings(session, { transports: ['websocket', 'polling'], path: '/io' })
    expect(session.sio).toMatchObject({ transports: ['polling', 'websocket'], path: '/io' })
  })

  it('a read-only (imported) session takes no retry and no settings change', () => {
    const session = store.add({ url: 'http://h/app/', type: 'socketio' })
    session.readOnly = true
    void store.retryWith(session, { choice: 'version', value: 'v2' })
    expect(session.sio.version).toBe('auto')
    store.updateSocketIoSettings(session, { version: 'v4' })
    expect(session.sio.version).toBe('auto')
  })
})

describe('view', () => {
  it('selectEvent selects an event in the session\'s timeline view (the banner\'s Show in timeline)', () => {
    const session = store.add({ type: 'ws' })
    store.selectEvent(session.id, 7)
    expect(session.view.selectedSeq).toBe(7)
    store.selectEvent('no such session', 8)
    expect(session.view.selectedSeq).toBe(7)
  })
})

describe('composer', () => {
  it('edits the draft and its extra arguments; an index out of range changes nothing', () => {
    const session = store.add({ type: 'socketio' })
    store.updateComposer(session, { eventName: 'chat', expectAck: true })
    store.addArgument(session)
    store.addArgument(session)
    store.updateArgument(session, 1, { text: '2', type: 'number' })
    store.updateArgument(session, 5, { text: 'x' })
    store.removeArgument(session, 0)
    store.removeArgument(session, 3)
    expect(session.composer).toMatchObject({ eventName: 'chat', expectAck: true, extraArgs: [{ text: '2', type: 'number' }] })
  })

  it('sendComposed without a connection says so, as a message', async () => {
    const session = store.add({ type: 'ws' })
    store.updateComposer(session, { message: 'hello' })
    await store.sendComposed(session)
    expect(session.composer.result).toEqual({ ok: false, text: { key: 'composer.result.notConnected' } })
  })
})

import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { openStartSessions } from '../../src/composables/useDeepLink'
import { createSession } from '../../src/stores/session'
import { SESSIONS_STORAGE_KEY, applySavedSession, createTabSaver, snapshotSessions } from '../../src/stores/sessionPersistence'
import { useSessionsStore } from '../../src/stores/sessions'
import { inEnglish } from '../../src/i18n'
import type { MessageRef } from '../../src/protocol/message'

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
    session.timeline.append({ time: 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: 'x', size: 1 })

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
    expect(session.sio).toMatchObject({ version: 'auto', transports: ['websocket'] })
    expect(session.composer.extraArgs).toEqual([{ text: '', type: 'auto' }, { text: 'x', type: 'auto' }])
  })
})

const storedUrls = () => (JSON.parse(localStorage.getItem(SESSIONS_STORAGE_KEY) ?? '{"sessions":[]}') as { sessions: { url: string }[] }).sessions.map(e => e.url)

describe('saved tabs with deep links, several windows and failing storage', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('a deep link adds its session to the saved tabs and leaves the address bar', async () => {
    const first = useSessionsStore()
    first.add({ url: 'ws://one' })
    first.add({ url: 'ws://two' })
    first.add({ url: 'ws://three' })
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    expect(storedUrls()).toEqual(['ws://one', 'ws://two', 'ws://three'])

    setActivePinia(createPinia())
    const replaceState = vi.spyOn(history, 'replaceState')
    const store = useSessionsStore()
    openStartSessions(store, 'ws://fallback', { search: '?url=ws%3A%2F%2Flinked&connect=0', pathname: '/', hash: '' })
    expect(store.sessions.map(s => s.url)).toEqual(['ws://one', 'ws://two', 'ws://three', 'ws://linked'])
    expect(store.active?.url).toBe('ws://linked')
    expect(replaceState).toHaveBeenCalledWith(history.state, '', '/')
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    expect(storedUrls()).toEqual(['ws://one', 'ws://two', 'ws://three', 'ws://linked'])
  })

  it('two windows keep each other\'s tabs: each writes only the tabs it changed or closed', () => {
    const a = createTabSaver(localStorage)
    const b = createTabSaver(localStorage)
    const tabsA = [createSession({ url: 'ws://a1' }), createSession({ url: 'ws://a2' }), createSession({ url: 'ws://a3' })]
    expect(a.save(snapshotSessions(tabsA, tabsA[0]!.id))).toBeUndefined()
    // Window B starts from what A saved, and adds a tab; A meanwhile adds one and closes one.
    const savedForB = b.restore()!
    const tabsB = savedForB.sessions.map((entry) => {
      const s = createSession()
      applySavedSession(s, entry)
      return s
    })
    b.settle(snapshotSessions(tabsB, tabsB[0]!.id))
    tabsB.push(createSession({ url: 'ws://b1' }))
    tabsA.push(createSession({ url: 'ws://a4' }))
    tabsA.splice(1, 1)
    expect(a.save(snapshotSessions(tabsA, tabsA[0]!.id))).toBeUndefined()
    expect(b.save(snapshotSessions(tabsB, tabsB[3]!.id))).toBeUndefined()
    expect(storedUrls()).toEqual(['ws://a1', 'ws://a3', 'ws://b1', 'ws://a4'])
    // B edits a tab it shows; A, which has not touched that tab since, takes the edit in.
    tabsB[0]!.url = 'ws://a1-edited-in-b'
    b.save(snapshotSessions(tabsB, tabsB[0]!.id))
    const changed = a.changedElsewhere(snapshotSessions(tabsA, tabsA[0]!.id))
    expect([...changed.values()].map(e => e.url)).toEqual(['ws://a1-edited-in-b'])
  })

  it('a tab lost to a racing write from another window is saved again; a tab closed elsewhere is not', () => {
    const b = createTabSaver(localStorage)
    const tabs = [createSession({ url: 'ws://b1' }), createSession({ url: 'ws://b2' })]
    b.save(snapshotSessions(tabs, tabs[0]!.id))
    const [b1, b2] = JSON.parse(localStorage.getItem(SESSIONS_STORAGE_KEY)!).sessions
    // Another window wrote from a stale read that never had b2, and closed b1.
    localStorage.setItem(SESSIONS_STORAGE_KEY, JSON.stringify({ sessions: [], active: 0, closed: [b1.key] }))
    expect(b2.url).toBe('ws://b2')
    expect(b.reclaim()).toBe(true)
    b.save(snapshotSessions(tabs, tabs[0]!.id))
    expect(storedUrls()).toEqual(['ws://b2'])
  })

  it('a change is saved at once when the page is left, not only after the delay', async () => {
    const store = useSessionsStore()
    store.add({ url: 'ws://before' })
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    store.active!.url = 'ws://typed-just-before-reload'
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    expect(storedUrls()).toEqual(['ws://typed-just-before-reload'])
  })

  it('a failed save is said, and what was saved before stays', async () => {
    // The edge: a storage whose writes fail on demand (happy-dom binds setItem per instance, so no prototype spy).
    const real = localStorage
    let failing = false
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => real.getItem(key),
      setItem: (key: string, value: string) => {
        if (failing) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        real.setItem(key, value)
      },
    })
    const store = useSessionsStore()
    store.add({ url: 'ws://kept' })
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    failing = true
    store.active!.url = 'ws://not-saved'
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    expect(inEnglish(store.saveError as MessageRef)).toMatch(/tabs could not be saved \(the browser refused to store more/)
    expect(storedUrls()).toEqual(['ws://kept'])
    failing = false
    window.dispatchEvent(new Event('pagehide'))
    expect(store.saveError).toBeUndefined()
    expect(storedUrls()).toEqual(['ws://not-saved'])
  })
})

import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import StartHere from '../../src/components/start/StartHere.vue'
import { setLocale } from '../../src/i18n'
import { START_HERE_STORAGE_KEY, usePresetsStore } from '../../src/stores/presets'
import { useSessionsStore } from '../../src/stores/sessions'
import { closedPort } from '../support/ports'
import { mountInDocument } from '../support/mount'
import { useFreshStores } from '../support/freshStores'

const NAMES = ['WebSocket echo', 'Secure WebSocket echo', 'Socket.IO rooms', 'Long-polling only', 'Reconnect demo', 'Ticker stream', 'Socket.IO v2']

function dialog(): HTMLElement {
  const el = document.querySelector<HTMLElement>('section[role="region"]')
  if (!el) throw new Error('no Start here region')
  return el
}
function dialogName(el: HTMLElement): string {
  return document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? ''
}
function presetButtons(): HTMLButtonElement[] {
  return [...dialog().querySelectorAll<HTMLButtonElement>('.presets button')]
}

/** Resolves once `fn()` is truthy; rejects after `timeoutMs` naming `what`. */
async function waitFor(what: string, fn: () => unknown, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/**
 * The panel and the presets store in the DOM (happy-dom). The dev server cannot run in this environment, so the
 * endpoints are where nothing listens: these tests are about what is opened, with which settings, through the store;
 * tests/e2e/start-here.spec.ts connects every preset to the real dev server, tests/dev-server/start-here-discovery
 * finds it.
 */
describe('Start here', () => {
  const server = { urls: { ws: '', wss: '', socketio: '', polling: '', socketioV2: '', control: '' }, controlToken: 'token-token-token-token-token-token' }
  beforeAll(async () => {
    const port = await closedPort()
    server.urls = {
      ws: `ws://127.0.0.1:${port}`, wss: `wss://127.0.0.1:${port}`, socketio: `http://127.0.0.1:${port}`, polling: `http://127.0.0.1:${port}`,
      socketioV2: `http://127.0.0.1:${port}`, control: `http://127.0.0.1:${port}`,
    }
  })
  useFreshStores()

  function running(): void {
    usePresetsStore().devServer = {
      status: 'running',
      source: 'endpoint',
      endpoints: { ws: server.urls.ws, wss: server.urls.wss, socketio: server.urls.socketio, polling: server.urls.polling, socketioV2: server.urls.socketioV2 },
      control: { url: server.urls.control, token: server.controlToken },
    }
  }

  it('opens on a first run as a dialog named "Start here", with the seven presets and what each shows', async () => {
    const presets = usePresetsStore()
    mountInDocument(StartHere)
    running()
    presets.showOnFirstRun(true)
    await nextTick()
    await nextTick()
    expect(dialogName(dialog())).toBe('Start here')
    expect(presetButtons().map(b => b.textContent?.trim())).toEqual(NAMES)
    const items = [...dialog().querySelectorAll('.preset')].map(li => li.textContent ?? '')
    expect(items[0]).toContain('ws:// is not encrypted')
    // Each names where it connects: the dev server found, not the default ports.
    expect([...dialog().querySelectorAll('.endpoint')].map(e => e.textContent)).toEqual([
      `${server.urls.ws}/`, `${server.urls.wss}/`, server.urls.socketio, server.urls.polling, server.urls.socketio, `${server.urls.ws}/ticker?hz=2`, server.urls.socketioV2,
    ])
    expect(items[1]).toContain('certificate it trusts')
    expect(items[2]).toContain('Socket.IO adds events, rooms, acknowledgements and automatic reconnection on top of WebSocket')
    expect(items[3]).toContain('HTTP long-polling')
    expect(items[4]).toContain('3 seconds')
    expect(dialog().querySelector('[role="status"]')?.textContent).toBe('The dev server is running.')
  })

  it('stays closed on a first run once dismissed, and on a run with saved tabs or a deep link', async () => {
    const presets = usePresetsStore()
    running()
    presets.showOnFirstRun(false)
    expect(presets.startHereOpen).toBe(false)
    presets.showOnFirstRun(true)
    expect(presets.startHereOpen).toBe(true)
    presets.dismissStartHere()
    expect(localStorage.getItem(START_HERE_STORAGE_KEY)).toBe('dismissed')
    setActivePinia(createPinia())
    usePresetsStore().showOnFirstRun(true)
    expect(usePresetsStore().startHereOpen).toBe(false)
  })

  it('opened by itself, it steps aside when the person begins elsewhere (not remembered); opened from Help it stays until closed', async () => {
    const presets = usePresetsStore()
    const outside = document.createElement('input')
    document.body.append(outside)
    mountInDocument(StartHere)
    running()
    presets.showOnFirstRun(true)
    await nextTick()
    dialog().querySelector('button')!.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    expect(presets.startHereOpen).toBe(true)
    outside.focus()
    await nextTick()
    expect(presets.startHereOpen).toBe(false)
    expect(document.querySelector('section[role="region"]')).toBeNull()
    expect(localStorage.getItem(START_HERE_STORAGE_KEY)).toBeNull()

    // A press outside: the panel stays while the button is down (the page must not move under the pointer, or the
    // release lands elsewhere), and steps aside after the click.
    presets.showOnFirstRun(true)
    await nextTick()
    expect(presets.startHereOpen).toBe(true)
    outside.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    outside.focus()
    await nextTick()
    expect(presets.startHereOpen).toBe(true)
    outside.dispatchEvent(new Event('pointerup', { bubbles: true }))
    expect(presets.startHereOpen).toBe(true)
    await new Promise(resolve => setTimeout(resolve, 0))
    expect(presets.startHereOpen).toBe(false)
    outside.blur()

    presets.showStartHere()
    await nextTick()
    await nextTick()
    expect(document.activeElement?.textContent).toBe('Start here')
    outside.focus()
    outside.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    await nextTick()
    expect(presets.startHereOpen).toBe(true)
    dialog().querySelector('h2')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await nextTick()
    expect(presets.startHereOpen).toBe(false)
    expect(localStorage.getItem(START_HERE_STORAGE_KEY)).toBe('dismissed')
    outside.remove()
  })

  it('says how to start the dev server when it is not running, in English and Korean', async () => {
    const presets = usePresetsStore()
    mountInDocument(StartHere)
    presets.startHereOpen = true
    presets.devServer = { status: 'absent', endpoints: { ws: 'ws://localhost:1', wss: 'wss://localhost:1', socketio: 'http://localhost:1', polling: 'http://localhost:1', socketioV2: 'http://localhost:1' } }
    await nextTick()
    await nextTick()
    const status = () => dialog().querySelector('[role="status"]')!.textContent ?? ''
    expect(status()).toContain('The dev server is not running.')
    expect(status()).toContain('npm start')
    expect(status()).toContain('npm run dev-server')
    // Without a control token the Reconnect demo says what it does instead.
    expect(dialog().textContent).toContain('/drop')
    setLocale('ko', false)
    await nextTick()
    expect(dialogName(dialog())).toBe('여기서 시작')
    expect(status()).toContain('개발 서버가 실행 중이 아닙니다.')
    expect(status()).toContain('npm run dev-server')
    expect(presetButtons().map(b => b.textContent?.trim())).toEqual(['웹소켓 에코', '보안 웹소켓 에코', 'Socket.IO 방', '롱 폴링만', '재연결 데모', '시세 스트림', 'Socket.IO v2'])
    expect(dialog().textContent).toContain('자동 재연결')
  })

  it('a preset opens its session through the store on the dev server found, and connects', async () => {
    const presets = usePresetsStore()
    const sessions = useSessionsStore()
    mountInDocument(StartHere)
    presets.startHereOpen = true
    running()
    await nextTick()
    await nextTick()
    presetButtons()[6]!.click() // Socket.IO v2
    await waitFor('the v2 session', () => sessions.sessions.length === 1)
    const session = sessions.sessions[0]!
    expect([session.url, session.type, session.sio.version, session.composer.eventName]).toEqual([server.urls.socketioV2, 'socketio', 'v2', 'echo'])
    expect(sessions.activeId).toBe(session.id)
    // Picking a preset dismisses the panel.
    expect(presets.startHereOpen).toBe(false)
    expect(localStorage.getItem(START_HERE_STORAGE_KEY)).toBe('dismissed')
    await waitFor('connecting', () => session.state !== 'idle', 5000)
  })

  it('on a first run, the first preset takes the place of the blank tab; a tab in use stays', async () => {
    const presets = usePresetsStore()
    const sessions = useSessionsStore()
    running()
    const blank = sessions.add({ url: 'ws://localhost:8080', type: 'ws' })
    presets.showOnFirstRun(true)
    void presets.openPreset('ticker')
    await waitFor('the ticker session', () => sessions.sessions.some(s => s.url.endsWith('/ticker?hz=2')))
    expect(sessions.sessions.includes(blank)).toBe(false)
    expect(sessions.sessions).toHaveLength(1)
    for (const s of [...sessions.sessions]) sessions.close(s.id)

    setActivePinia(createPinia())
    localStorage.clear()
    running()
    const used = useSessionsStore().add({ url: 'ws://localhost:8080', type: 'ws' })
    useSessionsStore().updateComposer(used, { message: 'a draft' })
    usePresetsStore().showOnFirstRun(true)
    void usePresetsStore().openPreset('ticker')
    await waitFor('the ticker session', () => useSessionsStore().sessions.length === 2)
    expect(useSessionsStore().sessions[0]).toBe(used)
  })

  it('"Socket.IO rooms" opens two sessions on one fresh room, the first holding the study note\'s room message', async () => {
    const presets = usePresetsStore()
    const sessions = useSessionsStore()
    running()
    void presets.openPreset('rooms')
    await waitFor('two sessions', () => sessions.sessions.length === 2)
    const [a, b] = sessions.sessions
    expect(sessions.activeId).toBe(a!.id)
    const first = JSON.parse(a!.composer.message) as { room: string, message: string }
    const second = JSON.parse(b!.composer.message) as { room: string, message: string }
    expect(first.room).toMatch(/^lobby-[0-9a-f]{4}$/)
    expect(second.room).toBe(first.room)
    expect([a!.url, a!.type, a!.composer.eventName, b!.url]).toEqual([server.urls.socketio, 'socketio', 'message', server.urls.socketio])
  })
})

/**
 * Tab labels (issue 10): distinct (the second tab on an endpoint is "#2"), the path shown, and renameable in place —
 * double-click, F2 or the tab's menu "Rename"; Enter saves, Escape cancels; a renamed tab keeps its name when its
 * endpoint changes and across a reload (saved with the tab).
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import SessionTabs from '../../src/components/session/SessionTabs.vue'
import { setLocale } from '../../src/i18n'
import { createSession } from '../../src/stores/session'
import { applySavedSession, snapshotSessions } from '../../src/stores/sessionPersistence'
import { useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument, unmountAll } from '../support/mount'

beforeEach(() => {
  setLocale('en', false)
  setActivePinia(createPinia())
})
afterEach(() => {
  unmountAll()
  const sessions = useSessionsStore()
  for (const s of [...sessions.sessions]) sessions.close(s.id)
})

function labels(wrapper: ReturnType<typeof mountInDocument>): string[] {
  return wrapper.findAll('[role="tab"]').map(tab => tab.text())
}

describe('tab labels', () => {
  it('are distinct: the same endpoint twice is "#2", a third "#3"; the path is shown', () => {
    const sessions = useSessionsStore()
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    sessions.add({ url: 'ws://localhost:8080/ticker', type: 'ws' })
    sessions.add({ url: 'http://localhost:3000/', type: 'socketio' })
    sessions.add({ url: 'ws://localhost:8080/echo', type: 'ws' })
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    const wrapper = mountInDocument(SessionTabs)
    expect(labels(wrapper)).toEqual(['localhost:3000', 'localhost:8080/ticker', 'localhost:3000 #2', 'localhost:8080/echo', 'localhost:3000 #3'])
    expect(wrapper.findAll('button.close').map(b => b.attributes('aria-label'))[2]).toBe('Close localhost:3000 #2')
  })

  it('double-click renames; Enter saves, and the name stays when the endpoint changes', async () => {
    const sessions = useSessionsStore()
    const first = sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    const wrapper = mountInDocument(SessionTabs)
    await wrapper.findAll('[role="tab"]')[0]!.trigger('dblclick')
    const input = wrapper.get('input[aria-label="Tab name"]')
    expect((input.element as HTMLInputElement).value).toBe('localhost:3000')
    expect(document.activeElement).toBe(input.element)
    await input.setValue('Chat room A')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.find('input[aria-label="Tab name"]').exists()).toBe(false)
    expect(first).toMatchObject({ name: 'Chat room A', renamed: true })
    // The other tab on the endpoint is now the only one: no number.
    expect(labels(wrapper)).toEqual(['Chat room A', 'localhost:3000'])
    sessions.setUrl(first, 'http://localhost:3005/realtime')
    await nextTick()
    expect(labels(wrapper)[0]).toBe('Chat room A')
    await nextTick()
    expect(document.activeElement).toBe(wrapper.findAll('[role="tab"]')[0]!.element)
  })

  it('Escape cancels: nothing changes, and the focus goes back to the tab', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'ws://localhost:8080/echo', type: 'ws' })
    const wrapper = mountInDocument(SessionTabs)
    await wrapper.get('[role="tab"]').trigger('keydown', { key: 'F2' })
    const input = wrapper.get('input[aria-label="Tab name"]')
    await input.setValue('never saved')
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })
    input.element.dispatchEvent(escape)
    await nextTick()
    expect(escape.defaultPrevented).toBe(true)
    expect(wrapper.find('input[aria-label="Tab name"]').exists()).toBe(false)
    expect(session.renamed).toBe(false)
    expect(labels(wrapper)).toEqual(['localhost:8080/echo'])
    await nextTick()
    expect(document.activeElement).toBe(wrapper.get('[role="tab"]').element)
  })

  it('the tab menu has "Rename"; an emptied name gives the tab its endpoint back', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'ws://localhost:8080/echo', type: 'ws' })
    const wrapper = mountInDocument(SessionTabs)
    await wrapper.get('[role="tab"]').trigger('contextmenu', { clientX: 20, clientY: 10 })
    const menu = wrapper.get('[role="menu"]')
    expect(menu.findAll('[role="menuitem"]').map(i => i.text())).toEqual(['Rename', 'Close tab'])
    await menu.findAll('[role="menuitem"]')[0]!.trigger('click')
    expect(wrapper.find('[role="menu"]').exists()).toBe(false)
    const input = wrapper.get('input[aria-label="Tab name"]')
    await input.setValue('Echo')
    await input.trigger('keydown', { key: 'Enter' })
    expect(labels(wrapper)).toEqual(['Echo'])
    await wrapper.get('[role="tab"]').trigger('dblclick')
    await wrapper.get('input[aria-label="Tab name"]').setValue('  ')
    await wrapper.get('input[aria-label="Tab name"]').trigger('keydown', { key: 'Enter' })
    expect(session.renamed).toBe(false)
    expect(labels(wrapper)).toEqual(['localhost:8080/echo'])
  })

  it('a renamed tab keeps its name across a reload (saved with the tab); older saves are not renamed', () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    sessions.renameSession(session, 'Lobby watcher')
    const saved = snapshotSessions([session], session.id).sessions[0]!
    expect(saved).toMatchObject({ name: 'Lobby watcher', renamed: true })
    const restored = createSession()
    applySavedSession(restored, JSON.parse(JSON.stringify(saved)))
    expect(restored).toMatchObject({ name: 'Lobby watcher', renamed: true })
    const old = createSession()
    applySavedSession(old, { ...JSON.parse(JSON.stringify(saved)), renamed: undefined })
    expect(old.renamed).toBe(false)
  })

  it('speaks Korean: the menu and the name field', async () => {
    setLocale('ko', false)
    const sessions = useSessionsStore()
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    const wrapper = mountInDocument(SessionTabs)
    expect(labels(wrapper)).toEqual(['localhost:3000', 'localhost:3000 #2'])
    await wrapper.get('[role="tab"]').trigger('contextmenu')
    expect(wrapper.findAll('[role="menuitem"]').map(i => i.text())).toEqual(['이름 바꾸기', '탭 닫기'])
    await wrapper.get('[role="menuitem"]').trigger('click')
    expect(wrapper.find('input[aria-label="탭 이름"]').exists()).toBe(true)
  })
})

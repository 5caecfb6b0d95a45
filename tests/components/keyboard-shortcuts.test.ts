import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import KeyboardShortcuts from '../../src/components/start/KeyboardShortcuts.vue'
import { isTypingTarget, shortcutFor, SHORTCUTS, useShortcuts } from '../../src/composables/useShortcuts'
import { setLocale } from '../../src/i18n'
import { usePresetsStore } from '../../src/stores/presets'
import { useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument } from '../support/mount'
import { useFreshStores } from '../support/freshStores'

/** What App.vue has: the shortcuts installed, the sheet, and a text field to type in. */
const Host = defineComponent({
  setup() {
    useShortcuts()
    return () => h('div', [h('input', { 'type': 'text', 'aria-label': 'field' }), h('textarea'), h(KeyboardShortcuts)])
  },
})

function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  target.dispatchEvent(event)
  return event
}

async function settle(): Promise<void> {
  await nextTick()
  await nextTick()
}

describe('Keyboard shortcuts', () => {
  useFreshStores()

  it('? opens the sheet named "Keyboard shortcuts", listing every shortcut; not while typing in a field', async () => {
    const wrapper = mountInDocument(Host)
    const presets = usePresetsStore()
    press('?', {}, wrapper.get('input').element)
    press('?', {}, wrapper.get('textarea').element)
    await settle()
    expect(presets.shortcutsOpen).toBe(false)
    const event = press('?', { shiftKey: true })
    await settle()
    expect(event.defaultPrevented).toBe(true)
    expect(presets.shortcutsOpen).toBe(true)
    const dialog = document.querySelector('dialog')!
    expect(dialog.open).toBe(true)
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Keyboard shortcuts')
    const rows = [...dialog.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent?.trim()))
    expect(rows).toHaveLength(SHORTCUTS.length)
    expect(rows).toContainEqual(['?', 'Show this list'])
    expect(rows).toContainEqual(['C', 'Connect or disconnect the session'])
    expect(rows).toContainEqual(['CtrlEnteror⌘Enter', 'Send the composed message'])
    expect(rows).toContainEqual(['/', 'Search the timeline (focus the filter)'])
    expect(rows).toContainEqual(['[', 'Previous session'])
    setLocale('ko', false)
    await settle()
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('키보드 단축키')
    expect(dialog.textContent).toContain('다음 세션')
  })

  it('P pauses and resumes, X clears, [ and ] move between sessions, through the store; nothing while a dialog is open', async () => {
    mountInDocument(Host)
    const sessions = useSessionsStore()
    const a = sessions.add({ url: 'ws://localhost:1/', type: 'ws' })
    const b = sessions.add({ url: 'ws://localhost:2/', type: 'ws' })
    const c = sessions.add({ url: 'ws://localhost:3/', type: 'ws' })
    expect(sessions.active).toBe(c)
    press('p')
    expect(c.view.paused).toBe(true)
    press('p')
    expect([c.view.paused, c.view.following]).toEqual([false, true])
    c.timeline.append({ time: 1, layer: 'lifecycle', kind: 'connecting', dir: 'local', attempt: 0 })
    expect(c.timeline.length).toBe(1)
    press('x')
    expect(c.timeline.length).toBe(0)
    press(']')
    expect(sessions.active).toBe(a)
    press('[')
    expect(sessions.active).toBe(c)
    press('[')
    expect(sessions.active).toBe(b)
    // With a modifier, or typed into a field, or while the sheet is open: no shortcut.
    press(']', { ctrlKey: true })
    expect(sessions.active).toBe(b)
    usePresetsStore().openShortcuts()
    await settle()
    press(']')
    expect(sessions.active).toBe(b)
  })

  it('tells typing from commands', () => {
    const input = document.createElement('input')
    const checkbox = document.createElement('input')
    checkbox.type = 'checkbox'
    const editor = document.createElement('div')
    editor.setAttribute('contenteditable', 'true')
    expect([isTypingTarget(input), isTypingTarget(checkbox), isTypingTarget(editor), isTypingTarget(document.body)]).toEqual([true, false, true, false])
    const key = (k: string, more: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...more })
    expect(shortcutFor(key('Enter', { ctrlKey: true }), false)).toBe('send')
    expect(shortcutFor(key('Enter', { metaKey: true }), false)).toBe('send')
    // In a field, Ctrl+Enter is the field's own (the composer sends; a form submits).
    expect(shortcutFor(key('Enter', { ctrlKey: true }), true)).toBeUndefined()
    expect(shortcutFor(key('c'), false)).toBe('connect')
    expect(shortcutFor(key('c'), true)).toBeUndefined()
    expect(shortcutFor(key('c', { metaKey: true }), false)).toBeUndefined()
    expect(shortcutFor(key('/'), false)).toBe('filter')
    expect(shortcutFor(key('Enter'), false)).toBeUndefined()
  })
})

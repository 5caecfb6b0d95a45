/**
 * Issue 10, history of sent messages: the last 50 drafts per session (before expansion), recalled with Up/Down in an
 * empty Message (caught in the capture phase on the composer panel, so it works whatever the Message field is) and
 * from the History menu, and saved with the tab (bounded).
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { HISTORY_LIMIT, historyForSaving, historyFrom, historyStep, pushHistory, type HistoryEntry } from '../../src/sending/history'
import { createSession } from '../../src/stores/session'
import { applySavedSession, snapshotSessions } from '../../src/stores/sessionPersistence'
import { useSessionsStore } from '../../src/stores/sessions'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeRecordingServers, connectedComposer } from './sending-support'

function entry(message: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return { type: 'ws', message, format: 'text', eventName: 'message', firstArgType: 'auto', extraArgs: [], time: 0, ...over }
}

describe('history list (pure)', () => {
  it('keeps the newest 50, newest first; the same draft again moves up instead of being listed twice', () => {
    let history: HistoryEntry[] = []
    for (let i = 1; i <= 60; i++) history = pushHistory(history, entry(`m${i}`))
    expect(history).toHaveLength(HISTORY_LIMIT)
    expect(HISTORY_LIMIT).toBe(50)
    expect(history[0]!.message).toBe('m60')
    expect(history.at(-1)!.message).toBe('m11')
    history = pushHistory(history, entry('m30'))
    expect(history).toHaveLength(50)
    expect(history.filter(e => e.message === 'm30')).toHaveLength(1)
    expect(history[0]!.message).toBe('m30')
    // A different format or event name is a different draft.
    history = pushHistory(history, entry('m30', { format: 'json' }))
    expect(history.filter(e => e.message === 'm30')).toHaveLength(2)
  })

  it('Up goes older until the oldest, Down newer and then back to the empty draft', () => {
    expect(historyStep(3, -1, 'up')).toBe(0)
    expect(historyStep(3, 2, 'up')).toBeUndefined()
    expect(historyStep(3, 1, 'down')).toBe(0)
    expect(historyStep(3, 0, 'down')).toBe(-1)
    expect(historyStep(3, -1, 'down')).toBeUndefined()
    expect(historyStep(0, -1, 'up')).toBeUndefined()
  })

  it('saves within a character budget, and reads back only well-formed entries', () => {
    const big = entry('x'.repeat(150_000))
    const saved = historyForSaving([entry('a'), big, entry('b'), entry('y'.repeat(60_000))])
    expect(saved.map(e => e.message.length)).toEqual([1, 150_000, 1])
    expect(historyFrom([{ message: 'ok', type: 'socketio', eventName: 'chat', extraArgs: [{ text: '1', type: 'number' }, 7] }, { message: 3 }, 'x', null])).toEqual([
      { type: 'socketio', message: 'ok', format: 'text', eventName: 'chat', firstArgType: 'auto', extraArgs: [{ text: '1', type: 'number' }], time: 0 },
    ])
    expect(historyFrom(Array.from({ length: 80 }, (_, i) => ({ message: String(i) })))).toHaveLength(50)
  })
})

describe('history in the composer', () => {
  useFreshStores()
  afterEach(closeRecordingServers)

  function press(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
    target.dispatchEvent(event)
    return event
  }

  it('records what was sent before expansion, and recalls it with Up/Down while the Message is empty', async () => {
    const { server, sessions, session, wrapper } = await connectedComposer()
    for (const text of ['first', 'second {{counter}}', 'third']) {
      sessions.updateComposer(session, { message: text })
      await sessions.sendComposed(session)
    }
    await vi.waitFor(() => expect(server.received).toEqual(['first', 'second 2', 'third']))
    expect(session.sending.history.map(e => e.message)).toEqual(['third', 'second {{counter}}', 'first'])

    sessions.updateComposer(session, { message: '' })
    await nextTick()
    const field = wrapper.get('textarea[aria-label="Message"]').element
    // A key the panel handles is not seen by the field (capture phase) and does not move its caret.
    let seenByField = 0
    field.addEventListener('keydown', () => { seenByField++ })
    expect(press(field, 'ArrowUp').defaultPrevented).toBe(true)
    expect(session.composer.message).toBe('third')
    press(field, 'ArrowUp')
    expect(session.composer.message).toBe('second {{counter}}')
    press(field, 'ArrowUp')
    expect(session.composer.message).toBe('first')
    // Past the oldest: nothing to recall, the key is the field's.
    expect(press(field, 'ArrowUp').defaultPrevented).toBe(false)
    expect(session.composer.message).toBe('first')
    press(field, 'ArrowDown')
    expect(session.composer.message).toBe('second {{counter}}')
    press(field, 'ArrowDown')
    press(field, 'ArrowDown')
    expect(session.composer.message).toBe('')
    expect(seenByField).toBe(1)
    // Down in an empty Message with nothing recalled, a Message of one's own, or with a modifier: left to the field.
    expect(press(field, 'ArrowDown').defaultPrevented).toBe(false)
    sessions.updateComposer(session, { message: 'my own' })
    expect(press(field, 'ArrowUp').defaultPrevented).toBe(false)
    expect(session.composer.message).toBe('my own')
    sessions.updateComposer(session, { message: '' })
    expect(press(field, 'ArrowUp', { shiftKey: true }).defaultPrevented).toBe(false)
    // Edited after a recall: no longer cycling.
    press(field, 'ArrowUp')
    expect(session.composer.message).toBe('third')
    sessions.updateComposer(session, { message: 'third!' })
    expect(press(field, 'ArrowUp').defaultPrevented).toBe(false)
    expect(session.composer.message).toBe('third!')
    expect(seenByField).toBe(5)
  })

  it('the History menu lists the drafts, newest first, and a pick puts one back (Socket.IO: event name and arguments too)', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ type: 'socketio' })
    session.sending.history = [
      entry('{"n": {{counter}}}', { type: 'socketio', eventName: 'chat', firstArgType: 'string', extraArgs: [{ text: '42', type: 'number' }] }),
      entry('<b>older</b>', { type: 'socketio', eventName: 'ping' }),
    ]
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    const button = wrapper.findAll('button').find(b => b.text() === 'History')!
    expect(button.attributes('aria-haspopup')).toBe('menu')
    await button.trigger('click')
    const items = wrapper.findAll('[role="menuitem"]')
    expect(items.map(i => i.text())).toEqual(['chat: {"n": {{counter}}}', 'ping: <b>older</b>'])
    expect(wrapper.find('[role="menu"] b').exists()).toBe(false)
    await items[0]!.trigger('click')
    expect(session.composer.message).toBe('{"n": {{counter}}}')
    expect(session.composer.eventName).toBe('chat')
    expect(session.composer.firstArgType).toBe('string')
    expect(session.composer.extraArgs.map(a => ({ text: a.text, type: a.type }))).toEqual([{ text: '42', type: 'number' }])
    expect(wrapper.find('[role="menu"]').exists()).toBe(false)
    // The recalled entry is the cycling point: Down goes back to the empty draft.
    press(wrapper.get('textarea[aria-label="Message"]').element, 'ArrowDown')
    expect(session.composer.message).toBe('')
  })

  it('is saved with the tab (bounded), with the session variables and repeat settings; the counter is not', () => {
    const session = createSession({ type: 'ws' })
    for (let i = 0; i < 55; i++) session.sending.history = pushHistory(session.sending.history, entry(`m${i}`))
    session.sending.variables = [{ name: 'token', value: 't' }]
    session.sending.counter = 9
    session.sending.repeatCount = 7
    session.sending.repeatIntervalMs = 250
    const snapshot = JSON.parse(JSON.stringify(snapshotSessions([session], session.id))) as ReturnType<typeof snapshotSessions>
    const restored = createSession()
    applySavedSession(restored, snapshot.sessions[0])
    expect(restored.sending.history).toHaveLength(50)
    expect(restored.sending.history[0]!.message).toBe('m54')
    expect(restored.sending.variables).toEqual([{ name: 'token', value: 't' }])
    expect(restored.sending.repeatCount).toBe(7)
    expect(restored.sending.repeatIntervalMs).toBe(250)
    expect(restored.sending.counter).toBe(1)
    // A damaged entry loses its odd fields, never the tab.
    const damaged = createSession()
    applySavedSession(damaged, { ...snapshot.sessions[0], sending: { variables: [{ name: 'now', value: 'x' }, { name: 'ok', value: 1 }], history: 'no', repeatCount: -3 } })
    expect(damaged.sending.variables).toEqual([])
    expect(damaged.sending.history).toEqual([])
    expect(damaged.sending.repeatCount).toBe(10)
  })
})

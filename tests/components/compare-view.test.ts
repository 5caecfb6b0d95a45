import 'fake-indexeddb/auto'
import type { VueWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import App from '../../src/App.vue'
import CompareButton from '../../src/components/compare/CompareButton.vue'
import CompareView from '../../src/components/compare/CompareView.vue'
import { setLocale } from '../../src/i18n'
import type { DraftEvent } from '../../src/protocol/types'
import { useCompareStore } from '../../src/stores/compare'
import { useSessionsStore } from '../../src/stores/sessions'
import { createSession } from '../../src/stores/session'
import { Timeline } from '../../src/timeline/timeline'
import { timelineTickUsers } from '../../src/composables/useTimelineTick'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument, nextFrame } from '../support/mount'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
/** How the two sessions' tabs, and so their rows, are named. */
const A = 'localhost:8080/alice'
const B = 'localhost:8080/bob'
function frame(time: number, data: string, dir: 'in' | 'out' = 'in'): DraftEvent {
  return { seq: 0, time: T0 + time, layer: 'wire', kind: 'frame', dir, transport: 'websocket', data, size: data.length }
}

/** Two sessions with interleaved events, compared. */
function twoSessions() {
  const sessions = useSessionsStore()
  // Named as their tabs are: after their endpoints.
  const alice = sessions.add({ url: 'ws://localhost:8080/alice', name: 'Alice' })
  const bob = sessions.add({ url: 'ws://localhost:8080/bob', name: 'Bob' })
  alice.timeline.append(frame(1, 'hello bob', 'out'))
  bob.timeline.append(frame(2, 'hello bob', 'in'))
  bob.timeline.append(frame(3, 'hi alice', 'out'))
  alice.timeline.append(frame(4, 'hi alice', 'in'))
  return { sessions, alice, bob, compare: useCompareStore() }
}

/** Each visible row: `<session name> <payload>`. */
function rowTexts(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[role="log"] .merged-row').map(r => `${r.get('.session').text()} ${r.get('.preview').text()}`)
}

async function settle(): Promise<void> {
  await nextFrame()
  await nextFrame()
}

describe('compare store', () => {
  useFreshStores()

  it('opens with at least two open sessions, and leaves out unknown ids and repeats', () => {
    const { alice, bob, compare } = twoSessions()
    expect(compare.open([alice.id])).toBe(false)
    expect(compare.open([alice.id, 'nope'])).toBe(false)
    expect(compare.isOpen).toBe(false)
    expect(compare.open([bob.id, alice.id, bob.id, 'nope'])).toBe(true)
    expect(compare.sessionIds).toEqual([bob.id, alice.id])
    expect(compare.compared.map(s => s.name)).toEqual(['Bob', 'Alice'])
    compare.close()
    expect(compare.isOpen).toBe(false)
  })

  it('drops a closed session from the comparison, and closes with fewer than two', () => {
    const { sessions, alice, bob, compare } = twoSessions()
    const carol = sessions.add({ name: 'Carol' })
    compare.open([alice.id, bob.id, carol.id])
    // Carol is the active tab: closing her moves the active tab, which must not close the comparison.
    sessions.close(carol.id)
    expect(compare.sessionIds).toEqual([alice.id, bob.id])
    expect(compare.isOpen).toBe(true)
    // The active tab is one of those compared, and it writes.
    expect([alice.id, bob.id]).toContain(sessions.activeId)
    expect(compare.writer?.id).toBe(sessions.activeId)
    sessions.close(bob.id)
    expect(compare.isOpen).toBe(false)
    expect(compare.sessionIds).toEqual([])
  })

  it('makes the session it writes as the active one, so the shortcuts act on it, without leaving', () => {
    const { sessions, alice, bob, compare } = twoSessions()
    const carol = sessions.add({ name: 'Carol' })
    expect(sessions.activeId).toBe(carol.id)
    compare.open([alice.id, bob.id])
    expect(sessions.activeId).toBe(alice.id)
    compare.writeAs(bob.id)
    expect(sessions.activeId).toBe(bob.id)
    expect(compare.writer?.id).toBe(bob.id)
    expect(compare.isOpen).toBe(true)
    // A session not compared cannot write here.
    compare.writeAs(carol.id)
    expect(sessions.activeId).toBe(bob.id)
    // The active session closed: another compared one writes.
    const dave = sessions.add({ name: 'Dave' })
    expect(compare.isOpen).toBe(false)
    compare.open([alice.id, bob.id, dave.id])
    compare.writeAs(dave.id)
    sessions.close(dave.id)
    expect(compare.isOpen).toBe(true)
    expect([alice.id, bob.id]).toContain(sessions.activeId)
  })

  it('goes back to a session when its tab is chosen', () => {
    const { sessions, alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    sessions.activeId = alice.id
    expect(compare.isOpen).toBe(false)
  })
})

describe('CompareView', () => {
  useFreshStores()

  it('merges the sessions by time in one log region, each row naming its session', async () => {
    const { alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    const log = wrapper.get('[role="log"]')
    expect(log.attributes('aria-label')).toBe('Side by side timeline')
    expect(rowTexts(wrapper)).toEqual([`${A} hello bob`, `${B} hello bob`, `${B} hi alice`, `${A} hi alice`])
    // The legend names both, with their colours.
    expect(wrapper.get('.legend').text()).toContain(A)
    expect(wrapper.get('.legend').text()).toContain(B)
  })

  it('follows the tail as the sessions receive, merging only what is new', async () => {
    const { alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    bob.timeline.append(frame(5, 'late news'))
    alice.timeline.append(frame(6, 'later news'))
    await settle()
    expect(rowTexts(wrapper).slice(-2)).toEqual([`${B} late news`, `${A} later news`])
    expect(compare.following).toBe(true)
  })

  it('applies one filter to every session', async () => {
    const { alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    compare.filter.directions.push('in')
    await settle()
    expect(rowTexts(wrapper)).toEqual([`${B} hello bob`, `${A} hi alice`])
    expect(wrapper.get('.count').text()).toBe('2 of 4')
    compare.filter.directions.splice(0)
    compare.filter.text = 'nothing like this'
    await settle()
    expect(rowTexts(wrapper)).toEqual([])
    expect(wrapper.get('[role="log"]').text()).toContain('No event of these sessions matches the filter.')
  })

  it('shows the selected row\'s details, saying which session it came from', async () => {
    const { alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    await wrapper.findAll('.merged-row')[2]!.trigger('pointerdown', { button: 0 })
    await settle()
    expect(compare.selected).toEqual({ sessionId: bob.id, seq: 2 })
    expect(compare.following).toBe(false)
    const detail = wrapper.get('.detail')
    expect(detail.text()).toContain(`From ${B}`)
    expect(detail.get('[aria-label="Event detail"]').text()).toContain('hi alice')
    expect(wrapper.findAll('.merged-row')[2]!.classes()).toContain('selected')
  })

  it('drops rows the sessions dropped', async () => {
    const sessions = useSessionsStore()
    const quiet = sessions.add({ url: 'ws://localhost:8080/' })
    const busy = sessions.add({ url: 'ws://localhost:8080/' })
    busy.timeline.setLimits({ maxEvents: 50 })
    quiet.timeline.append(frame(0, 'first'))
    const compare = useCompareStore()
    compare.open([quiet.id, busy.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    for (let i = 1; i <= 500; i++) busy.timeline.append(frame(i, `n${i}`))
    await settle()
    expect(wrapper.get('.count').text()).toBe('51 of 51')
    expect(rowTexts(wrapper).at(-1)).toBe('localhost:8080 #2 n500')
    // Only the visible window is in the DOM.
    expect(wrapper.findAll('.merged-row').length).toBeLessThan(51)
  })

  it('writes as the session picked under "Write as", with that session\'s own composer', async () => {
    const { alice, bob, compare } = twoSessions()
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    const radios = wrapper.findAll('fieldset.writer input[type="radio"]')
    expect(radios).toHaveLength(2)
    // The active session (Bob, opened last) writes to begin with.
    expect(compare.writer?.id).toBe(bob.id)
    expect((radios[1]!.element as HTMLInputElement).checked).toBe(true)
    await radios[0]!.trigger('change')
    expect(compare.writer?.id).toBe(alice.id)
    expect(wrapper.find('[aria-label="Message"]').exists()).toBe(true)
  })

  it('lines a recording up with its replay by their starts (on by itself with a recorded session), or by the clock', async () => {
    const sessions = useSessionsStore()
    const recorded = new Timeline()
    recorded.append(frame(0, 'rec hello'))
    recorded.append(frame(100, 'rec world'))
    const recording = sessions.adopt(createSession({ name: 'recording.ndjson', readOnly: true, timeline: recorded }))
    const replay = sessions.add({ url: 'ws://localhost:8080/replay' })
    replay.timeline.append(frame(50_000, 'replay hello'))
    replay.timeline.append(frame(50_080, 'replay world'))
    const compare = useCompareStore()
    compare.open([recording.id, replay.id])
    expect(compare.alignStarts).toBe(true)
    const wrapper = mountInDocument(CompareView)
    await settle()
    const payloads = () => wrapper.findAll('[role="log"] .merged-row .preview').map(p => p.text())
    expect(payloads()).toEqual(['rec hello', 'replay hello', 'replay world', 'rec world'])
    // The delta column is on the same axis: the replay's "world" came 80 ms after its start, the recording's 100.
    expect(wrapper.findAll('[role="log"] .merged-row .delta').map(d => d.text())).toEqual(['', expect.stringContaining('0'), expect.stringContaining('80'), expect.stringContaining('20')])
    await wrapper.get('.align input').setValue(false)
    await settle()
    expect(payloads()).toEqual(['rec hello', 'rec world', 'replay hello', 'replay world'])
  })

  it('speaks Korean too', async () => {
    const { alice, bob, compare } = twoSessions()
    setLocale('ko', false)
    compare.open([alice.id, bob.id])
    const wrapper = mountInDocument(CompareView)
    await settle()
    expect(wrapper.get('[role="log"]').attributes('aria-label')).toBe('나란히 보기 타임라인')
    expect(wrapper.get('.back').text()).toContain('한 세션 보기로 돌아가기')
  })

  it('subscribes to no timeline while closed, and lets go of them when closed', async () => {
    const { sessions, alice, bob, compare } = twoSessions()
    const wrapper = mountInDocument(App)
    await settle()
    // The single session view holds the active session's tick; nothing holds the compared ones.
    expect(sessions.active?.id).not.toBe(alice.id)
    expect(sessions.active?.id).not.toBe(bob.id)
    expect(timelineTickUsers(alice.timeline)).toBe(0)
    expect(timelineTickUsers(bob.timeline)).toBe(0)
    compare.open([alice.id, bob.id])
    await settle()
    await settle()
    expect(wrapper.find('[aria-label="Side by side timeline"]').exists()).toBe(true)
    expect(wrapper.find('[aria-label="Timeline"]').exists()).toBe(false)
    // One tick each, shared by the merge; the session written as (Alice, the first) is now the active one.
    expect(timelineTickUsers(bob.timeline)).toBe(1)
    expect(sessions.activeId).toBe(alice.id)
    await wrapper.get('.back').trigger('click')
    await settle()
    // Back to the single view of the session written as: the other one is let go.
    expect(timelineTickUsers(bob.timeline)).toBe(0)
    expect(wrapper.find('[aria-label="Timeline"]').exists()).toBe(true)
  })
})

describe('CompareButton', () => {
  useFreshStores()

  it('lets the person tick at least two sessions, then shows them side by side', async () => {
    const { sessions, alice, bob } = twoSessions()
    sessions.add({ name: 'Carol' })
    const wrapper = mountInDocument(CompareButton)
    const toggle = wrapper.get('button')
    expect(toggle.text()).toBe('Side by side')
    await toggle.trigger('click')
    const boxes = wrapper.findAll('input[type="checkbox"]')
    expect(boxes).toHaveLength(3)
    expect(wrapper.get('fieldset').text()).toContain(A)
    // Every session ticked to start with: untick all but one, and Compare is off.
    await boxes[1]!.setValue(false)
    await boxes[2]!.setValue(false)
    const submit = wrapper.get('button[type="submit"]')
    expect(submit.text()).toBe('Compare')
    expect(submit.attributes('disabled')).toBeDefined()
    await boxes[1]!.setValue(true)
    expect(submit.attributes('disabled')).toBeUndefined()
    await wrapper.get('form').trigger('submit')
    await nextTick()
    const compare = useCompareStore()
    expect(compare.isOpen).toBe(true)
    expect(compare.sessionIds).toEqual([alice.id, bob.id])
    expect(wrapper.find('form').exists()).toBe(false)
  })
})

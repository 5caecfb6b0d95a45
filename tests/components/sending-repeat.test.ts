/**
 * Issue 10, repeat: the schedule (src/sending/repeat.ts, with a fake clock: the only place a fake clock is used), and
 * the real thing through the store and the Repeat controls against a recording WebSocket server of the test's own.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { BATCH_MS, needsConfirmation, runRepeat, type RepeatClock } from '../../src/sending/repeat'
import { useSendingStore } from '../../src/stores/sending'
import { useSessionsStore } from '../../src/stores/sessions'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeRecordingServers, connectedComposer, connectWs, sentFrames } from './sending-support'

/** A clock that only moves when told: sleeping moves it to the wake-up time; each send costs `sendCost` ms. */
function fakeClock(sendCost = 0): RepeatClock & { t: number, sleeps: number[], yields: number, tick: (ms: number) => void } {
  const clock = {
    t: 1000,
    sleeps: [] as number[],
    yields: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms)
      clock.t += ms
    },
    yieldNow: async () => { clock.yields++ },
    tick: (ms: number) => { clock.t += ms },
  }
  void sendCost
  return clock
}

describe('runRepeat (fake clock)', () => {
  it('sends count times, the k-th at start + k × interval: a late wake-up is made up, not carried', async () => {
    const clock = fakeClock()
    const sentAt: number[] = []
    const result = await runRepeat({
      count: 5,
      intervalMs: 100,
      signal: new AbortController().signal,
      clock,
      sendOne: (i) => {
        sentAt.push(clock.t)
        // The second send is slow (30 ms): the next waits 70 ms, not 100.
        if (i === 1) clock.tick(30)
        return true
      },
    })
    expect(result).toEqual({ end: 'done', done: 5 })
    expect(sentAt).toEqual([1000, 1100, 1200, 1300, 1400])
    expect(clock.sleeps).toEqual([100, 70, 100, 100])
  })

  it('lateness under a second is made up; a longer stall is not made up in a burst, the schedule goes on from there', async () => {
    for (const [stall, expected] of [[350, [1000, 1100, 1450, 1450, 1450, 1500]], [1500, [1000, 1100, 2600, 2700, 2800, 2900]]] as const) {
      const clock = fakeClock()
      const sentAt: number[] = []
      await runRepeat({ count: 6, intervalMs: 100, signal: new AbortController().signal, clock, sendOne: (i) => {
        sentAt.push(clock.t)
        if (i === 1) clock.tick(stall)
        return true
      } })
      expect(sentAt).toEqual(expected)
    }
  })

  it('stops when aborted, and at the first failed send (error)', async () => {
    const clock = fakeClock()
    const controller = new AbortController()
    const stopped = await runRepeat({ count: 10, intervalMs: 10, signal: controller.signal, clock, sendOne: (i) => {
      if (i === 2) controller.abort()
      return true
    } })
    expect(stopped).toEqual({ end: 'stopped', done: 3 })
    const failed = await runRepeat({ count: 10, intervalMs: 10, signal: new AbortController().signal, clock, sendOne: i => i < 4 })
    expect(failed).toEqual({ end: 'error', done: 4 })
    const thrown = await runRepeat({ count: 10, intervalMs: 0, signal: new AbortController().signal, clock, sendOne: () => { throw new Error('x') } })
    expect(thrown).toEqual({ end: 'error', done: 0 })
  })

  it('interval 0: batches of at most BATCH_MS, then a yield to the event loop', async () => {
    const clock = fakeClock()
    let longest = 0
    let batchStart = clock.t
    const yieldNow = clock.yieldNow
    clock.yieldNow = async () => {
      longest = Math.max(longest, clock.t - batchStart)
      await yieldNow()
      batchStart = clock.t
    }
    const progress: number[] = []
    const result = await runRepeat({ count: 1000, intervalMs: 0, signal: new AbortController().signal, clock, onProgress: d => progress.push(d), sendOne: () => {
      clock.tick(0.1)
      return true
    } })
    expect(result.done).toBe(1000)
    // 1000 sends × 0.1 ms = 100 ms of work: about 13 batches of 8 ms.
    expect(clock.yields).toBeGreaterThanOrEqual(11)
    expect(longest).toBeLessThanOrEqual(BATCH_MS + 0.1 + 1e-9)
    expect(progress.at(-1)).toBe(1000)
  })

  it('asks for a confirmation above 10,000 sends or under 1 ms', () => {
    expect(needsConfirmation(10_000, 1)).toBe(false)
    expect(needsConfirmation(10_001, 1)).toBe(true)
    expect(needsConfirmation(5, 0.5)).toBe(true)
    expect(needsConfirmation(5, 0)).toBe(true)
  })
})

describe('Repeat (store and controls, real sockets)', () => {
  useFreshStores()
  afterEach(closeRecordingServers)

  it('Repeat sends the message "Repeat count" times with its variables expanded each time, with progress', async () => {
    const { server, sessions, session, wrapper } = await connectedComposer()
    sessions.updateComposer(session, { message: 'n={{counter}}' })
    await wrapper.get('input[aria-label="Repeat count"]').setValue('5')
    await wrapper.get('input[aria-label="Repeat count"]').trigger('change')
    await wrapper.get('input[aria-label="Repeat every (ms)"]').setValue('20')
    await wrapper.get('input[aria-label="Repeat every (ms)"]').trigger('change')
    expect(session.sending.repeatCount).toBe(5)
    expect(session.sending.repeatIntervalMs).toBe(20)
    const repeatButton = wrapper.findAll('button').find(b => b.text() === 'Repeat')!
    await repeatButton.trigger('click')
    await nextTick()
    // While it runs, Stop repeat takes its place.
    expect(wrapper.findAll('button').some(b => b.text() === 'Stop repeat')).toBe(true)
    expect(wrapper.findAll('button').some(b => b.text() === 'Repeat')).toBe(false)
    expect(wrapper.get('.repeat [role="status"]').text()).toMatch(/^\d \/ 5$/)
    await vi.waitFor(() => expect(server.received).toHaveLength(5))
    expect(server.received).toEqual(['n=1', 'n=2', 'n=3', 'n=4', 'n=5'])
    expect(sentFrames(session)).toEqual(server.received)
    await vi.waitFor(() => expect(wrapper.get('.repeat [role="status"]').text()).toBe('Repeat done: 5 / 5.'))
    // One history entry for the repeat: the template.
    expect(session.sending.history.map(e => e.message)).toEqual(['n={{counter}}'])
  })

  it('Stop repeat stops it; so does the connection closing, and closing the tab', async () => {
    const { server, sessions, session, wrapper } = await connectedComposer()
    const sending = useSendingStore()
    sessions.updateComposer(session, { message: 'x' })
    sending.setRepeat(session, { count: 1000, intervalMs: 20 })
    const run = sending.repeat(session)
    await vi.waitFor(() => expect(server.received.length).toBeGreaterThanOrEqual(2))
    await nextTick()
    await wrapper.findAll('button').find(b => b.text() === 'Stop repeat')!.trigger('click')
    const stopped = await run
    expect(stopped?.end).toBe('stopped')
    const count = sentFrames(session).length
    expect(count).toBe(stopped!.done)
    await new Promise(r => setTimeout(r, 100))
    expect(sentFrames(session).length).toBe(count)
    await vi.waitFor(() => expect(server.received.length).toBe(count))
    await nextTick()
    expect(wrapper.get('.repeat [role="status"]').text()).toBe(`Repeat stopped at ${stopped!.done} / 1,000.`)

    const second = sending.repeat(session)
    await vi.waitFor(() => expect(server.received.length).toBeGreaterThan(count + 1))
    server.sockets[0]!.close(1000, 'bye')
    expect((await second)?.end).toBe('disconnected')

    await connectWs(session, server.url)
    const third = sending.repeat(session)
    await vi.waitFor(() => expect(sending.runOf(session)?.done).toBeGreaterThan(0))
    sessions.close(session.id)
    expect((await third)?.end).toBe('closed')
  })

  it('stops on the first send that fails, and says so', async () => {
    const { sessions, session, wrapper } = await connectedComposer()
    const sending = useSendingStore()
    sessions.updateComposer(session, { format: 'json', message: '{"n": {{counter}}}' })
    sending.setRepeat(session, { count: 3, intervalMs: 5 })
    expect((await sending.repeat(session))?.end).toBe('done')
    // Bad JSON after expansion: the first send fails and the repeat stops there.
    sessions.updateComposer(session, { message: '{"n": {{counter}}' })
    const run = await sending.repeat(session)
    expect(run).toMatchObject({ end: 'error', done: 0 })
    await nextTick()
    expect(wrapper.get('.repeat [role="status"]').text()).toBe('Repeat stopped at 0 / 3: a send failed.')
    expect(wrapper.text()).toContain('Not valid JSON')
  })

  it('above 10,000 or under 1 ms, a dialog asks first; Cancel sends nothing, Continue starts', async () => {
    const { server, sessions, session, wrapper } = await connectedComposer()
    const sending = useSendingStore()
    sessions.updateComposer(session, { message: 'fast' })
    sending.setRepeat(session, { count: 20_000, intervalMs: 0 })
    await nextTick()
    await wrapper.findAll('button').find(b => b.text() === 'Repeat')!.trigger('click')
    await nextTick()
    const dialog = document.querySelector('dialog')!
    expect(dialog.open).toBe(true)
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Confirm repeat')
    expect(dialog.textContent).toContain('This sends the message 20,000 times.')
    expect(dialog.textContent).toContain('An interval under 1 ms')
    ;[...dialog.querySelectorAll('button')].find(b => b.textContent === 'Cancel')!.click()
    await nextTick()
    await nextTick()
    expect(dialog.open).toBe(false)
    expect(sending.runOf(session)).toBeUndefined()
    sending.setRepeat(session, { count: 100, intervalMs: 0 })
    await nextTick()
    await wrapper.findAll('button').find(b => b.text() === 'Repeat')!.trigger('click')
    await nextTick()
    ;[...dialog.querySelectorAll('button')].find(b => b.textContent === 'Continue')!.click()
    await vi.waitFor(() => expect(sending.runOf(session)?.end).toBe('done'), { timeout: 15_000 })
    await vi.waitFor(() => expect(server.received).toHaveLength(100))
  }, 30_000)
})

describe('in Korean', () => {
  useFreshStores()

  it('the repeat, history and variables controls read in Korean', async () => {
    const { setLocale } = await import('../../src/i18n')
    const sessions = useSessionsStore()
    const session = sessions.add({ type: 'ws' })
    sessions.updateComposer(session, { message: 'n={{counter}} {{x}}' })
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    setLocale('ko', false)
    await nextTick()
    expect(wrapper.find('input[aria-label="반복 횟수"]').exists()).toBe(true)
    expect(wrapper.find('input[aria-label="반복 간격 (ms)"]').exists()).toBe(true)
    const buttons = wrapper.findAll('button').map(b => b.text())
    expect(buttons).toContain('반복')
    expect(buttons).toContain('기록')
    expect(wrapper.get('.variables summary').text()).toBe('변수')
    expect(wrapper.get('.preview').text()).toContain('다음 전송')
    expect(wrapper.get('.preview').text()).toContain('보내지 않았습니다: x라는 변수가 없습니다.')
  })
})

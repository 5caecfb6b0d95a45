import 'fake-indexeddb/auto'
import type { VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, reactive } from 'vue'
import TimelineDetail from '../../src/components/timeline/TimelineDetail.vue'
import TimelinePanel from '../../src/components/timeline/TimelinePanel.vue'
import { setLocale } from '../../src/i18n'
import type { DraftEvent, TimelineEvent } from '../../src/protocol/types'
import { importTimeline } from '../../src/timeline/importExport'
import { Timeline } from '../../src/timeline/timeline'
import { createViewState, type TimelineViewState } from '../../src/timeline/viewState'
import { useSessionsStore } from '../../src/stores/sessions'
import { mountInDocument, nextFrame, unmount, unmountAll } from '../support/mount'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
function frame(i: number, partial: { data?: string | ArrayBuffer, size?: number } = {}): DraftEvent {
  const data = `message ${i}`
  return { time: T0 + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'out' : 'in', transport: 'websocket', data, size: data.length, ...partial }
}

afterEach(() => {
  unmountAll()
  vi.restoreAllMocks()
})

function mountPanel(options: { timeline?: Timeline, view?: TimelineViewState, readOnly?: boolean, sessionId?: string } = {}) {
  const timeline = options.timeline ?? new Timeline()
  // The sessions store keeps the view state reactive; so do the tests.
  const view = options.view ?? reactive(createViewState())
  const wrapper = mountInDocument(TimelinePanel, {
    props: { sessionId: options.sessionId, timeline, protocol: 'ws', view, readOnly: options.readOnly, sessionName: 'echo test', endpoint: 'ws://localhost:8080/echo' },
  })
  return { wrapper, timeline, view }
}

/** A panel showing a session the sessions store holds, as SessionView mounts it. */
function mountSessionPanel() {
  setActivePinia(createPinia())
  const session = useSessionsStore().add({ url: 'ws://localhost:8080/echo' })
  return { ...mountPanel({ sessionId: session.id, timeline: session.timeline, view: session.view }), session }
}

const rowSeqs = (w: VueWrapper) => w.findAll('[role="log"] [data-seq]').map(r => Number(r.attributes('data-seq')))
const countText = (w: VueWrapper) => w.get('.count').text()

describe('TimelinePanel', () => {
  // The first test of the file: the warm-up runs once per page (module), at the first list's mount.
  it('looks up the rows\' font faces while the page is idle, one face per idle callback, with the locale\'s row words', async () => {
    // jsdom has no OffscreenCanvas (Chromium's measures and draws text through the font and glyph caches the page's
    // layout and paint use): a stand-in notes what the warm-up measured and drew, in which face.
    const measured: Array<[string, string]> = []
    const drawn: string[] = []
    class FakeOffscreenCanvas {
      getContext() {
        const context = {
          font: '',
          measureText: (text: string) => { measured.push([context.font, text]); return { width: 0 } },
          fillText: (text: string) => { drawn.push(`${context.font}|${text}`) },
        }
        return context
      }
    }
    vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas)
    const idle: Array<() => void> = []
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => idle.push(callback))
    document.documentElement.style.setProperty('--mono', 'TestMono, monospace')
    try {
      mountPanel()
      // The formats first, then the rows' code (`warmRowPath`: timeline-rows.test.ts), then one face per idle callback.
      const steps: number[] = []
      while (idle.length > 0) {
        idle.shift()!()
        steps.push(measured.length)
      }
      expect(steps).toEqual([0, 0, 1, 2, 3, 4, 4])
      expect(drawn).toEqual(measured.map(([font, text]) => `${font}|${text}`))
      expect(measured.map(([font]) => font)).toEqual(['12px TestMono, monospace', '600 12px TestMono, monospace', '700 12px TestMono, monospace', '11px TestMono, monospace'])
      const text = measured[0]![1]
      for (const word of ['↓', '↑', '•', 'wire', 'lifecycle', 'socketio', 'abcdefghijklmnopqrstuvwxyz', '{"id"']) expect(text).toContain(word)
      // Nothing entered the page.
      expect(document.querySelectorAll('.timeline-row:not([data-seq])')).toHaveLength(0)
    }
    finally {
      document.documentElement.style.removeProperty('--mono')
      vi.unstubAllGlobals()
    }
  })

  it('has the contract names: a log region named Timeline and an Export timeline button', () => {
    const { wrapper } = mountPanel()
    const log = wrapper.get('[role="log"]')
    expect(log.attributes('aria-label')).toBe('Timeline')
    expect(wrapper.findAll('button').map(b => b.text())).toContain('Export timeline')
    expect(log.text()).toBe('No events yet.')
  })

  it('shows appended events once per animation frame, one row each, with every column', async () => {
    const { wrapper, timeline } = mountPanel()
    timeline.append(frame(0))
    timeline.append({ time: T0 + 1.5, layer: 'lifecycle', kind: 'close', dir: 'in', code: 1000, reason: 'bye' })
    expect(rowSeqs(wrapper)).toEqual([]) // nothing until the next frame
    await nextFrame()
    expect(rowSeqs(wrapper)).toEqual([1, 2])
    const cells = wrapper.findAll('[data-seq="1"] > span').map(s => s.text())
    const clock = new Date(T0)
    const hh = String(clock.getHours()).padStart(2, '0')
    const mm = String(clock.getMinutes()).padStart(2, '0')
    expect(cells).toEqual([`${hh}:${mm}:00.000`, '', 'wire', '↓', 'frame', '9 B', 'message 0'])
    expect(wrapper.findAll('[data-seq="2"] > span').map(s => s.text()).slice(1)).toEqual(['+1.5 ms', 'lifecycle', '↓', 'close', '', '1000 bye'])
    expect(countText(wrapper)).toBe('2 of 2')
  })

  it('renders only a window of rows and follows the tail', async () => {
    const { wrapper, timeline } = mountPanel()
    for (let i = 0; i < 5000; i++) timeline.append(frame(i))
    await nextFrame()
    const seqs = rowSeqs(wrapper)
    expect(seqs.length).toBeLessThan(60)
    expect(seqs.at(-1)).toBe(5000)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 5000 - seqs.length + 1 + i))
    expect(countText(wrapper)).toBe('5,000 of 5,000')
    timeline.append(frame(5000))
    await nextFrame()
    expect(rowSeqs(wrapper).at(-1)).toBe(5001)
  })

  it('filters by direction and text, showing N of M', async () => {
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 20; i++) timeline.append(frame(i))
    await nextFrame()
    await wrapper.get('[role="group"][aria-label="Direction"] button:nth-child(2)').trigger('click') // ↑ Out
    await nextTick()
    expect(view.filter.directions).toEqual(['out'])
    expect(countText(wrapper)).toBe('10 of 20')
    expect(rowSeqs(wrapper)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20])
    // Text fields wait until typing pauses (150 ms) before rebuilding the index.
    await wrapper.get('input[aria-label="Filter text"]').setValue('message 1')
    await new Promise(resolve => setTimeout(resolve, 200))
    await nextTick()
    expect(view.filter.text).toBe('message 1')
    expect(rowSeqs(wrapper)).toEqual([2, 12, 14, 16, 18, 20]) // out frames 1, 11, 13, 15, 17, 19
    expect(countText(wrapper)).toBe('6 of 20')
    // New events are filtered as they come.
    timeline.append(frame(21))
    timeline.append(frame(22))
    await nextFrame()
    expect(countText(wrapper)).toBe('6 of 22')
  })

  it('says what is wrong with a bad regular expression', async () => {
    const { wrapper, view } = mountPanel()
    view.filter.regex = true
    view.filter.text = '(['
    await nextTick()
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^The regular expression is not valid: /)
  })

  it('selects a row on click, stops following, and shows it in the detail pane', async () => {
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 10; i++) timeline.append(frame(i, { data: `{"n":${i}}` }))
    await nextFrame()
    await wrapper.get('[data-seq="4"]').trigger('click')
    expect(view.selectedSeq).toBe(4)
    expect(view.following).toBe(false)
    expect(wrapper.get('[data-seq="4"]').attributes('aria-current')).toBe('true')
    const detail = wrapper.get('[aria-label="Event detail"]')
    expect(detail.get('.head strong').text()).toBe('#4 frame')
    expect(detail.get('[role="tabpanel"]').text()).toContain('n: 3')
  })

  it('keeps the selected event\'s object while a flood goes on, so the detail pane is not rendered again each tick', async () => {
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 10; i++) timeline.append(frame(i))
    await nextFrame()
    view.selectedSeq = 4
    await nextFrame()
    const shownEvent = () => (wrapper.findComponent(TimelineDetail).props() as { event?: TimelineEvent }).event
    const shown = shownEvent()
    expect(shown?.seq).toBe(4)
    // Plain frames are kept compact: once out of the timeline's small cache of events, `get` makes a new object.
    for (let tick = 0; tick < 3; tick++) {
      for (let i = 0; i < 1500; i++) timeline.append(frame(10 + tick * 1500 + i))
      // Another reader (the charts' statistics, an export) makes the frames that share the selected one's cache slot.
      for (let seq = 4 + 1024; seq < timeline.seqNext; seq += 1024) timeline.get(timeline.indexOfSeq(seq))
      await nextFrame()
      expect(shownEvent()).toBe(shown)
    }
    expect(wrapper.get('[aria-label="Event detail"] .head strong').text()).toBe('#4 frame')
    // Another selection, and a cleared timeline, still show what they should.
    view.selectedSeq = 5
    await nextFrame()
    expect(shownEvent()?.seq).toBe(5)
    timeline.clear()
    await nextFrame()
    expect(wrapper.findComponent(TimelineDetail).exists()).toBe(false)
  })

  it('moves the selection with the keyboard: arrows, Home, End, Enter', async () => {
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 10; i++) timeline.append(frame(i))
    await nextFrame()
    const log = wrapper.get('[role="log"]')
    view.selectedSeq = 5
    await nextTick()
    await log.trigger('keydown', { key: 'ArrowDown' })
    expect(view.selectedSeq).toBe(6)
    await log.trigger('keydown', { key: 'ArrowUp' })
    await log.trigger('keydown', { key: 'ArrowUp' })
    expect(view.selectedSeq).toBe(4)
    await log.trigger('keydown', { key: 'Home' })
    expect(view.selectedSeq).toBe(1)
    await log.trigger('keydown', { key: 'ArrowUp' })
    expect(view.selectedSeq).toBe(1)
    await log.trigger('keydown', { key: 'End' })
    expect(view.selectedSeq).toBe(10)
    expect(view.following).toBe(true)
    await log.trigger('keydown', { key: 'Enter' })
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Event detail')
  })

  it('keyboard moves within the filtered view', async () => {
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 10; i++) timeline.append(frame(i))
    view.filter.directions = ['in']
    await nextFrame()
    view.selectedSeq = 3
    await nextTick()
    await wrapper.get('[role="log"]').trigger('keydown', { key: 'ArrowDown' })
    expect(view.selectedSeq).toBe(5)
  })

  it('pauses (still counting) and resumes following; clears through the sessions store', async () => {
    const { wrapper, timeline, view } = mountSessionPanel()
    timeline.append(frame(0))
    await nextFrame()
    const button = (name: string) => wrapper.findAll('button').find(b => b.text() === name)!
    await button('Pause').trigger('click')
    expect(view.paused).toBe(true)
    expect(wrapper.get('[role="note"]').text()).toBe('Paused: still receiving, not following the tail.')
    timeline.append(frame(1))
    await nextFrame()
    expect(countText(wrapper)).toBe('2 of 2')
    await button('Resume').trigger('click')
    expect(view.paused).toBe(false)
    expect(view.following).toBe(true)
    view.selectedSeq = 1
    view.following = false
    await button('Clear').trigger('click')
    await nextFrame()
    expect(timeline.length).toBe(0)
    expect([view.selectedSeq, view.following]).toEqual([null, true])
    expect(countText(wrapper)).toBe('0 of 0')
  })

  it('offers Clear only for a session the store holds', () => {
    const names = mountPanel().wrapper.findAll('button').map(b => b.text())
    expect(names).toContain('Pause')
    expect(names).not.toContain('Clear')
  })

  it('read-only (imported) sessions have no Pause or Clear', () => {
    const { wrapper } = mountPanel({ readOnly: true })
    const names = wrapper.findAll('button').map(b => b.text())
    expect(names).not.toContain('Clear')
    expect(names).not.toContain('Pause')
    expect(names).toContain('Export timeline')
  })

  it('shows how many events the cap dropped', async () => {
    const { wrapper, timeline } = mountPanel({ timeline: new Timeline({ maxEvents: 10 }) })
    for (let i = 0; i < 1234; i++) timeline.append(frame(i))
    await nextFrame()
    expect(wrapper.get('.dropped').text()).toBe('1,224 dropped')
    expect(countText(wrapper)).toBe('10 of 10')
  })

  it('exports all events, or the filtered view, as NDJSON that imports back', async () => {
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:test'
    })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const { wrapper, timeline, view } = mountPanel()
    for (let i = 0; i < 6; i++) timeline.append(frame(i))
    timeline.append(frame(6, { data: new Uint8Array([0, 255]).buffer, size: 2 }))
    await nextFrame()
    await wrapper.findAll('button').find(b => b.text() === 'Export timeline')!.trigger('click')
    view.filter.directions = ['out']
    await nextTick()
    await wrapper.findAll('button').find(b => b.text() === 'Export filtered view')!.trigger('click')
    expect(blobs).toHaveLength(2)
    const all = importTimeline(await blobs[0]!.text())
    const filtered = importTimeline(await blobs[1]!.text())
    if (!all.ok || !filtered.ok) throw new Error('export did not import')
    expect(all.events.map(e => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect([...new Uint8Array(all.events[6]!.data as ArrayBuffer)]).toEqual([0, 255])
    expect(all.meta.sessionName).toBe('echo test')
    // The endpoint travels with the file, so the imported session shows where it was recorded.
    expect(all.meta.endpoint).toBe('ws://localhost:8080/echo')
    expect(filtered.events.map(e => e.seq)).toEqual([2, 4, 6])
  })

  it('renders server data as text, never as markup', async () => {
    const { wrapper, timeline } = mountPanel()
    timeline.append(frame(0, { data: '<img src=x onerror="alert(1)"><b>bold</b>' }))
    await nextFrame()
    await wrapper.get('[data-seq="1"]').trigger('click')
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('[role="log"] b').exists()).toBe(false)
    expect(wrapper.get('[data-seq="1"] .preview').text()).toBe('<img src=x onerror="alert(1)"><b>bold</b>')
  })

  it('keeps its state in the view object across unmount and mount (tab switch)', async () => {
    const timeline = new Timeline()
    const view = reactive(createViewState())
    const first = mountPanel({ timeline, view })
    for (let i = 0; i < 5; i++) timeline.append(frame(i))
    await nextFrame()
    await first.wrapper.get('[data-seq="3"]').trigger('click')
    view.filter.directions = ['in']
    unmount(first.wrapper)
    const second = mountPanel({ timeline, view })
    await nextFrame()
    expect(rowSeqs(second.wrapper)).toEqual([1, 3, 5])
    expect(second.wrapper.get('[aria-label="Event detail"] .head strong').text()).toBe('#3 frame')
  })
})

describe('TimelinePanel in Korean', () => {
  it('speaks Korean throughout, numbers and times in the Korean locale, and follows a switch back to English', async () => {
    setLocale('ko', false)
    const { wrapper, timeline, view } = mountSessionPanel()
    const log = wrapper.get('[role="log"]')
    expect(log.attributes('aria-label')).toBe('타임라인')
    expect(log.text()).toBe('아직 이벤트가 없습니다.')
    const buttons = () => wrapper.findAll('button').map(b => b.text())
    expect(buttons()).toEqual(expect.arrayContaining(['일시 정지', '비우기', '처리량', '지연 시간', '타임라인 내보내기', '필터 결과 내보내기', '↓ 수신', '↑ 송신', '• 로컬', '연결 수명', '와이어']))
    expect(wrapper.get('[role="search"]').attributes('aria-label')).toBe('타임라인 필터')
    expect(wrapper.get('input[type="search"]').attributes('placeholder')).toBe('페이로드 검색…')

    for (let i = 0; i < 1500; i++) timeline.append(frame(i, { data: JSON.stringify({ n: i }) }))
    timeline.append({ time: T0 + 1501.5, layer: 'lifecycle', kind: 'close', dir: 'in', code: 1000, reason: 'by\u202Ee' })
    await nextFrame()
    expect(countText(wrapper)).toBe('1,501개 중 1,501개')
    const last = wrapper.get('[data-seq="1501"]')
    expect(last.get('.layer').text()).toBe('연결 수명')
    expect(last.get('.dir').attributes('aria-label')).toBe('받음')
    expect(last.get('.delta').text()).toBe('+2.5ms')
    // Protocol words stay as they are: the kind, the close code.
    expect(last.get('.kind').text()).toBe('close')
    // Server text keeps its markers; their tooltips name the character in Korean.
    expect(last.get('.preview .invisible-char').attributes('title')).toBe('오른쪽에서 왼쪽 재정의 (U+202E)')

    view.selectedSeq = 1
    await nextTick()
    const detail = wrapper.get('[aria-label="이벤트 상세"]')
    expect(detail.findAll('[role="tab"]').map(t => t.text())).toEqual(['트리', '텍스트', '원본'])
    expect(detail.get('[role="tabpanel"]').attributes('aria-label')).toBe('트리')
    expect(detail.get('.copy').attributes('aria-label')).toBe('JSON 복사')

    await wrapper.findAll('button').find(b => b.text() === '일시 정지')!.trigger('click')
    expect(wrapper.get('.paused-note').text()).toBe('일시 정지: 계속 받는 중이며, 맨 끝을 따라가지 않습니다.')

    setLocale('en', false)
    await nextTick()
    expect(log.attributes('aria-label')).toBe('Timeline')
    expect(buttons()).toEqual(expect.arrayContaining(['Resume', 'Export timeline', '↓ In', 'wire']))
    expect(countText(wrapper)).toBe('1,501 of 1,501')
    expect(wrapper.get('[aria-label="Event detail"] [role="tab"]').text()).toBe('Tree')
    // The rows on screen (the selected first one is) are written again in the new language.
    expect(wrapper.get('[data-seq="1"] .dir').attributes('aria-label')).toBe('received')
    expect(wrapper.get('[data-seq="2"] .delta').text()).toBe('+1.0 ms')
  })
})

describe('row previews', () => {
  it('say a binary payload\'s size and a reconnect\'s delay in the UI\'s language, the bytes as they are', async () => {
    const { wrapper, timeline } = mountPanel()
    timeline.append(frame(0, { data: new Uint8Array([0, 255]).buffer, size: 2 }))
    timeline.append({ time: T0 + 1, layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt: 2, delayMs: 1499.6 })
    await nextFrame()
    const previews = () => wrapper.findAll('[role="log"] .preview').map(p => p.text())
    expect(previews()).toEqual(['binary 2 B: 00 ff', 'in 1,500 ms'])
    setLocale('ko', false)
    await nextTick()
    expect(previews()).toEqual(['바이너리 2 B: 00 ff', '1,500ms 후'])
  })
})

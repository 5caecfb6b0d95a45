import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import CopyButton from '../../src/components/timeline/CopyButton.vue'
import JsonNode from '../../src/components/timeline/JsonNode.vue'
import TimelineDetail from '../../src/components/timeline/TimelineDetail.vue'
import TimelinePanel from '../../src/components/timeline/TimelinePanel.vue'
import TimelineRow from '../../src/components/timeline/TimelineRow.vue'
import type { ProtocolType, TimelineEvent } from '../../src/protocol/types'
import { NESTING_LIMIT } from '../../src/protocol/codec/jsonText'
import { Timeline } from '../../src/timeline/timeline'
import { createViewState } from '../../src/timeline/viewState'
import { mountInDocument, nextFrame, unmountAll } from '../support/mount'
import { nestedArray, nestedObject } from '../support/nested'

/** An event of any kind from its fields (a wire frame unless told), as a server or a file may make it. */
function ev(partial: Record<string, unknown>): TimelineEvent {
  return { seq: 1, time: 1_700_000_000_000, layer: 'wire', kind: 'frame', dir: 'in', ...partial } as TimelineEvent
}
function mountDetail(event: TimelineEvent, protocol: ProtocolType = 'ws') {
  return mount(TimelineDetail, { props: { event, timeline: Timeline.from([event]), protocol } })
}
async function openTab(w: ReturnType<typeof mountDetail>, name: string) {
  await w.findAll('[role="tab"]').find(t => t.text() === name)!.trigger('click')
  return w.get('[role="tabpanel"]')
}
/** The text a Copy button puts on the clipboard. */
function copied(w: ReturnType<typeof mountDetail>, label: string): string {
  const props = w.findAllComponents(CopyButton).map(c => c.props() as { text: string | (() => string), label?: string })
  const text = props.find(p => p.label === label)!.text
  return typeof text === 'function' ? text() : text
}

const DEEP_NOTE = `nested deeper than ${NESTING_LIMIT} levels — shown as text`

describe('detail pane under hostile payloads', () => {
  it('opens for a raw text frame nested 10,000 levels and says it is shown as text past the limit', async () => {
    const data = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
    const w = mountDetail(ev({ data, size: data.length }))
    expect(w.text()).toContain(DEEP_NOTE)
    const text = await openTab(w, 'Text')
    expect(text.get('pre').text().startsWith('[\n  [\n    [')).toBe(true)
    expect(w.get('.deep-note').text()).toContain(DEEP_NOTE)
    // Copy takes the whole value, as JSON that parses back.
    expect(JSON.parse(copied(w, 'Copy text'))).toBeInstanceOf(Array)
  })

  it('opens for Socket.IO arguments nested 2,000 and 10,000 levels, never "[object Object]"', async () => {
    for (const value of [nestedArray(2_000), nestedObject(10_000)]) {
      const w = mountDetail(ev({ layer: 'app', kind: 'event', name: 'deep', namespace: '/', detail: { args: [value] } }), 'socketio')
      expect(w.text()).toContain(DEEP_NOTE)
      const text = await openTab(w, 'Text')
      expect(text.text()).not.toContain('[object Object]')
      expect(text.get('pre').text().length).toBeGreaterThan(1000)
    }
  })

  it('shows a tree node at the nesting limit as its JSON text', () => {
    const w = mount(JsonNode, { props: { name: 'a', value: nestedObject(500), depth: NESTING_LIMIT } })
    expect(w.find('details').exists()).toBe(false)
    expect(w.text()).toContain(DEEP_NOTE)
    expect(w.text()).toContain('{"a":{"a":{"a":')
  })

  it('clips a huge string in the tree and in the text, and Copy takes all of it', async () => {
    const huge = `${'y'.repeat(8 * 1024 * 1024)}END`
    const w = mountDetail(ev({ layer: 'app', kind: 'event', name: 'big', namespace: '/', detail: { args: ['small', huge] } }), 'socketio')
    const leaves = w.findAll('.leaf')
    expect(leaves[0]!.text()).toBe('0: "small"')
    const big = leaves[1]!
    expect(big.text().length).toBeLessThan(20_000)
    expect(big.text()).toContain(`… (${(huge.length - 10_000).toLocaleString('en-US')} more characters)`)
    expect(copied(w, 'Copy JSON')).toBe(JSON.stringify(['small', huge], null, 2))
    const text = await openTab(w, 'Text')
    expect(text.get('pre').text().length).toBeLessThanOrEqual(256 * 1024 + 10)
    expect(text.get('.clipped').text()).toContain('Copy takes all of it')
    expect(copied(w, 'Copy text').endsWith('END"\n]')).toBe(true)
  })

  it('shows the right-to-left override and CR/LF/ESC as markers in names, fields, tree keys and values', () => {
    const name = '\u202Egnp.exe'
    const w = mountDetail(ev({ layer: 'app', kind: 'event', name, namespace: '/\u202Eevil', reason: 'a\r\nb', detail: { args: [{ 'k\u202Ey': 'v\u001B[31m' }] } }), 'socketio')
    const marks = w.findAll('.invisible-char').map(m => m.text())
    // The head, the event and namespace fields, the reason, the tree key and value.
    expect(marks.filter(m => m === '\\u202E').length).toBeGreaterThanOrEqual(4)
    expect(marks).toEqual(expect.arrayContaining(['\\r', '\\n']))
    expect(w.get('.head').text()).toContain('\\u202Egnp.exe')
    expect(w.text()).not.toContain('\u202E')
    expect(w.text()).not.toContain('\u001B')
    expect(w.get('.invisible-char').attributes('title')).toBe('right-to-left override (U+202E)')
  })

  it('shows the markers in the timeline row, kind and preview', () => {
    const row = mount(TimelineRow, { props: { event: ev({ layer: 'app', kind: 'event', name: '\u202Egnp.exe', detail: { args: ['x\r\ny'] } }), selected: false } })
    expect(row.get('.kind').text()).toBe('event \\u202Egnp.exe')
    expect(row.get('.preview').text()).toBe('["x\\r\\ny"]')
    expect(row.get('.kind .invisible-char').text()).toBe('\\u202E')
    const raw = mount(TimelineRow, { props: { event: ev({ data: 'a\r\n\u001Bb' }), selected: false } })
    expect(raw.get('.preview').text()).toBe('a\\r\\n\\u001Bb')
    expect(raw.findAll('.preview .invisible-char')).toHaveLength(3)
  })
})

describe('export under hostile payloads', () => {
  afterEach(() => {
    unmountAll()
    vi.restoreAllMocks()
  })

  it('downloads every event, deep ones included, and names an event it could not write in full', async () => {
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:test'
    })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const timeline = new Timeline()
    timeline.append({ time: 1, layer: 'app', kind: 'event', dir: 'in', name: 'deep', namespace: '/', detail: { args: [nestedArray(10_000)] } })
    // Nothing a server sends can do this (JSON has no getters); it stands for any value the writer cannot handle.
    const broken = { args: ['x'], get other(): unknown { throw new Error('getter exploded') } }
    timeline.append({ time: 2, layer: 'app', kind: 'event', dir: 'in', name: '\u202Ebad', namespace: '/', detail: broken as unknown as { args: unknown[] } })
    timeline.append({ time: 3, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: 'after', size: 5 })
    const wrapper = mountInDocument(TimelinePanel, { props: { timeline, protocol: 'socketio', view: reactive(createViewState()), sessionName: 'hostile' } })
    await nextFrame()
    await wrapper.findAll('button').find(b => b.text() === 'Export timeline')!.trigger('click')
    await vi.waitFor(() => expect(blobs).toHaveLength(1))
    const lines = (await blobs[0]!.text()).trimEnd().split('\n').map(l => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map(l => l.seq)).toEqual([undefined, 1, 2, 3])
    expect(lines[2]!.exportError).toBe('its detail could not be written (getter exploded)')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toContain('one event could not be written in full: #2 event "\\u202Ebad": its detail could not be written (getter exploded)')
  })
})

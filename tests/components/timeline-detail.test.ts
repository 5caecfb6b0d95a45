import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import TimelineDetail from '../../src/components/timeline/TimelineDetail.vue'
import type { ProtocolType, TimelineEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'
import { message } from '../../src/protocol/message'
import { inEnglish } from '../../src/i18n'

function mountDetail(event: TimelineEvent, timeline = Timeline.from([event]), protocol: ProtocolType = 'ws') {
  return mount(TimelineDetail, { props: { event, timeline, protocol } })
}
/** An event of any kind from its fields (a wire frame unless told): what the pane shows, as a file may hold it. */
function ev(partial: Record<string, unknown>): TimelineEvent {
  return { seq: 1, time: 1_700_000_000_000, layer: 'wire', kind: 'frame', dir: 'in', ...partial } as TimelineEvent
}
const tabNames = (w: ReturnType<typeof mountDetail>) => w.findAll('[role="tab"]').map(t => t.text())
async function openTab(w: ReturnType<typeof mountDetail>, name: string) {
  await w.findAll('[role="tab"]').find(t => t.text() === name)!.trigger('click')
  return w.get('[role="tabpanel"]')
}

describe('TimelineDetail', () => {
  it('puts only the start of a huge payload in the DOM and says how much is left out', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024)
    const w = mountDetail(ev({ data: big, size: big.length }))
    // 5 MiB of text is past the JSON/UTF-8 decode limit: no tree, the clipped text.
    expect(tabNames(w)).toEqual(['Text', 'Raw'])
    const text = w.get('[role="tabpanel"]')
    expect(text.get('pre').text()).toHaveLength(256 * 1024)
    expect(text.get('.clipped').text()).toBe(`… ${(big.length - 256 * 1024).toLocaleString('en-US')} more characters not shown. Copy takes all of them.`)

    const bytes = new Uint8Array(1024 * 1024).map((_, i) => i & 0xFF)
    const bin = mountDetail(ev({ data: bytes.buffer, size: bytes.length }))
    const b64 = await openTab(bin, 'Base64')
    expect(b64.get('pre').text()).toBe(Buffer.from(bytes.subarray(0, 196_608)).toString('base64'))
    expect(b64.get('.clipped').text()).toContain(`${(bytes.length - 196_608).toLocaleString('en-US')} more bytes`)
    const raw = await openTab(bin, 'Raw')
    expect(raw.get('pre').text()).toHaveLength(256 * 1024)
    expect(raw.get('.clipped').text()).toBe('Only the start of this frame is shown. Copy takes all of it.')
  })

  it('shows a JSON payload as a collapsible tree and as pretty text', async () => {
    const json = '{"user":{"name":"Ada","tags":["a","b"]},"n":1.5,"ok":true,"none":null}'
    const w = mountDetail(ev({ data: json, size: json.length }))
    expect(tabNames(w)).toEqual(['Tree', 'Text', 'Raw'])
    const tree = w.get('[role="tabpanel"]')
    expect(tree.findAll('.leaf').map(l => l.text())).toEqual(['name: "Ada"', 'n: 1.5', 'ok: true', 'none: null'])
    // Nodes two levels deep start closed and render no children until opened.
    const tags = tree.findAll('details').find(d => d.get('summary').text() === 'tags: [ 2 ]')!
    expect(tags.attributes('open')).toBeUndefined()
    ;(tags.element as HTMLDetailsElement).open = true
    await tags.trigger('toggle')
    expect(tags.findAll('.leaf').map(l => l.text())).toEqual(['0: "a"', '1: "b"'])
    const text = await openTab(w, 'Text')
    expect(text.get('pre').text()).toBe(JSON.stringify(JSON.parse(json), null, 2))
  })

  it('shows binary as a hex dump with ASCII and as base64', async () => {
    const bytes = new Uint8Array([0x48, 0x69, 0x00, 0xFF, ...new TextEncoder().encode('SocketLens rocks!')])
    const w = mountDetail(ev({ data: bytes.buffer, size: bytes.length }))
    expect(tabNames(w)).toEqual(['Hex', 'Base64', 'Raw'])
    expect(w.get('[role="tabpanel"] pre').text()).toBe([
      '00000000  48 69 00 ff 53 6f 63 6b  65 74 4c 65 6e 73 20 72  |Hi..SocketLens r|',
      '00000010  6f 63 6b 73 21                                    |ocks!|',
    ].join('\n'))
    expect((await openTab(w, 'Base64')).get('pre').text()).toBe(Buffer.from(bytes).toString('base64'))
  })

  it('shows a Socket.IO wire frame raw beside its decoded packets', async () => {
    const w = mountDetail(ev({ data: '42/admin,7["chat",{"text":"hi"}]', transport: 'websocket' }), undefined, 'socketio')
    expect(tabNames(w)).toEqual(['Tree', 'Text', 'Raw'])
    expect(w.get('[role="tabpanel"]').findAll('.leaf').map(l => l.text())).toEqual(['0: "chat"', 'text: "hi"'])
    const raw = await openTab(w, 'Raw')
    expect(raw.findAll('pre').map(p => p.text())).toEqual([
      '42/admin,7["chat",{"text":"hi"}]',
      'Engine.IO MESSAGE\nSocket.IO EVENT namespace /admin ack id 7',
    ])
  })

  it('labels Engine.IO control packets and the upgrade probe', async () => {
    const w = mountDetail(ev({ data: '2probe' }), undefined, 'socketio')
    expect((await openTab(w, 'Raw')).findAll('pre')[1]!.text()).toBe('Engine.IO PING (upgrade probe)')
  })

  it('shows Socket.IO arguments (binary inside) as a tree', () => {
    const w = mountDetail(ev({ layer: 'app', kind: 'event', name: 'file', namespace: '/', detail: { args: [{ name: 'a.bin', body: new Uint8Array([1, 2, 3]).buffer }] } }), undefined, 'socketio')
    expect(tabNames(w)).toEqual(['Tree', 'Text', 'Hex', 'Base64'])
    expect(w.get('[role="tabpanel"]').findAll('.leaf').map(l => l.text())).toEqual(['name: "a.bin"', 'body: <binary 3 B>'])
  })

  it('shows the wire frame that carried a Socket.IO event beside it, and links to it', async () => {
    const timeline = Timeline.from([
      ev({ seq: 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: '42["chat","hi"]' }),
      ev({ seq: 2, layer: 'socketio', kind: 'packet', dir: 'in', name: 'EVENT', namespace: '/' }),
      ev({ seq: 3, layer: 'app', kind: 'event', dir: 'in', name: 'chat', namespace: '/', detail: { args: ['hi'] } }),
      ev({ seq: 4, layer: 'app', kind: 'emit', dir: 'out', name: 'reply', namespace: '/', detail: { args: [1] } }),
      ev({ seq: 5, layer: 'socketio', kind: 'packet', dir: 'out', name: 'EVENT', namespace: '/' }),
      ev({ seq: 6, layer: 'wire', kind: 'frame', dir: 'out', transport: 'websocket', data: '42["reply",1]' }),
    ])
    const w = mountDetail(timeline.get(2)!, timeline, 'socketio')
    expect(tabNames(w)).toEqual(['Tree', 'Text', 'Raw'])
    const raw = await openTab(w, 'Raw')
    expect(raw.findAll('pre').map(p => p.text())).toEqual(['42["chat","hi"]', 'Engine.IO MESSAGE\nSocket.IO EVENT namespace /'])
    await raw.get('button.link').trigger('click')
    expect(w.emitted('select')).toEqual([[1]])
    const emitted = mountDetail(timeline.get(3)!, timeline, 'socketio')
    expect((await openTab(emitted, 'Raw')).get('pre').text()).toBe('42["reply",1]')
  })

  it('lists the event fields and its plain-language explanation', () => {
    const w = mountDetail(ev({ layer: 'lifecycle', kind: 'close', code: 1006, reason: '', explain: message('protocol.websocket.handshakeFailed'), detail: { wasClean: false } }))
    const fields = Object.fromEntries(w.findAll('dt').map((dt, i) => [dt.text(), w.findAll('dd')[i]!.text()]))
    expect(fields).toMatchObject({ seq: '1', layer: 'lifecycle', kind: 'close', direction: 'received', code: '1006' })
    expect(w.get('.explanation').text()).toBe(inEnglish(message('protocol.websocket.handshakeFailed')))
    expect(w.get('.extra').text()).toContain('wasClean: false')
    expect(w.findAll('[role="tab"]')).toHaveLength(0)
  })

  it('links an emit to its ack and back', async () => {
    const timeline = Timeline.from([
      ev({ seq: 1, layer: 'app', kind: 'emit', dir: 'out', name: 'echo', namespace: '/', ackId: 3, detail: { args: ['x'] } }),
      ev({ seq: 2, layer: 'app', kind: 'event', dir: 'in', name: 'other', namespace: '/', ackId: 3 }), // server's own id space
      ev({ seq: 3, layer: 'app', kind: 'ack', dir: 'in', name: 'echo', namespace: '/admin', ackId: 3, rttMs: 9 }), // other namespace
      ev({ seq: 4, layer: 'app', kind: 'ack', dir: 'in', name: 'echo', namespace: '/', ackId: 3, rttMs: 4.25, detail: { args: ['x'] } }),
    ])
    const emitView = mountDetail(timeline.get(0)!, timeline, 'socketio')
    const toAck = emitView.get('.partner button')
    expect(toAck.text()).toBe('Go to its ack #4')
    expect(emitView.get('.partner').text()).toContain('round trip 4.3 ms')
    await toAck.trigger('click')
    expect(emitView.emitted('select')).toEqual([[4]])
    const ackView = mountDetail(timeline.get(3)!, timeline, 'socketio')
    expect(ackView.get('.partner button').text()).toBe('Go to the emit that asked #1')
  })

  it('links an ack timeout to its emit', () => {
    const timeline = Timeline.from([
      ev({ seq: 1, layer: 'app', kind: 'emit', dir: 'out', name: 'slow', namespace: '/', ackId: 0, detail: { args: [] } }),
      ev({ seq: 2, layer: 'app', kind: 'ack_timeout', dir: 'local', name: 'slow', namespace: '/', ackId: 0 }),
    ])
    expect(mountDetail(timeline.get(0)!, timeline, 'socketio').get('.partner button').text()).toBe('Go to its ack timeout #2')
  })
})

/**
 * Issue 8, case 11: `<N> frames` in the status bar means frames received on the wire for both protocols (a Socket.IO
 * polling body counts each of its packets, as the driver records them), Socket.IO adds `<M> events` (application
 * events received, acks not counted), and the plural forms are right ("1 frame").
 */
import { afterEach, describe, expect, it } from 'vitest'
import StatusBar from '../../src/components/session/StatusBar.vue'
import type { DraftEvent } from '../../src/protocol/types'
import { createSession } from '../../src/stores/session'
import { setLocale } from '../../src/i18n'
import { mountInDocument, nextFrame, unmountAll } from '../support/mount'
import type { Untimed } from '../support/events'

afterEach(unmountAll)

let t = Date.UTC(2024, 0, 1)
const at = (e: Untimed): DraftEvent => ({ time: t++, ...e }) as DraftEvent
const wsFrame = (data: string) => at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: data.length, data })
const pollingPacket = (data: string, batch: number, index: number) => at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'polling', size: data.length, data, detail: { batch, index } })

async function statusText(session: ReturnType<typeof createSession>): Promise<string> {
  const wrapper = mountInDocument(StatusBar, { props: { session } })
  await nextFrame()
  return wrapper.get('[role="status"]').text()
}

describe('status bar counts', () => {
  it('raw WebSocket: "0 frames", "1 frame", "1,001 frames"', async () => {
    const session = createSession({ url: 'ws://localhost:8080/', type: 'ws' })
    session.state = 'open'
    expect(await statusText(session)).toMatch(/^open · 0 frames · /)
    unmountAll()
    session.timeline.append(wsFrame('a'))
    session.timeline.append(at({ layer: 'wire', kind: 'frame', dir: 'out', transport: 'websocket', size: 1, data: 'b' }))
    expect(await statusText(session)).toMatch(/^open · 1 frame · WebSocket/)
    unmountAll()
    for (let i = 0; i < 1000; i++) session.timeline.append(wsFrame(String(i)))
    expect(await statusText(session)).toMatch(/^open · 1,001 frames · /)
  })

  it('Socket.IO: every Engine.IO packet received is a frame, a polling batch counts its packets; events beside it', async () => {
    const session = createSession({ url: 'http://localhost:3000/', type: 'socketio' })
    session.state = 'open'
    const tl = session.timeline
    // The handshake, the namespace connect, then one polling body of three packets: two events and a ping.
    tl.append(at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'polling', size: 90, data: '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}' }))
    tl.append(at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'polling', size: 20, data: '40{"sid":"y"}' }))
    tl.append(pollingPacket('42["news",1]', 3, 0))
    tl.append(pollingPacket('42["news",2]', 3, 1))
    tl.append(pollingPacket('2', 3, 2))
    tl.append(at({ layer: 'app', kind: 'event', dir: 'in', name: 'news', namespace: '/', detail: { args: [] } }))
    tl.append(at({ layer: 'app', kind: 'event', dir: 'in', name: 'news', namespace: '/', detail: { args: [] } }))
    tl.append(at({ layer: 'app', kind: 'ack', dir: 'in', name: 'ask', namespace: '/', ackId: 0, rttMs: 3, detail: { args: [] } }))
    tl.append(at({ layer: 'app', kind: 'emit', dir: 'out', name: 'ask', namespace: '/', ackId: 0, detail: { args: [] } }))
    expect(await statusText(session)).toMatch(/^open · 5 frames · 2 events · Socket\.IO/)
  })

  it('Socket.IO: "1 event"; clearing the timeline starts both counts over', async () => {
    const session = createSession({ url: 'http://localhost:3000/', type: 'socketio' })
    session.state = 'open'
    session.timeline.append(at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 12, data: '42["hi","x"]' }))
    session.timeline.append(at({ layer: 'app', kind: 'event', dir: 'in', name: 'hi', namespace: '/', detail: { args: [] } }))
    expect(await statusText(session)).toMatch(/^open · 1 frame · 1 event · /)
    unmountAll()
    session.timeline.clear()
    expect(await statusText(session)).toMatch(/^open · 0 frames · 0 events · /)
  })
})

describe('status bar words', () => {
  it('says the contract\'s state words word for word in English', async () => {
    const session = createSession({ url: 'ws://localhost:8080/', type: 'ws' })
    for (const state of ['connecting', 'open', 'reconnecting', 'closed'] as const) {
      session.state = state
      expect(await statusText(session)).toMatch(new RegExp(`^${state} · 0 frames · WebSocket ws://localhost:8080/$`))
      unmountAll()
    }
  })

  it('speaks Korean: state words, counts with the locale\'s digits, one form for every number', async () => {
    setLocale('ko', false)
    const session = createSession({ url: 'http://localhost:3000/', type: 'socketio' })
    session.state = 'reconnecting'
    expect(await statusText(session)).toBe('재연결 중 · 프레임 0개 · 이벤트 0개 · Socket.IO http://localhost:3000/')
    unmountAll()
    session.state = 'open'
    session.timeline.append(at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 12, data: '42["hi","x"]' }))
    session.timeline.append(at({ layer: 'app', kind: 'event', dir: 'in', name: 'hi', namespace: '/', detail: { args: [] } }))
    expect(await statusText(session)).toBe('연결됨 · 프레임 1개 · 이벤트 1개 · Socket.IO http://localhost:3000/')
    unmountAll()
    for (let i = 0; i < 1000; i++) session.timeline.append(wsFrame(String(i)))
    expect(await statusText(session)).toMatch(/^연결됨 · 프레임 1,001개 · 이벤트 1개 · /)
    unmountAll()
    const ws = createSession({ url: 'ws://localhost:8080/', type: 'ws' })
    ws.state = 'closed'
    expect(await statusText(ws)).toBe('연결 끊김 · 프레임 0개 · 웹소켓 ws://localhost:8080/')
  })

  it('says what the buffer cap dropped, in either language', async () => {
    const session = createSession({ url: 'ws://localhost:8080/', type: 'ws' })
    session.state = 'open'
    session.timeline.setLimits({ maxEvents: 2 })
    for (let i = 0; i < 1_236; i++) session.timeline.append(wsFrame(String(i)))
    expect(await statusText(session)).toMatch(/^open · 1,236 frames · 1,234 dropped by the buffer cap · WebSocket /)
    unmountAll()
    setLocale('ko', false)
    expect(await statusText(session)).toMatch(/^연결됨 · 프레임 1,236개 · 버퍼 한도로 1,234개 버림 · 웹소켓 /)
  })
})

import type { VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws'
import DiagnosisBanner from '../../src/components/connection/DiagnosisBanner.vue'
import { DiagnosisTracker } from '../../src/composables/useLatestDiagnosis'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import type { DraftEvent, TimelineEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'
import { closedPort } from '../support/ports'
import { mountInDocument, nextFrame, unmount, unmountAll } from '../support/mount'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
let clock = 0
function at(partial: Omit<DraftEvent, 'time' | 'dir'> & { dir?: DraftEvent['dir'] }): DraftEvent {
  return { time: T0 + clock++, dir: 'local', ...partial }
}

// What the WebSocket driver emits for a failed handshake (src/protocol/websocket/driver.ts, header table).
const wsConnecting = (attempt = 0) => at({ layer: 'lifecycle', kind: 'connecting', attempt, detail: { url: 'ws://127.0.0.1:9/', protocols: [] } })
const wsRefused = () => at({
  layer: 'lifecycle',
  kind: 'error',
  explanation: 'The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.',
  detail: { diagnosis: 'nothing-listening', title: 'Nothing listening', nextStep: 'Start the server, or check the host and the port.', message: 'connect ECONNREFUSED 127.0.0.1:1234' },
})
const wsHandshakeClose = () => at({
  layer: 'lifecycle',
  kind: 'close',
  code: 1006,
  reason: '',
  explanation: 'The opening handshake failed, so the connection ended without a close frame (1006). The error above says what most likely happened.',
  detail: { wasClean: false, byUser: false, closedBy: 'network' },
})
const wsOpen = () => at({ layer: 'lifecycle', kind: 'open', dir: 'in', detail: { handshakeMs: 3, protocol: '', extensions: '' } })
const wireFrame = (i: number) => at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 4, data: `f${i}` })

function feed(tracker: DiagnosisTracker, timeline: Timeline, drafts: DraftEvent[]): TimelineEvent[] {
  return drafts.map((draft) => {
    const event = timeline.append(draft)
    tracker.observe(event)
    return event
  })
}

describe('DiagnosisTracker', () => {
  it('explains a failed handshake by its error, keeps the close beside it, counts repeats and the give-up', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    const [, error, close] = feed(tracker, timeline, [wsConnecting(), wsRefused(), wsHandshakeClose()])
    expect(tracker.latest).toEqual({
      event: error,
      close,
      diagnosis: 'nothing-listening',
      title: 'Nothing listening',
      explanation: 'The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.',
      nextStep: 'Start the server, or check the host and the port.',
      evidence: [],
      guess: false,
      repeats: 1,
    })
    const [, , error2, close2] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'reconnect_attempt', attempt: 1, delayMs: 500 }),
      wsConnecting(1),
      wsRefused(),
      wsHandshakeClose(),
    ])
    expect(tracker.latest?.event).toBe(error2)
    expect(tracker.latest?.close).toBe(close2)
    expect(tracker.latest?.repeats).toBe(2)
    const [failed] = feed(tracker, timeline, [at({ layer: 'lifecycle', kind: 'reconnect_failed', attempt: 1 })])
    expect(tracker.latest?.gaveUp).toBe(failed)
    expect(tracker.latest?.event).toBe(error2)
  })

  it('forgets the failure when a later open succeeds, and when the person presses Connect again', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    feed(tracker, timeline, [wsConnecting(), wsRefused(), wsHandshakeClose(), wsConnecting(1)])
    expect(tracker.latest?.title).toBe('Nothing listening') // a reconnect attempt is still the same run
    const [open] = feed(tracker, timeline, [wsOpen()])
    expect(tracker.latest).toBeUndefined()
    expect(tracker.runStartSeq).toBe(open!.seq)
    feed(tracker, timeline, [wsHandshakeClose(), wsConnecting(0)])
    expect(tracker.latest).toBeUndefined()
  })

  it('ignores closes the person asked for and clean 1000/1005 closes; explains any other close on its own', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    feed(tracker, timeline, [
      wsConnecting(),
      wsOpen(),
      at({ layer: 'lifecycle', kind: 'close', code: 1000, reason: '', explanation: 'x', detail: { wasClean: true, byUser: true, closedBy: 'client' } }),
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 1000, reason: 'done', explanation: 'x', detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 1005, reason: '', explanation: 'x', detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
      at({ layer: 'lifecycle', kind: 'close', code: 1006, reason: '', explanation: 'Connecting was cancelled', detail: { wasClean: false, byUser: true, closedBy: 'client' } }),
    ])
    expect(tracker.latest).toBeUndefined()
    const [close] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 4001, reason: 'token expired', explanation: '4001: application-defined.', detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
    ])
    expect(tracker.latest).toEqual({ event: close, diagnosis: undefined, title: 'Closed: Application code', explanation: '4001: application-defined.', nextStep: undefined, evidence: [], guess: false, repeats: 1 })
  })

  it('Socket.IO: titles from the diagnosis, namespaces fail and connect separately, client disconnects are no failure', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    const authRejected = at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/admin',
      reason: 'not authorized',
      explanation: 'The server reached the namespace /admin but its middleware refused the connection: "not authorized".',
      detail: { diagnosis: 'auth-rejected', title: 'Rejected by server middleware', nextStep: 'Check the auth payload.', willRetry: false, data: { reason: 'invalid token' } },
    })
    const [, , error] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/', detail: { sid: 'a', recovered: false } }),
      at({ layer: 'lifecycle', kind: 'connecting', namespace: '/admin' }),
      authRejected,
      at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/', detail: { sid: 'b', recovered: false } }),
      at({ layer: 'lifecycle', kind: 'disconnect', namespace: '/', reason: 'io client disconnect', detail: { willRetry: false, wasConnected: true } }),
    ])
    expect(tracker.latest?.event).toBe(error)
    expect(tracker.latest?.title).toBe('Rejected by server middleware')
    expect(tracker.latest?.nextStep).toBe('Check the auth payload.')
    feed(tracker, timeline, [at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/admin', detail: { sid: 'c', recovered: false } })])
    expect(tracker.latest).toBeUndefined()

    const [ping] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'disconnect', dir: 'in', namespace: '/', reason: 'ping timeout', explanation: 'No heartbeat arrived.', detail: { willRetry: true, wasConnected: true, diagnosis: 'ping-timeout', title: 'Heartbeat lost' } }),
    ])
    expect(tracker.latest).toMatchObject({ event: ping, title: 'Heartbeat lost', explanation: 'No heartbeat arrived.' })
    feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'disconnect', dir: 'in', namespace: '/', reason: 'io server disconnect', explanation: 'The server disconnected this socket.', detail: { willRetry: false, wasConnected: true } }),
    ])
    expect(tracker.latest?.title).toBe('Disconnected by the server')
  })

  it('an imported file cannot reach prototype keys through detail.diagnosis', () => {
    const tracker = new DiagnosisTracker()
    feed(tracker, new Timeline(), [at({ layer: 'lifecycle', kind: 'connect_error', explanation: 'odd', detail: { diagnosis: 'constructor' } })])
    expect(tracker.latest?.title).toBe('Connection failed')
  })
})

afterEach(() => {
  unmountAll()
  vi.restoreAllMocks()
})

describe('DiagnosisTracker: connections that keep closing soon after they open', () => {
  const shortLivedClose = () => at({
    layer: 'lifecycle', kind: 'close', dir: 'in', code: 1011, reason: '',
    explanation: 'The server at 127.0.0.1:8080 closes every connection after about 1.5 s (2 times in a row) with 1011 (Internal server error).',
    detail: { wasClean: true, byUser: false, closedBy: 'server', diagnosis: 'short-lived', title: 'The server closes every connection after about 1.5 s', untilStable: true, evidence: ['Closed within 1.5 s of opening 2 times in a row'] },
  })

  it('keeps the diagnosis through the next open, and drops it once the driver says the connection is stable', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    feed(tracker, timeline, [wsConnecting(), wsOpen(), shortLivedClose(), at({ layer: 'lifecycle', kind: 'reconnect_attempt', attempt: 1, delayMs: 500 }), wsConnecting(1), wsOpen()])
    expect(tracker.latest?.title).toBe('The server closes every connection after about 1.5 s')
    feed(tracker, timeline, [at({ layer: 'lifecycle', kind: 'stable', attempt: 1, explanation: 'The connection stayed up for 5 s.' })])
    expect(tracker.latest).toBeUndefined()
  })

  it('the person\'s Connect drops it too', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    feed(tracker, timeline, [wsConnecting(), wsOpen(), shortLivedClose(), wsConnecting(0)])
    expect(tracker.latest).toBeUndefined()
  })
})

describe('DiagnosisBanner', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
  })

  function mountBanner(timeline = new Timeline()) {
    const wrapper = mountInDocument(DiagnosisBanner, { props: { timeline } })
    return { wrapper, timeline }
  }
  const region = (w: VueWrapper) => w.find('[role="region"][aria-label="Diagnosis"]')
  const button = (w: VueWrapper, name: string) => w.findAll('button').find(b => b.text() === name || b.attributes('aria-label') === name)!

  it('shows nothing until a failure, then title, explanation, next step and the close code', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(wsConnecting())
    await nextFrame()
    expect(region(wrapper).exists()).toBe(false)
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('')
    timeline.append(wsRefused())
    timeline.append(wsHandshakeClose())
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe('Nothing listening')
    expect(banner.get('.explanation').text()).toBe('The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.')
    expect(banner.get('.next-step').text()).toBe('Next step: Start the server, or check the host and the port.')
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['Close code 1006 (Abnormal closure)'])
  })

  it('lists the evidence under "Why we think so" as text, and labels a guess', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/',
      reason: 'xhr poll error',
      explanation: 'The polling request failed with HTTP status 0.',
      detail: { diagnosis: 'cors-polling', title: 'Polling blocked (CORS?)', guess: true, evidence: ['HTTP status 0 on polling request (the browser hid the response)', '<b>not markup</b>', 42] },
    }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('.guess').text()).toBe('a guess')
    const why = banner.get('ul[aria-label="Why we think so"]')
    // Non-strings from an imported file are dropped; server text stays text.
    expect(why.findAll('li').map(li => li.text())).toEqual(['HTTP status 0 on polling request (the browser hid the response)', '<b>not markup</b>'])
    expect(why.find('b').exists()).toBe(false)
  })

  it('Socket.IO: the diagnosis title, the explanation as given, namespace, HTTP status and the give-up', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/',
      reason: 'xhr poll error',
      explanation: 'The server at 127.0.0.1:3000 answered the handshake with HTTP 403 instead of switching protocols. Check the credentials.',
      detail: { diagnosis: 'handshake-rejected', title: 'Handshake rejected', willRetry: true, type: 'TransportError', httpStatus: 403 },
    }))
    timeline.append(at({ layer: 'lifecycle', kind: 'reconnect_failed', attempt: 3, explanation: 'Gave up after 3 reconnection attempts.' }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe('Handshake rejected')
    expect(banner.get('.explanation').text()).toBe('The server at 127.0.0.1:3000 answered the handshake with HTTP 403 instead of switching protocols. Check the credentials.')
    expect(banner.find('.next-step').exists()).toBe(false)
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['HTTP status 403', 'Namespace /', 'Gave up after 3 reconnect attempts'])
  })

  it('a connect timeout leaves out the 1006 SocketLens reports for the socket it let go', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(wsConnecting())
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_timeout',
      explanation: 'Nothing answered the WebSocket handshake within 301 ms.',
      detail: { timeoutMs: 300, diagnosis: 'connect-timeout', title: 'No answer to the handshake', nextStep: 'Raise the connect timeout.' },
    }))
    timeline.append(at({ layer: 'lifecycle', kind: 'close', code: 1006, reason: '', explanation: 'SocketLens gave up.', detail: { wasClean: false, byUser: false, closedBy: 'client' } }))
    timeline.append(at({ layer: 'lifecycle', kind: 'reconnect_attempt', attempt: 1, delayMs: 500 }))
    timeline.append(wsConnecting(1))
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_timeout',
      explanation: 'Nothing answered the WebSocket handshake within 302 ms.',
      detail: { timeoutMs: 300, diagnosis: 'connect-timeout', title: 'No answer to the handshake', nextStep: 'Raise the connect timeout.' },
    }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe('No answer to the handshake')
    expect(banner.get('.explanation').text()).toBe('Nothing answered the WebSocket handshake within 302 ms.')
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['Failed the same way 2 times in a row'])
  })

  it('"Show in timeline" asks to select the explaining event (SessionView hands it to the sessions store)', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(wsConnecting())
    const error = timeline.append(wsRefused())
    timeline.append(wsHandshakeClose())
    await nextFrame()
    await button(wrapper, 'Show in timeline').trigger('click')
    expect(wrapper.emitted('select')).toEqual([[error.seq]])
  })

  it('dismiss hides it for the rest of the run, also when it repeats; a new run brings it back', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(wsConnecting())
    timeline.append(wsRefused())
    timeline.append(wsHandshakeClose())
    await nextFrame()
    await button(wrapper, 'Dismiss').trigger('click')
    expect(region(wrapper).exists()).toBe(false)
    timeline.append(wsConnecting(1))
    timeline.append(wsRefused())
    timeline.append(wsHandshakeClose())
    await nextFrame()
    expect(region(wrapper).exists()).toBe(false)
    // The dismissal goes with the session's timeline: a remount (tab switch) keeps it.
    unmount(wrapper)
    const again = mountBanner(timeline).wrapper
    await nextFrame()
    expect(region(again).exists()).toBe(false)
    timeline.append(wsConnecting(0))
    timeline.append(wsRefused())
    await nextFrame()
    expect(region(again).get('h2').text()).toBe('Nothing listening')
  })

  it('disables "Show in timeline" once the buffer cap dropped the event, and goes away when the timeline is cleared', async () => {
    const { wrapper, timeline } = mountBanner(new Timeline({ maxEvents: 3 }))
    timeline.append(wsRefused())
    await nextFrame()
    expect(button(wrapper, 'Show in timeline').attributes('disabled')).toBeUndefined()
    for (let i = 0; i < 3; i++) timeline.append(wireFrame(i))
    await nextFrame()
    expect(region(wrapper).get('h2').text()).toBe('Nothing listening')
    expect(button(wrapper, 'Show in timeline').attributes('disabled')).toBeDefined()
    timeline.clear()
    await nextFrame()
    expect(region(wrapper).exists()).toBe(false)
  })

  it('reads only new events, and none at all while only frames arrive', async () => {
    const timeline = new Timeline()
    for (let i = 0; i < 1000; i++) timeline.append(wireFrame(i))
    timeline.append(wsRefused())
    const get = vi.spyOn(timeline, 'get')
    const { wrapper } = mountBanner(timeline)
    await nextFrame()
    // The first tick reads everything once (plus a few lookups by seq); the banner shows the failure.
    expect(new Set(get.mock.calls.map(([index]) => index)).size).toBe(1001)
    expect(get.mock.calls.length).toBeLessThan(1001 + 10)
    expect(region(wrapper).get('h2').text()).toBe('Nothing listening')
    get.mockClear()
    for (let i = 0; i < 5000; i++) timeline.append(wireFrame(i))
    await nextFrame()
    // No lifecycle event arrived: only the "still in the timeline" lookup by seq, never a scan of the flood.
    expect(get.mock.calls.length).toBeLessThan(10)
    get.mockClear()
    timeline.append(wsOpen())
    await nextFrame()
    expect(get.mock.calls.map(([index]) => index)).toContain(timeline.length - 1)
    expect(get.mock.calls.length).toBeLessThan(10)
    expect(region(wrapper).exists()).toBe(false)
  })

  it('renders server text as text, never as markup', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 4000, reason: '<img src=x onerror=alert(1)>', explanation: '<b>bold</b>', detail: { wasClean: true } }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.find('img').exists()).toBe(false)
    expect(banner.find('b').exists()).toBe(false)
    expect(banner.get('.explanation').text()).toBe('<b>bold</b>')
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['Close code 4000 (Application code)', 'Reason "<img src=x onerror=alert(1)>"'])
  })

  it('explains a real refused connection from the WebSocket driver (ws in Node, a port nothing listens on)', async () => {
    const port = await closedPort()
    const { wrapper, timeline } = mountBanner()
    const closed = new Promise<void>((resolve) => {
      const driver = createWebSocketDriver(
        { url: `ws://127.0.0.1:${port}/`, WebSocket: NodeWebSocket as unknown as typeof WebSocket, reconnect: { enabled: false } },
        timeline.append,
        { onState: state => state === 'closed' && resolve() },
      )
      driver.connect()
    })
    await closed
    await nextFrame()
    expect(timeline.toArray().map(e => e.kind)).toEqual(['connecting', 'error', 'close'])
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe('Nothing listening')
    expect(banner.get('.explanation').text()).toBe(`The connection to 127.0.0.1:${port} was refused: nothing is listening on that port.`)
    expect(banner.get('.next-step').text()).toBe('Next step: Start the server, or check the host and the port.')
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['Close code 1006 (Abnormal closure)'])
  })

  it('stays, with the pattern and its evidence, while the WebSocket driver reconnects to a server that closes every connection soon', async () => {
    // A server of this test's own: accepts, then closes 1011 after 150 ms, every time (issue 8, case 7).
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    wss.on('connection', ws => setTimeout(() => ws.close(1011, 'bye'), 150))
    await new Promise(resolve => wss.once('listening', resolve))
    const { wrapper, timeline } = mountBanner()
    const driver = createWebSocketDriver(
      { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`, WebSocket: NodeWebSocket as unknown as typeof WebSocket, reconnect: { initialDelayMs: 10, maxAttempts: 5, jitter: 0 } },
      timeline.append,
    )
    try {
      driver.connect()
      // The third open comes after two short-lived closes: the diagnosis must still be there.
      await vi.waitFor(() => expect(timeline.toArray().filter(e => e.kind === 'open')).toHaveLength(3), { timeout: 8000 })
      await nextFrame()
      const banner = region(wrapper)
      expect(banner.get('h2').text()).toMatch(/^The server closes every connection after about [\d.]+ m?s$/)
      expect(banner.get('.explanation').text()).toMatch(/\(2 times in a row\)/)
      expect(banner.findAll('.evidence li').map(li => li.text())).toEqual(expect.arrayContaining([expect.stringMatching(/^Closed within [\d.]+ m?s of opening 2 times in a row$/)]))
    }
    finally {
      driver.dispose()
      await new Promise(resolve => wss.close(resolve))
    }
  })
})

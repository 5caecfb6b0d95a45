import type { VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws'
import DiagnosisBanner from '../../src/components/connection/DiagnosisBanner.vue'
import { inEnglish, setLocale } from '../../src/i18n'
import { diagnose, diagnosisText, makeDiagnosis, type Diagnosis } from '../../src/protocol/diagnose'
import { message, type MessageRef } from '../../src/protocol/message'
import { closeCodeInfo, explainCloseCode } from '../../src/protocol/closeCodes'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import type { DraftEvent, TimelineEvent } from '../../src/protocol/types'
import { DiagnosisTracker } from '../../src/timeline/diagnosisTracker'
import { importedExplanation } from '../../src/timeline/exportWords'
import { Timeline } from '../../src/timeline/timeline'
import { closedPort } from '../support/ports'
import { mountInDocument, nextFrame, unmount, unmountAll } from '../support/mount'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)
let clock = 0
function at(partial: Omit<DraftEvent, 'time' | 'dir'> & { dir?: DraftEvent['dir'] }): DraftEvent {
  return { time: T0 + clock++, dir: 'local', ...partial } as DraftEvent
}

/** What a person reads in English (the locale the tests run in): the catalogue's words for a message. */
const english = (ref: MessageRef): string => inEnglish(ref)

/** An event's words as the driver gives them: `explain` and `detail.diagnosis` (diagnose.ts). */
const said = (diagnosis: Diagnosis) => ({ explain: diagnosisText(diagnosis, 'explanation'), detail: { diagnosis } })

// What the WebSocket driver emits for a failed handshake (src/protocol/websocket/driver.ts).
const REFUSED = diagnose({ protocol: 'ws', url: 'ws://127.0.0.1:1234/', everOpened: false, error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' } })
const wsConnecting = (attempt = 0) => at({ layer: 'lifecycle', kind: 'connecting', attempt, detail: { url: 'ws://127.0.0.1:9/', protocols: [] } })
const wsRefused = () => at({
  layer: 'lifecycle',
  kind: 'error',
  explain: diagnosisText(REFUSED, 'explanation'),
  detail: { diagnosis: REFUSED, message: 'connect ECONNREFUSED 127.0.0.1:1234' },
})
const wsHandshakeClose = () => at({
  layer: 'lifecycle',
  kind: 'close',
  code: 1006,
  reason: '',
  explain: message('protocol.websocket.handshakeFailed'),
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
    expect(REFUSED).toMatchObject({ id: 'nothing-listening', variant: 'refused', params: { where: '127.0.0.1:1234' } })
    expect(tracker.latest).toEqual({
      event: error,
      close,
      diagnosis: REFUSED,
      diagnosisId: 'nothing-listening',
      title: { key: 'diagnoses.nothing-listening.refused.title', params: { where: '127.0.0.1:1234' } },
      explanation: { key: 'diagnoses.nothing-listening.refused.explanation', params: { where: '127.0.0.1:1234' } },
      nextStep: { key: 'diagnoses.nothing-listening.refused.nextStep', params: { where: '127.0.0.1:1234' } },
      evidence: REFUSED.evidence,
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
    expect(tracker.latest?.diagnosisId).toBe('nothing-listening') // a reconnect attempt is still the same run
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
      at({ layer: 'lifecycle', kind: 'close', code: 1000, reason: '', explain: message('protocol.closeCode.explain'), detail: { wasClean: true, byUser: true, closedBy: 'client' } }),
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 1000, reason: 'done', explain: message('protocol.closeCode.explain'), detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 1005, reason: '', explain: message('protocol.closeCode.explain'), detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
      at({ layer: 'lifecycle', kind: 'close', code: 1006, reason: '', explain: message('protocol.websocket.cancelled'), detail: { wasClean: false, byUser: true, closedBy: 'client' } }),
    ])
    expect(tracker.latest).toBeUndefined()
    const [close] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 4001, reason: 'token expired', explain: message('protocol.closeCode.explain', { code: 4001 }), detail: { wasClean: true, byUser: false, closedBy: 'server' } }),
    ])
    expect(tracker.latest).toEqual({
      event: close,
      diagnosisId: undefined,
      title: { key: 'diagnoses.heading.closed', params: { name: { key: 'protocol.closeCode.application.name', params: { code: 4001 } } } },
      explanation: { key: 'protocol.closeCode.explain', params: { code: 4001 } },
      nextStep: undefined,
      evidence: [],
      guess: false,
      repeats: 1,
    })
  })

  it('Socket.IO: titles from the diagnosis, namespaces fail and connect separately, client disconnects are no failure', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    const rejected = diagnose({ protocol: 'socketio', url: 'http://127.0.0.1:3000/admin', socketIoErrorMessage: 'not authorized' })
    const authRejected = at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/admin',
      reason: 'not authorized',
      explain: diagnosisText(rejected, 'explanation'),
      detail: { diagnosis: rejected, willRetry: false, data: { reason: 'invalid token' } },
    })
    const [, , error] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/', detail: { sid: 'a', recovered: false } }),
      at({ layer: 'lifecycle', kind: 'connecting', namespace: '/admin' }),
      authRejected,
      at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/', detail: { sid: 'b', recovered: false } }),
      at({ layer: 'lifecycle', kind: 'disconnect', namespace: '/', reason: 'io client disconnect', detail: { willRetry: false, wasConnected: true } }),
    ])
    expect(tracker.latest?.event).toBe(error)
    expect(tracker.latest?.title).toEqual(diagnosisText(rejected, 'title'))
    expect(tracker.latest?.nextStep).toEqual({ key: 'diagnoses.auth-rejected.default.nextStep', params: rejected.params })
    feed(tracker, timeline, [at({ layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: '/admin', detail: { sid: 'c', recovered: false } })])
    expect(tracker.latest).toBeUndefined()

    const lost = makeDiagnosis('ping-timeout', 'default')
    const next = message('protocol.socketio.keepsReconnecting', { why: diagnosisText(lost, 'explanation'), attempt: 1, of: '', delay: '1 s' })
    const [ping] = feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'disconnect', dir: 'in', namespace: '/', reason: 'ping timeout', explain: next, detail: { willRetry: true, wasConnected: true, diagnosis: lost } }),
    ])
    // The event's own explanation (with the next attempt) wins over the diagnosis's.
    expect(tracker.latest).toMatchObject({ event: ping, diagnosisId: 'ping-timeout', title: { key: 'diagnoses.ping-timeout.default.title' }, explanation: next })
    feed(tracker, timeline, [
      at({ layer: 'lifecycle', kind: 'disconnect', dir: 'in', namespace: '/', reason: 'io server disconnect', explain: message('protocol.socketio.serverDisconnect'), detail: { willRetry: false, wasConnected: true } }),
    ])
    expect(tracker.latest?.title).toEqual({ key: 'diagnoses.heading.serverDisconnect' })
  })

  it('an imported file cannot reach prototype keys through detail.diagnosis', () => {
    const tracker = new DiagnosisTracker()
    feed(tracker, new Timeline(), [at({ layer: 'lifecycle', kind: 'connect_error', explain: importedExplanation('odd'), detail: { diagnosis: 'constructor' } as never })])
    expect(tracker.latest?.title).toEqual({ key: 'diagnoses.heading.failed' })
    expect(tracker.latest?.diagnosis).toBeUndefined()
  })
})

afterEach(() => {
  unmountAll()
  vi.restoreAllMocks()
})

describe('DiagnosisTracker: connections that keep closing soon after they open', () => {
  const shortLived = makeDiagnosis('short-lived', 'closes', { where: '127.0.0.1:8080', about: '1.5 s', times: 2, how: '' }, [message('diagnoses.evidence.shortLived', { within: '1.5 s', times: 2 })], true)
  const shortLivedClose = () => at({
    layer: 'lifecycle', kind: 'close', dir: 'in', code: 1011, reason: '',
    ...said(shortLived),
    detail: { wasClean: true, byUser: false, closedBy: 'server', diagnosis: shortLived, untilStable: true, evidence: shortLived.evidence },
  })

  it('keeps the diagnosis through the next open, and drops it once the driver says the connection is stable', () => {
    const tracker = new DiagnosisTracker()
    const timeline = new Timeline()
    feed(tracker, timeline, [wsConnecting(), wsOpen(), shortLivedClose(), at({ layer: 'lifecycle', kind: 'reconnect_attempt', attempt: 1, delayMs: 500 }), wsConnecting(1), wsOpen()])
    expect(tracker.latest?.diagnosisId).toBe('short-lived')
    feed(tracker, timeline, [at({ layer: 'lifecycle', kind: 'stable', attempt: 1, explain: message('protocol.reconnect.stable', { duration: '5 s' }) })])
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
    expect(banner.get('h2').text()).toBe(english(diagnosisText(REFUSED, 'title')))
    expect(banner.get('.explanation').text()).toBe(english(diagnosisText(REFUSED, 'explanation')))
    expect(banner.get('.next-step').text()).toBe(`${english(message('diagnoses.banner.nextStep'))} ${english(diagnosisText(REFUSED, 'nextStep'))}`)
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual([english(message('diagnoses.banner.fact.closeCode', { code: 1006, name: closeCodeInfo(1006).name }))])
  })

  it('lists the evidence under "Why we think so" as text, and labels a guess', async () => {
    const { wrapper, timeline } = mountBanner()
    const cors = diagnose({ protocol: 'socketio', url: 'http://127.0.0.1:3000/', httpStatus: 0, transport: 'polling', httpBody: '<b>not markup</b>' })
    timeline.append(at({ layer: 'lifecycle', kind: 'connect_error', dir: 'in', namespace: '/', reason: 'xhr poll error', ...said(cors) }))
    await nextFrame()
    const banner = region(wrapper)
    expect(cors).toMatchObject({ id: 'cors-polling', guess: true })
    expect(banner.get('.guess').text()).toBe(english(message('diagnoses.banner.guess')))
    const why = banner.get(`ul[aria-label="${english(message('diagnoses.banner.why'))}"]`)
    // The server's body is a value of its line, shown as text.
    expect(why.findAll('li').map(li => li.text())).toEqual(cors.evidence.map(english))
    expect(cors.evidence).toContainEqual({ key: 'diagnoses.evidence.body', params: { body: '<b>not markup</b>' } })
    expect(why.find('b').exists()).toBe(false)
  })

  it('an older file\'s words (sentences, not messages) are shown as the file\'s text; what is not text is dropped', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/',
      reason: 'xhr poll error',
      explain: importedExplanation('The polling request failed with HTTP status 0.'),
      detail: { diagnosis: 'cors-polling', title: 'Polling blocked (CORS?)', guess: true, evidence: ['HTTP status 0 on polling request (the browser hid the response)', '<b>not markup</b>', 42] } as never,
    }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe('Polling blocked (CORS?)')
    expect(banner.get('.explanation').text()).toBe('The polling request failed with HTTP status 0.')
    const why = banner.get('ul[aria-label="Why we think so"]')
    expect(why.findAll('li').map(li => li.text())).toEqual(['HTTP status 0 on polling request (the browser hid the response)', '<b>not markup</b>'])
    expect(why.find('b').exists()).toBe(false)
  })

  it('Socket.IO: the diagnosis title, the explanation as given, namespace, HTTP status and the give-up', async () => {
    const { wrapper, timeline } = mountBanner()
    const rejected = diagnose({ protocol: 'socketio', url: 'http://127.0.0.1:3000/', httpStatus: 403, transport: 'polling' })
    const explain = message('protocol.socketio.keepsReconnecting', { why: diagnosisText(rejected, 'explanation'), attempt: 1, of: message('protocol.socketio.attemptOf', { of: 3 }), delay: '1 s' })
    timeline.append(at({
      layer: 'lifecycle',
      kind: 'connect_error',
      dir: 'in',
      namespace: '/',
      reason: 'xhr poll error',
      explain,
      detail: { diagnosis: rejected, willRetry: true, type: 'TransportError', httpStatus: 403 },
    }))
    timeline.append(at({ layer: 'lifecycle', kind: 'reconnect_failed', attempt: 3, explain: message('protocol.socketio.gaveUp', { count: 3 }) }))
    await nextFrame()
    const banner = region(wrapper)
    expect(rejected).toMatchObject({ id: 'handshake-rejected', variant: 'http-auth', params: { status: 403, where: '127.0.0.1:3000' } })
    expect(banner.get('h2').text()).toBe(english(diagnosisText(rejected, 'title')))
    // The event's explanation, with the attempt that comes next, in place of the diagnosis's own.
    expect(banner.get('.explanation').text()).toBe(english(explain))
    expect(banner.get('.next-step').text()).toContain(english(diagnosisText(rejected, 'nextStep')))
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual([
      english(message('diagnoses.banner.fact.httpStatus', { status: 403 })),
      english(message('diagnoses.banner.fact.namespace', { namespace: '/' })),
      english(message('diagnoses.banner.fact.gaveUp', { count: 3 })),
    ])
  })

  it('a connect timeout leaves out the 1006 SocketLens reports for the socket it let go', async () => {
    const { wrapper, timeline } = mountBanner()
    timeline.append(wsConnecting())
    const timedOut = (ms: number) => makeDiagnosis('connect-timeout', 'default', { kind: message('diagnoses.fragment.kind.ws'), after: message('diagnoses.fragment.withinMs', { ms }) })
    timeline.append(at({ layer: 'lifecycle', kind: 'connect_timeout', ...said(timedOut(301)), detail: { timeoutMs: 300, diagnosis: timedOut(301) } }))
    timeline.append(at({ layer: 'lifecycle', kind: 'close', code: 1006, reason: '', explain: message('protocol.websocket.gaveUpHandshake', { ms: 300 }), detail: { wasClean: false, byUser: false, closedBy: 'client' } }))
    timeline.append(at({ layer: 'lifecycle', kind: 'reconnect_attempt', attempt: 1, delayMs: 500 }))
    timeline.append(wsConnecting(1))
    timeline.append(at({ layer: 'lifecycle', kind: 'connect_timeout', ...said(timedOut(302)), detail: { timeoutMs: 300, diagnosis: timedOut(302) } }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.get('h2').text()).toBe(english(diagnosisText(timedOut(302), 'title')))
    expect(banner.get('.explanation').text()).toBe(english(diagnosisText(timedOut(302), 'explanation')))
    expect(banner.get('.explanation').text()).toContain('302')
    // The same failure again, though each attempt took its own milliseconds.
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual([english(message('diagnoses.banner.fact.repeats', { count: 2 }))])
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
    // The scan reads events by `objectAt` (compact frames are skipped without being made), lookups by `get`.
    const get = vi.spyOn(timeline, 'get')
    const objectAt = vi.spyOn(timeline, 'objectAt')
    const reads = () => [...get.mock.calls, ...objectAt.mock.calls].map(([index]) => index)
    const clear = () => {
      get.mockClear()
      objectAt.mockClear()
    }
    const { wrapper } = mountBanner(timeline)
    await nextFrame()
    // The first tick reads everything once (plus a few lookups by seq); the banner shows the failure.
    expect(new Set(reads()).size).toBe(1001)
    expect(reads().length).toBeLessThan(1001 + 10)
    expect(region(wrapper).get('h2').text()).toBe('Nothing listening')
    clear()
    for (let i = 0; i < 5000; i++) timeline.append(wireFrame(i))
    await nextFrame()
    // No lifecycle event arrived: only the "still in the timeline" lookup by seq, never a scan of the flood.
    expect(reads().length).toBeLessThan(10)
    clear()
    timeline.append(wsOpen())
    await nextFrame()
    expect(reads()).toContain(timeline.length - 1)
    expect(reads().length).toBeLessThan(10)
    expect(region(wrapper).exists()).toBe(false)
  })

  it('renders server text as text, never as markup', async () => {
    const { wrapper, timeline } = mountBanner()
    const reason = '<img src=x onerror=alert(1)>'
    timeline.append(at({ layer: 'lifecycle', kind: 'close', dir: 'in', code: 4000, reason, explain: explainCloseCode(4000, '<b>bold</b>'), detail: { wasClean: true } as never }))
    await nextFrame()
    const banner = region(wrapper)
    expect(banner.find('img').exists()).toBe(false)
    expect(banner.find('b').exists()).toBe(false)
    expect(banner.get('.explanation').text()).toContain('"<b>bold</b>"')
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual([
      english(message('diagnoses.banner.fact.closeCode', { code: 4000, name: closeCodeInfo(4000).name })),
      english(message('diagnoses.banner.fact.reason', { reason })),
    ])
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
    const error = timeline.toArray()[1]!
    const diagnosis = (error.detail as { diagnosis: Diagnosis }).diagnosis
    expect(diagnosis).toMatchObject({ id: 'nothing-listening', variant: 'refused', params: { where: `127.0.0.1:${port}` } })
    expect(error.explain).toEqual(diagnosisText(diagnosis, 'explanation'))
    expect(banner.get('h2').text()).toBe(english(diagnosisText(diagnosis, 'title')))
    expect(banner.get('.explanation').text()).toBe(english(diagnosisText(diagnosis, 'explanation')))
    expect(banner.get('.next-step').text()).toContain(english(diagnosisText(diagnosis, 'nextStep')))
    expect(banner.findAll('.facts li').map(li => li.text())).toEqual([english(message('diagnoses.banner.fact.closeCode', { code: 1006, name: closeCodeInfo(1006).name }))])
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
      const close = timeline.toArray().filter(e => e.kind === 'close').at(-1)!
      const diagnosis = (close.detail as { diagnosis: Diagnosis }).diagnosis
      expect(diagnosis).toMatchObject({ id: 'short-lived', variant: 'closes', params: { times: 2 } })
      expect(diagnosis.evidence).toContainEqual({ key: 'diagnoses.evidence.shortLived', params: { within: { key: expect.stringMatching(/^protocol\.duration\./), params: expect.any(Object) }, times: 2 } })
      expect(banner.get('h2').text()).toBe(english(diagnosisText(diagnosis, 'title')))
      expect(banner.findAll('.evidence li').map(li => li.text())).toEqual(diagnosis.evidence.map(english))
    }
    finally {
      driver.dispose()
      await new Promise(resolve => wss.close(resolve))
    }
  })

  it('speaks Korean when the UI does: heading, explanation, next step, evidence and facts in the catalogue\'s words', async () => {
    setLocale('ko', false)
    try {
      const { wrapper, timeline } = mountBanner()
      const tls = diagnose({ protocol: 'ws', url: 'wss://localhost:8443/echo', pageUrl: 'http://localhost:5173/', everOpened: false, closeCode: 1006, msToFail: 9 })
      timeline.append(wsConnecting())
      timeline.append(at({ layer: 'lifecycle', kind: 'error', ...said(tls) }))
      timeline.append(wsHandshakeClose())
      await nextFrame()
      const banner = wrapper.get('[role="region"]')
      expect(banner.attributes('aria-label')).toBe('진단')
      expect(banner.get('h2').text()).toBe('TLS 인증서를 신뢰할 수 없음')
      // The hedge of a guess survives the translation: "most often" (대개), "can also mean" (…일 수도 있습니다).
      expect(banner.get('.explanation').text()).toMatch(/localhost:8443\(으\)로의 보안 연결이 아무 응답도 받기 전에 \(9 ms 안에\) 실패했습니다\. 대개 .*수도 있습니다/)
      expect(banner.get('.next-step').text()).toMatch(/^다음 단계: 이 브라우저 탭에서 https:\/\/localhost:8443을\(를\) 한 번 열어/)
      expect(banner.get('.guess').text()).toBe('추측')
      expect(banner.findAll('.evidence li').map(li => li.text())).toContain('close code 1006 (비정상 종료)')
      expect(banner.findAll('.facts li').map(li => li.text())).toEqual(['close code 1006 (비정상 종료)'])
      expect(banner.get('summary').text()).toBe('이렇게 판단한 근거')
    }
    finally {
      setLocale('en', false)
    }
  })
})

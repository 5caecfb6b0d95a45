/**
 * The fan-out: N clients of one endpoint (src/fanout/run.ts), opened from a session with its connection settings and
 * its rooms panel's join and send settings. One fan-out at a time; it outlives its view (Back to sessions keeps it
 * running). The run's data is plain (never reactive): the view reads it on the run's tick.
 */
import type { Session } from './session'
import type { ConnectionState } from '@/protocol/types'
import type { SocketIoDriver } from '@/protocol/socketio/driver'
import type { TimelineViewState } from '@/timeline/viewState'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue'
import { createDriver } from './driverFactory'
import { defaultSocketIoSettings, defaultWebSocketSettings, parseJsonObject } from './session'
import type { ArtilleryInput } from '@/artillery/types'
import { useSessionsStore } from './sessions'
import { useSettingsStore } from './settings'
import { createViewState } from '@/timeline/viewState'
import { clampClients } from '@/fanout/limits'
import type { FanoutRun, FanoutSendResult, FanoutSettings } from '@/fanout/run'

/** The fan-out's limits (src/fanout/limits.ts: small, unlike the run, which loads when a fan-out first starts). */
export { CHROMIUM_WEBSOCKETS_PER_PAGE, MAX_CLIENTS } from '@/fanout/limits'

/**
 * The setup form, kept while the view is closed: the run's settings as a person types them (rooms as one
 * comma-separated text; client i joins the i-th, round robin; empty: no join), plus what only the form has.
 */
export interface FanoutForm extends Omit<FanoutSettings, 'rooms'> {
  url: string
  rooms: string
  /** Socket.IO over the websocket transport only (long-polling allows 6 connections per host in HTTP/1.1). */
  websocketOnly: boolean
  message: string
  burstCount: number
}

export function defaultFanoutForm(): FanoutForm {
  return {
    url: 'http://localhost:3000', type: 'socketio', clients: 50, rampPerSecond: 50, rooms: 'fanout',
    joinEvent: 'joinRoom', joinPayload: 'string', sendEvent: 'message', sendShape: 'object', roomKey: 'room', messageKey: 'message',
    tag: true, senderHearsOwn: false, sender: 'first', websocketOnly: true, message: 'hello', burstCount: 100,
  }
}

export const useFanoutStore = defineStore('fanout', () => {
  const sessions = useSessionsStore()
  const isOpen = ref(false)
  const form = reactive(defaultFanoutForm())
  /** The session whose connection settings the clients use (a copy, taken when the fan-out is opened). */
  // (Not a Session: making one would number a tab.)
  const base = { ws: defaultWebSocketSettings(), sio: defaultSocketIoSettings() }
  const run = shallowRef<FanoutRun>()
  /** The client whose timeline is shown. */
  const shownClient = ref(1)
  const views = new Map<number, TimelineViewState>()
  const lastSend = shallowRef<FanoutSendResult>()

  /** Open the view, taking the endpoint, settings and rooms settings of `from` (the active session) when given. */
  function open(from?: Session): void {
    if (from && !from.readOnly && !run.value) {
      base.ws = structuredClone({ ...from.ws })
      base.sio = structuredClone({ ...from.sio, transports: [...from.sio.transports] })
      form.url = from.url
      form.type = from.type
      const rooms = from.roomSettings
      form.joinEvent = rooms.joinEvent
      form.joinPayload = rooms.payload
      form.sendEvent = rooms.sendEvent
      form.sendShape = rooms.sendShape
      form.roomKey = rooms.roomKey
      form.messageKey = rooms.messageKey
      const joined = from.rooms.filter(r => r.status === 'joined' || r.status === 'unconfirmed').map(r => r.name)
      if (joined.length > 0) form.rooms = joined.join(', ')
    }
    isOpen.value = true
  }

  function close(): void {
    isOpen.value = false
  }

  // Choosing a tab (another session) leaves the fan-out view, as it leaves side by side.
  watch(() => sessions.activeId, () => close())

  const settings = computed<FanoutSettings>(() => ({
    type: form.type,
    clients: clampClients(form.clients),
    rampPerSecond: Number.isFinite(form.rampPerSecond) && form.rampPerSecond > 0 ? form.rampPerSecond : 0,
    rooms: form.rooms.split(',').map(r => r.trim()).filter(Boolean),
    joinEvent: form.joinEvent.trim() || 'joinRoom',
    joinPayload: form.joinPayload,
    sendEvent: form.sendEvent.trim() || 'message',
    sendShape: form.sendShape,
    roomKey: form.roomKey,
    messageKey: form.messageKey,
    tag: form.tag,
    senderHearsOwn: form.senderHearsOwn,
    sender: form.sender,
  }))

  /** Start a new fan-out (stopping the one running); its code loads on the first start. */
  async function start(): Promise<FanoutRun> {
    stop()
    const { FanoutRun } = await import('@/fanout/run')
    stop()
    const url = form.url.trim()
    const type = form.type
    const sio = { ...base.sio, transports: form.websocketOnly ? ['websocket' as const] : [...base.sio.transports] }
    const ws = { ...base.ws }
    const place = useSettingsStore().driverPlace
    const fresh = markRaw(new FanoutRun(settings.value, async (_client, sink, onState: (state: ConnectionState) => void) => {
      // The app's own driver factory reads these fields of a session; the sink is the client's own timeline tap.
      const like = { url, type, ws, sio, timeline: { append: sink } } as unknown as Session
      const result = await createDriver(like, onState, place)
      if (result.ok && result.driver.type === 'socketio') (result.driver as SocketIoDriver).setCatchAll(true)
      return result
    }))
    views.clear()
    shownClient.value = 1
    lastSend.value = undefined
    run.value = fresh
    fresh.start()
    return fresh
  }

  function stop(): void {
    run.value?.stop()
  }

  function send(): FanoutSendResult | undefined {
    const result = run.value?.send(form.message)
    lastSend.value = result
    return result
  }

  function burst(): FanoutSendResult[] {
    const count = Math.min(Math.max(1, Math.floor(form.burstCount) || 1), 1000)
    const results = run.value?.burst(form.message, count) ?? []
    lastSend.value = results.at(-1)
    return results
  }

  /** The timeline view state of a client (selection, filter), kept while the run lasts. */
  function viewOf(client: number): TimelineViewState {
    let view = views.get(client)
    if (!view) {
      view = reactive(createViewState())
      views.set(client, view)
    }
    return view
  }

  /** The setup as the input of "Export as Artillery test": one virtual user does what one client does. */
  async function artilleryInput(): Promise<ArtilleryInput> {
    const { fanoutArtilleryInput } = await import('@/fanout/artillery')
    const sio = base.sio
    const auth = parseJsonObject(sio.auth, 'auth')
    const query = parseJsonObject(sio.query, 'query')
    return fanoutArtilleryInput(settings.value, form.url.trim(), form.message, {
      path: sio.path.trim() || '/socket.io',
      transports: form.websocketOnly ? ['websocket'] : [...sio.transports],
      upgrade: sio.upgrade,
      auth: auth.ok ? auth.value : undefined,
      query: query.ok && query.value ? Object.fromEntries(Object.entries(query.value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) : undefined,
      version: sio.version === 'v2' ? 'v2' : 'v4',
      parser: sio.parser,
    })
  }

  return { isOpen, form, run, shownClient, lastSend, settings, open, close, start, stop, send, burst, viewOf, artilleryInput }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useFanoutStore, import.meta.hot))

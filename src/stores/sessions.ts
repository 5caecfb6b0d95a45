import type { Session, Words } from './session'
import type { OutgoingMessage, ProtocolType, SendResult } from '@/protocol/types'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { createDriver } from './driverFactory'
import { createSession, renameSession } from './session'
import { applySavedSession, createTabSaver, keepTabsSaved, snapshotSessions } from './sessionPersistence'
import { useLibraryStore } from './library'
import { useSettingsStore } from './settings'
import { useSendingStore } from './sending'
import type { ImportProgress, ImportResult } from '@/timeline/importCommon'
import { runInSlices, timelineInSlices, yieldToBrowser } from '@/timeline/importCommon'
import { importTimelineInSlices } from '@/timeline/importExport'
import * as socketIo from './socketIoSession'
import * as edits from './sessionEdits'
import { ackPreview, composedMessage } from './composerPayload'
import { message } from '@/protocol/message'
import { holdQuiet } from '@/whenQuiet'

const ROOM_ACK_TIMEOUT_MS = 5000
const NOT_CONNECTED = message('composer.result.notConnected')

/** A send's outcome; the error is a message (the store's own) or a driver's sentence. */
export type SessionSendResult = Omit<SendResult, 'error'> & { error?: Words }

/** An ack timeout, whichever way the driver said it. */
function isAckTimeout(error: Words | undefined): boolean {
  if (error === undefined) return false
  return typeof error === 'string' ? /time/i.test(error) : /time/i.test(error.key)
}

/** `ws://host:port/any/path` → `http://host:port/`: the same server, as a Socket.IO URL with the default namespace. */
export function socketIoServerOf(wsUrl: string): string | undefined {
  try {
    const url = new URL(wsUrl.trim())
    const scheme = url.protocol === 'wss:' || url.protocol === 'https:' ? 'https:' : url.protocol === 'ws:' || url.protocol === 'http:' ? 'http:' : undefined
    return scheme ? `${scheme}//${url.host}/` : undefined
  }
  catch {
    return undefined
  }
}

/** What opening a timeline file came to: a session, or why not (the file's problem, a cancel, a read failure). */
export type OpenImportedResult =
  | { ok: true, session: Session, warnings: NonNullable<Extract<ImportResult, { ok: true }>['warnings']> }
  | { ok: false, error: Extract<ImportResult, { ok: false }>['error'] }
  | { ok: false, cancelled: true }
  | { ok: false, unreadable: string }

/**
 * The open sessions (tabs). A session owns its driver and its timeline and outlives every component,
 * so nothing is lost while another tab or panel is shown.
 */
export const useSessionsStore = defineStore('sessions', () => {
  const settings = useSettingsStore()
  const library = useLibraryStore()
  // Shallow: each session is its own reactive object whose timeline must stay raw (the hot path).
  const sessions = shallowRef<Session[]>([])
  const activeId = ref<string>()
  // The latest Connect per session: building a driver awaits (the Socket.IO client loads on first use), so a
  // second Connect, a Disconnect or closing the tab can come in meanwhile; only the latest request may connect.
  const pendingConnects = new WeakMap<Session, object>()

  const active = computed(() => sessions.value.find(s => s.id === activeId.value) ?? sessions.value[0])

  function add(init: { url?: string, type?: ProtocolType, name?: string } = {}): Session {
    return adopt(createSession({ ...init, ...settings.bufferLimits }))
  }

  /** Why the open tabs could not be saved, until a save works again. */
  const saveError = ref<Words>()
  const saver = createTabSaver()
  keepTabsSaved({ sessions: () => sessions.value, activeId: () => activeId.value, saver, onResult: (error) => { saveError.value = error } })

  /** Bring back the saved tabs (settings and drafts, disconnected) beside any open ones; false when there were none. */
  function restoreSaved(): boolean {
    const saved = saver.restore()
    if (!saved) return false
    const restored = saved.sessions.map((entry) => {
      const session = createSession(settings.bufferLimits)
      applySavedSession(session, entry)
      return session
    })
    sessions.value = [...sessions.value, ...restored]
    const byKey = saved.sessions.findIndex(e => e.key === saved.activeKey)
    activeId.value = restored[byKey >= 0 ? byKey : Math.min(Math.max(0, saved.active), restored.length - 1)]!.id
    saver.settle(snapshotSessions(restored, activeId.value))
    return true
  }

  /** Show a session made elsewhere (a read-only one from an imported file) as the active tab. */
  function adopt(session: Session): Session {
    sessions.value = [...sessions.value, session]
    activeId.value = session.id
    return session
  }

  /**
   * Open a timeline file (NDJSON or HAR) as a read-only session, in time slices: reading, then opening (building its
   * timeline), with progress; `signal` cancels it before anything is opened. A bad file opens nothing and says why
   * (`error`, naming the line).
   */
  async function openImported(file: File, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void } = {}): Promise<OpenImportedResult> {
    const { signal, onProgress } = options
    try {
      const result = await importTimelineInSlices(file, file.name, { signal, onProgress })
      if (!result.ok) return { ok: false, error: result.error }
      // Read: say so and let it paint before the timeline is built.
      onProgress?.({ phase: 'opening', done: 0, total: result.events.length })
      await yieldToBrowser()
      // The file's own sequence numbers are kept, so a re-export matches the original.
      const timeline = await runInSlices(timelineInSlices(result.events, { maxEvents: Math.max(settings.bufferLimits.maxEvents, result.events.length) }), { signal, onProgress })
      const { meta } = result
      // The session's first render is a task of its own, not the tail of the last slice.
      await yieldToBrowser()
      const session = adopt(createSession({ name: meta.sessionName ?? file.name, url: meta.endpoint ?? '', type: meta.protocol, readOnly: true, importedFrom: file.name, timeline }))
      return { ok: true, session, warnings: result.warnings ?? [] }
    }
    catch (e) {
      if (signal?.aborted) return { ok: false, cancelled: true }
      return { ok: false, unreadable: (e as Error).message }
    }
  }

  function close(id: string): void {
    const index = sessions.value.findIndex(s => s.id === id)
    if (index < 0) return
    pendingConnects.delete(sessions.value[index]!)
    sessions.value[index]!.driver?.dispose()
    sessions.value = sessions.value.filter(s => s.id !== id)
    if (activeId.value === id) activeId.value = sessions.value[Math.min(index, sessions.value.length - 1)]?.id
  }

  async function connect(session: Session): Promise<void> {
    if (session.readOnly) return
    const request = {}
    pendingConnects.set(session, request)
    // What the page does once quiet (the editor's chunk, the service worker) waits for this connection to open and
    // for its first frames: a deep link's flood comes right behind a handshake that may take seconds.
    const releaseQuiet = holdQuiet()
    session.driver?.dispose()
    session.driver = undefined
    session.error = undefined
    session.rooms = []
    const built = await createDriver(session, (state) => {
      session.state = state
      if (state !== 'idle' && state !== 'connecting') releaseQuiet()
    }, settings.driverPlace)
    if (pendingConnects.get(session) !== request) {
      // Superseded or cancelled while the driver was being built: this one never connects.
      releaseQuiet()
      if (built.ok) built.driver.dispose()
      return
    }
    pendingConnects.delete(session)
    if (!built.ok) {
      releaseQuiet()
      session.error = built.error
      session.state = 'closed'
      return
    }
    session.driver = markRaw(built.driver)
    socketIo.applySocketIoSettings(session)
    session.driver.connect()
    void library.recordConnection(session.url.trim(), session.type)
  }

  /**
   * A raw WebSocket session whose probe found a Socket.IO server at its host and port (diagnosis 'socketio-server'):
   * speak Socket.IO to the same server, default namespace, and connect. The timeline stays, so what led here does too.
   */
  async function switchToSocketIo(session: Session): Promise<void> {
    if (session.readOnly || session.type === 'socketio') return
    const endpoint = socketIoServerOf(session.url)
    if (!endpoint) return
    session.url = endpoint
    session.type = 'socketio'
    await connect(session)
  }

  function disconnect(session: Session): void {
    pendingConnects.delete(session)
    session.driver?.disconnect()
  }

  async function send(session: Session, message: OutgoingMessage): Promise<SessionSendResult> {
    if (!session.driver) return { ok: false, error: NOT_CONNECTED }
    return session.driver.send(message)
  }

  /**
   * Rooms exist only on the server: joining is an application event the server turns into socket.join()
   * (PROTOCOL.md, Rooms). The event names and payload shape are the session's room settings; an ack, when the
   * server sends one, confirms it.
   */
  async function changeRoom(session: Session, room: string, join: boolean): Promise<void> {
    const name = room.trim()
    if (!name) return
    const { joinEvent, leaveEvent, payload } = session.roomSettings
    let entry = session.rooms.find(r => r.name === name)
    if (!entry) {
      session.rooms.push({ name, status: 'joining' })
      entry = session.rooms[session.rooms.length - 1]!
    }
    entry.status = join ? 'joining' : 'leaving'
    entry.note = undefined
    const result = await send(session, {
      kind: 'event',
      name: join ? joinEvent : leaveEvent,
      args: [payload === 'object' ? { room: name } : name],
      ack: true,
      timeoutMs: ROOM_ACK_TIMEOUT_MS,
    })
    if (result.ok) {
      entry.status = join ? 'joined' : 'left'
      entry.note = result.ackArgs && result.ackArgs.length > 0 ? message('socketio.rooms.answered', { args: ackPreview(result.ackArgs) }) : undefined
    }
    else if (isAckTimeout(result.error)) {
      entry.status = join ? 'unconfirmed' : 'left'
      entry.note = message('socketio.rooms.noAck')
    }
    else {
      entry.status = 'failed'
      entry.note = result.error
    }
  }

  /**
   * Send what the composer holds (composerPayload.ts reads the draft into a frame or an event) and keep the outcome
   * on the session: why it was not sent, the wait for an acknowledgement, the acknowledgement and its round trip.
   * Variables are expanded first (stores/sending.ts: `prepare`, which also counts the send and records the draft in
   * the session's history unless `record` is false, as for a repeat's later sends). True when it was sent (and acked).
   */
  async function sendComposed(session: Session, record = true): Promise<boolean> {
    if (session.readOnly) return false
    const composer = session.composer
    const prepared = useSendingStore().prepare(session, record)
    if (!prepared.ok) {
      composer.result = { ok: false, text: prepared.error }
      return false
    }
    const built = composedMessage(session.type, prepared.composer)
    if (!built.ok) {
      composer.result = { ok: false, text: built.error }
      return false
    }
    prepared.commit()
    const outgoing = built.message
    const awaitsAck = outgoing.kind === 'event' && outgoing.ack === true
    composer.result = awaitsAck ? { ok: true, text: message('composer.result.waiting', { name: outgoing.name }) } : undefined
    const result = await send(session, outgoing)
    if (!result.ok) composer.result = { ok: false, text: result.error ?? message('composer.result.notSent') }
    else if (awaitsAck) {
      const args = ackPreview(result.ackArgs ?? [])
      composer.result = { ok: true, text: result.rttMs === undefined
        ? message('composer.result.ack', { args })
        : message('composer.result.ackIn', { ms: Math.round(result.rttMs * 10) / 10, args }) }
    }
    return result.ok
  }

  /** Select an event of a session's timeline and show its details (the diagnosis banner's "Show in timeline"). */
  function selectEvent(sessionId: string, seq: number | null): void {
    const session = sessions.value.find(s => s.id === sessionId)
    if (session) session.view.selectedSeq = seq
  }

  /** A diagnosis's one-click retry: the other client version, parser or path it found would work, then Connect. */
  async function retryWith(session: Session, choice: edits.RetryChoice): Promise<void> {
    if (session.readOnly) return
    edits.applyRetryChoice(session, choice)
    await connect(session)
  }

  /**
   * Everything else a person changes in a session: its endpoint, settings, composer draft, room settings, Socket.IO
   * namespaces and listeners. Components call these (or emit intents to a parent that does) and never write into a
   * session; sessionEdits.ts and socketIoSession.ts are their implementation.
   */
  const editActions = {
    setUrl: edits.setUrl,
    setType: edits.setType,
    setEndpoint: edits.setEndpoint,
    applyPreset: edits.applyPreset,
    updateWebSocketSettings: edits.updateWebSocketSettings,
    updateSocketIoSettings: edits.updateSocketIoSettings,
    setTransport: edits.setTransport,
    updateRoomSettings: edits.updateRoomSettings,
    updateComposer: edits.updateComposer,
    addArgument: edits.addArgument,
    updateArgument: edits.updateArgument,
    removeArgument: edits.removeArgument,
    addNamespace: socketIo.addNamespace,
    removeNamespace: socketIo.removeNamespace,
    setCatchAll: socketIo.setCatchAll,
    setListener: socketIo.setListener,
    removeListener: socketIo.removeListener,
    setAckReply: socketIo.setAckReply,
    sendToRoom: socketIo.sendToRoom,
    renameSession,
  }

  /**
   * Empty a session's timeline (the person's Clear) and start its view over at the tail. A recorded (read-only)
   * session keeps what it recorded.
   */
  function clearTimeline(sessionId: string): void {
    const session = sessions.value.find(s => s.id === sessionId)
    if (!session || session.readOnly) return
    session.timeline.clear()
    session.view.selectedSeq = null
    session.view.following = true
  }

  /** Pause or resume a session's timeline view (it keeps recording); resuming follows the tail again. */
  function setPaused(sessionId: string, paused: boolean): void {
    const session = sessions.value.find(s => s.id === sessionId)
    if (!session || session.readOnly) return
    session.view.paused = paused
    if (!paused) session.view.following = true
  }

  return { sessions, activeId, active, saveError, add, restoreSaved, adopt, openImported, close, connect, switchToSocketIo, disconnect, send, changeRoom, sendComposed, retryWith, selectEvent, ...editActions, clearTimeline, setPaused }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useSessionsStore, import.meta.hot))

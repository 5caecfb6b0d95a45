/**
 * Saved timelines: a live or imported session's timeline kept in IndexedDB with its session settings, listed,
 * reopened as a read-only session, renamed and deleted.
 *
 * Its own database (`socketlens-timelines`), so a million-event timeline never slows the library's. A timeline is
 * one `timelines` record (name, date, count, size, settings) and its events in `chunks` of CHUNK_EVENTS, each chunk
 * the export's NDJSON event lines (timeline/exportNdjson.ts: binary as base64, any depth) read back by the import
 * (timeline/importTimeline.ts), so saved events are exactly what "Export timeline" writes. Every chunk is
 * serialized in time slices (`runInSlices`) and written in its own short transaction; a saved timeline is read and
 * parsed by a worker (savedTimelines.worker.ts) that sends the page its events in batches, which go into the reopened
 * timeline as they come (`TimelineAssembly`), or here in slices where no worker runs: no task holds the page for long (bench/savedTimelines.ts). A part that is missing, is not NDJSON
 * or holds fewer events than it says is named, nothing opens, and nothing is deleted. The timeline record is written first as incomplete and marked complete after the last chunk; a
 * save that fails (the quota) deletes what it wrote, says why, and touches neither the session nor what was saved
 * before. A save left incomplete by a closed window is swept on the next load, once it has not moved for STALE_MS.
 */
import type { ProtocolType, TimelineEvent } from '@/protocol/types'
import type { ImportProgress } from '@/timeline/importCommon'
import type { TimelineOptions } from '@/timeline/timeline'
import type { ListenerSettings, NamespaceEntry, RoomSettings, Session, SocketIoSettings, WebSocketSettings, Words } from './session'
import type { SavedReadReply, SavedReadRequest } from './savedTimelines.worker'
import type { TimelinesDb } from './savedTimelinesDb'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { message } from '@/protocol/message'
import { utf8Length } from '@/protocol/types'
import { i18n } from '@/i18n'
import { eventToLine } from '@/timeline/exportNdjson'
import { PROGRESS_MS, runInSlices, timelineInSlices, yieldToBrowser } from '@/timeline/importCommon'
import { importTimelineInSlices } from '@/timeline/importTimeline'
import { Timeline } from '@/timeline/timeline'
import { plain } from './libraryDb'
import { chunkHeader, openTimelinesDb } from './savedTimelinesDb'
import { createSession } from './session'
import { useSessionsStore } from './sessions'
import { useSettingsStore } from './settings'

/** Everything the connection form held, to reopen and replay with the same settings. `sio.auth` is sensitive. */
export interface SavedSessionSettings {
  url: string
  type: ProtocolType
  ws: WebSocketSettings
  sio: SocketIoSettings
  namespaces: NamespaceEntry[]
  listeners: ListenerSettings
  roomSettings: RoomSettings
}

export interface SavedTimeline {
  id: string
  name: string
  /** When the save started (epoch ms). */
  savedAt: number
  /** Last progress of the save: an incomplete record that has not moved for STALE_MS is a dead save. */
  updatedAt: number
  complete: boolean
  /** Events saved. */
  count: number
  /** UTF-8 bytes of the saved NDJSON lines. */
  bytes: number
  chunks: number
  /** Events the session's ring buffer had dropped before the save. */
  dropped: number
  firstTime?: number
  lastTime?: number
  /** The file an imported session came from. */
  importedFrom?: string
  settings: SavedSessionSettings
}

export { openTimelinesDb, TIMELINES_DB_NAME, TIMELINES_DB_VERSION } from './savedTimelinesDb'

/** Most events per chunk record. */
export const CHUNK_EVENTS = 5000
/**
 * Most characters per chunk record: IndexedDB clones a record on the page's thread, and a 1.5 MB string took tens of
 * milliseconds there (measured in Chromium), so big events make smaller chunks.
 */
export const CHUNK_CHARS = 256 * 1024
/** An incomplete save that has not written a chunk for this long was cut off (its window closed). */
const STALE_MS = 5 * 60_000
const CHANNEL = 'socketlens-timelines'

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

const chunksOf = (id: string): IDBKeyRange => IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER])

/** A failed write as words: the quota as our message, anything else in the browser's words. */
function failureOf(e: unknown): Words {
  const error = e as { name?: string, message?: string }
  if (error?.name === 'QuotaExceededError') return message('saved.errors.quota')
  return error?.message || String(e)
}

/** The session's settings as plain data (Vue proxies cannot be stored). */
export function settingsOf(session: Session): SavedSessionSettings {
  return plain({ url: session.url, type: session.type, ws: session.ws, sio: session.sio, namespaces: session.namespaces, listeners: session.listeners, roomSettings: session.roomSettings })
}

/** Whether the settings hold credentials (auth, headers, query, a namespace's auth): the list says so. */
export function holdsSecrets(settings: SavedSessionSettings): boolean {
  return settings.type === 'socketio' && (settings.sio.auth.trim() !== '' || settings.sio.extraHeaders.trim() !== '' || settings.sio.query.trim() !== '' || settings.namespaces.some(ns => ns.auth.trim() !== ''))
}

export interface SaveProgress { done: number, total: number }
export type SaveResult = { ok: true, saved: SavedTimeline } | { ok: false, error: Words }
export type OpenResult = { ok: true, session: Session } | { ok: false, error: Words }

interface ChunkText { text: string, bytes: number, count: number, firstTime?: number, lastTime?: number, nextSeq: number }

/**
 * The next chunk's lines from `fromSeq` (up to CHUNK_EVENTS events and CHUNK_CHARS characters, events before
 * `endSeq` only), as resumable work: it yields every 256 events so `runInSlices` can give the page back. It finds its
 * place by seq after every yield: a live ring buffer may drop its oldest events meanwhile.
 */
function* chunkInSlices(timeline: Session['timeline'], fromSeq: number, endSeq: number): Generator<undefined, ChunkText> {
  const lines: string[] = []
  let chars = 0
  let nextSeq = fromSeq
  let firstTime: number | undefined
  let lastTime: number | undefined
  let index = timeline.lowerBound(nextSeq)
  while (lines.length < CHUNK_EVENTS && chars < CHUNK_CHARS) {
    const event = timeline.get(index++)
    if (!event || event.seq >= endSeq) break
    const line = eventToLine(event)
    lines.push(line)
    chars += line.length + 1
    firstTime ??= event.time
    lastTime = event.time
    nextSeq = event.seq + 1
    if ((lines.length & 255) === 0) {
      yield
      index = timeline.lowerBound(nextSeq)
    }
  }
  // One flat string (a join, not 5,000 concatenations): IndexedDB's clone of it is one copy.
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : ''
  return { text, bytes: utf8Length(text), count: lines.length, firstTime, lastTime, nextSeq }
}

/** What is wrong with a part of a saved timeline, in words: which part, and that nothing was opened or changed. */
function damaged(saved: SavedTimeline, problem: Extract<SavedReadReply, { type: 'missing' | 'corrupt' }>): Words {
  const part = { name: saved.name, index: problem.index + 1, of: saved.chunks }
  if (problem.type === 'missing') return message('saved.errors.missingChunk', part)
  if (problem.error) return message('saved.errors.corrupt', { ...part, error: problem.error })
  return message('saved.errors.shortChunk', { ...part, held: problem.held ?? 0, count: problem.count ?? 0 })
}

/** Fields whose few distinct short strings repeat in every event: a layer, a kind, a direction, a transport, a name. */
const REPEATED = ['layer', 'kind', 'dir', 'transport', 'name', 'namespace'] as const
/** Distinct strings kept by `shareStrings` per reading (a file's event names are its own: bounded). */
const SHARED_MAX = 4096

/**
 * Structured clone gives every event its own copy of "wire", "frame", "in", "websocket" (JSON.parse shares short
 * strings): one copy of each is kept and the event's own die young. Each event that survives is what V8's scavenger
 * copies, and these copies were 40 % of them (1,000,000 events: 150 MB promoted, 75–92 MB with this; --trace-gc-nvp).
 */
function shareStrings(event: TimelineEvent, shared: Map<string, string>): TimelineEvent {
  const record = event as unknown as Record<string, unknown>
  for (const field of REPEATED) {
    const value = record[field]
    if (typeof value !== 'string' || value.length > 64) continue
    const kept = shared.get(value)
    if (kept !== undefined) record[field] = kept
    else if (shared.size < SHARED_MAX) shared.set(value, value)
  }
  return event
}

/**
 * The reopened timeline, built as its events arrive (a worker's batch, a part read here) rather than from a list of
 * all of them at the end. The timeline keeps plain frames compact (bytes in its arena, timeline.ts), so the object
 * each frame arrived as dies young here, in the scavenger's cheap young generation; a list of a million events kept
 * every one alive until the end, for the scavenger to copy and the old generation to collect afterwards.
 *
 * A saved timeline's seqs run on one by one unless the ring buffer dropped events during the save (or it came from
 * the import of a filtered export): `append` keeps the former (its numbering goes on from the first event's seq).
 * From the first gap on, the rest waits in a list and `finish` builds the whole timeline as `timelineInSlices` does
 * (only `Timeline.from` keeps seqs with gaps, from a list of all the events).
 */
export class TimelineAssembly {
  /** Events added. */
  count = 0
  private timeline: Timeline | undefined
  /** The events from the first gap in the seqs on (or all of them, when the first seq is not a safe positive integer). */
  private rest: TimelineEvent[] | undefined
  private nextSeq = 0
  private readonly shared = new Map<string, string>()

  constructor(private readonly limits: TimelineOptions) {}

  add(event: TimelineEvent): void {
    this.count++
    const timeline = this.timeline
    if (this.rest) {
      this.rest.push(shareStrings(event, this.shared))
    }
    else if (!timeline) {
      if (Number.isSafeInteger(event.seq) && event.seq > 0) {
        this.timeline = Timeline.from([event], this.limits)
        this.nextSeq = event.seq + 1
        this.share(this.timeline, event)
      }
      else {
        this.rest = [shareStrings(event, this.shared)]
      }
    }
    else if (event.seq === this.nextSeq) {
      timeline.append(event)
      this.nextSeq++
      this.share(timeline, event)
    }
    else {
      this.rest = [shareStrings(event, this.shared)]
    }
  }

  /** The timeline (as resumable work for `runInSlices`). */
  *finish(): Generator<ImportProgress | undefined, Timeline> {
    const timeline = this.timeline
    if (!this.rest) {
      const done = timeline ?? new Timeline(this.limits)
      // Nobody listens yet: the first listener is told of the next append, as with Timeline.from.
      done.acknowledge()
      return done
    }
    const all: TimelineEvent[] = []
    if (timeline) {
      for (let i = 0; i < timeline.length; i++) {
        all.push(timeline.get(i)!)
        if ((i & 1023) === 1023) yield { phase: 'opening', done: 0, total: this.count }
      }
    }
    for (const event of this.rest) all.push(event)
    return yield* timelineInSlices(all, this.limits)
  }

  /** An event the timeline keeps as the object it was given shares its repeated strings (compact frames are bytes). */
  private share(timeline: Timeline, event: TimelineEvent): void {
    if (timeline.objectAt(timeline.length - 1) === event) shareStrings(event, this.shared)
  }
}

/**
 * A saved timeline's events read by savedTimelines.worker.ts (IndexedDB and parsing off the page's thread; the page
 * gets them in batches and adds them to `assembly`), or undefined where no worker runs (no Worker, a policy, tests):
 * the caller reads it here. `signal` stops the worker and rejects with its reason.
 */
function readOffThread(saved: SavedTimeline, assembly: TimelineAssembly, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void }): Promise<true | Words | undefined> {
  const { signal, onProgress } = options
  signal?.throwIfAborted()
  let worker: Worker | undefined
  try {
    worker = typeof Worker === 'function' ? new Worker(new URL('./savedTimelines.worker.ts', import.meta.url), { type: 'module' }) : undefined
  }
  catch {
    worker = undefined
  }
  if (!worker) return Promise.resolve(undefined)
  const running = worker
  return new Promise((resolve, reject) => {
    let heard = false
    let toldAt = -Infinity
    const finish = (outcome: () => void) => {
      running.terminate()
      signal?.removeEventListener('abort', onAbort)
      outcome()
    }
    const onAbort = () => finish(() => reject(signal!.reason))
    signal?.addEventListener('abort', onAbort, { once: true })
    running.onerror = (event) => {
      event.preventDefault()
      // One that could not load (a policy, an old browser): read here instead. One that stopped midway: say so.
      finish(() => resolve(heard ? message('saved.errors.notOpened', { reason: event.message || 'the reading worker stopped' }) : undefined))
    }
    running.onmessage = (event: MessageEvent<SavedReadReply>) => {
      heard = true
      const reply = event.data
      if (reply.type === 'events') {
        for (const item of reply.events) assembly.add(item)
        const at = performance.now()
        if (at - toldAt >= PROGRESS_MS) {
          toldAt = at
          onProgress?.({ phase: 'reading', done: assembly.count, total: saved.count })
        }
      }
      else if (reply.type === 'done') finish(() => resolve(true))
      else if (reply.type === 'failed') finish(() => resolve(message('saved.errors.notOpened', { reason: reply.message })))
      else finish(() => resolve(damaged(saved, reply)))
    }
    running.postMessage({ id: saved.id, chunks: saved.chunks, protocol: saved.settings.type } satisfies SavedReadRequest)
  })
}

export const useSavedTimelinesStore = defineStore('savedTimelines', () => {
  /** Complete saved timelines, newest first. */
  const list = shallowRef<readonly SavedTimeline[]>([])
  /** The last failure of a list read, rename or delete (a save or open returns its own). */
  const error = shallowRef<Words>()
  const loading = ref(false)
  let db: Promise<TimelinesDb | undefined> | undefined
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined
  channel?.addEventListener('message', () => void load())

  function database(): Promise<TimelinesDb | undefined> {
    db ??= openTimelinesDb().catch((e: unknown) => {
      error.value = message('saved.errors.unavailable', { reason: (e as Error).message })
      db = undefined
      return undefined
    })
    return db
  }

  function show(all: readonly SavedTimeline[]): void {
    list.value = all.filter(t => t.complete).sort((a, b) => b.savedAt - a.savedAt)
  }

  /** Read the list (records only: small), sweeping saves a closed window left incomplete. */
  async function load(): Promise<void> {
    const d = await database()
    if (!d) return
    loading.value = true
    try {
      const all = await d.getAll('timelines')
      show(all)
      const now = Date.now()
      for (const dead of all.filter(t => !t.complete && now - t.updatedAt > STALE_MS)) void removeRecords(d, dead.id).catch(() => {})
    }
    catch (e) {
      error.value = message('saved.errors.unreadable', { reason: failureOf(e) })
    }
    finally {
      loading.value = false
    }
  }

  async function removeRecords(d: TimelinesDb, id: string): Promise<void> {
    const tx = d.transaction(['timelines', 'chunks'], 'readwrite')
    void tx.objectStore('chunks').delete(chunksOf(id))
    void tx.objectStore('timelines').delete(id)
    await tx.done
  }

  /**
   * Save a session's timeline as it is now (a live one keeps recording meanwhile: what came after Save is not in
   * it; what the ring buffer drops meanwhile is skipped). Resolves when the last chunk is written.
   */
  async function save(session: Session, options: { name?: string, onProgress?: (progress: SaveProgress) => void, signal?: AbortSignal } = {}): Promise<SaveResult> {
    // The timeline as it is when Save is pressed: taken before anything is awaited.
    const timeline = session.timeline
    const endSeq = timeline.seqNext
    const total = timeline.length
    const savedAt = Date.now()
    const record: SavedTimeline = {
      id: newId(),
      name: options.name?.trim() || i18n.global.t('saved.store.defaultName', { name: session.name, date: new Date(savedAt).toLocaleString(i18n.global.locale.value) }),
      savedAt,
      updatedAt: savedAt,
      complete: false,
      count: 0,
      bytes: 0,
      chunks: 0,
      dropped: timeline.dropped,
      settings: settingsOf(session),
    }
    if (session.importedFrom !== undefined) record.importedFrom = session.importedFrom
    const d = await database()
    if (!d) return { ok: false, error: error.value ?? message('saved.errors.unavailable', { reason: '' }) }
    let wrote = false
    try {
      await d.put('timelines', record)
      wrote = true
      let cursor = timeline.firstSeq
      for (;;) {
        options.signal?.throwIfAborted()
        const chunk = await runInSlices(chunkInSlices(timeline, cursor, endSeq), { signal: options.signal })
        if (chunk.count === 0) break
        cursor = chunk.nextSeq
        await d.put('chunks', { timelineId: record.id, index: record.chunks, count: chunk.count, text: chunk.text })
        record.chunks++
        record.count += chunk.count
        record.bytes += chunk.bytes
        record.firstTime ??= chunk.firstTime
        record.lastTime = chunk.lastTime
        options.onProgress?.({ done: record.count, total })
        if (record.chunks % 10 === 0) {
          record.updatedAt = Date.now()
          await d.put('timelines', record)
        }
      }
      record.complete = true
      record.updatedAt = Date.now()
      await d.put('timelines', record)
      show([...list.value, record])
      channel?.postMessage('changed')
      return { ok: true, saved: record }
    }
    catch (e) {
      // Nothing half-saved stays behind; the session and every earlier save are untouched.
      if (wrote) await removeRecords(d, record.id).catch(() => {})
      if (options.signal?.aborted) return { ok: false, error: message('saved.errors.cancelled') }
      return { ok: false, error: message('saved.errors.notSaved', { name: record.name, reason: failureOf(e) }) }
    }
  }

  /** Every event of a saved timeline, into `assembly`: read by a worker where there is one, else here in slices. */
  async function readEvents(d: TimelinesDb, saved: SavedTimeline, assembly: TimelineAssembly, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void }): Promise<true | Words> {
    return await readOffThread(saved, assembly, options) ?? await readHere(d, saved, assembly, options)
  }

  /** A chunk read on the page's thread: a chunk at a time, parsed in slices. */
  async function readHere(d: TimelinesDb, saved: SavedTimeline, assembly: TimelineAssembly, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void }): Promise<true | Words> {
    for (let index = 0; index < saved.chunks; index++) {
      const chunk = await d.get('chunks', [saved.id, index])
      if (!chunk) return damaged(saved, { type: 'missing', index })
      const read = await importTimelineInSlices(`${chunkHeader(saved.settings.type, chunk.count)}\n${chunk.text}`, undefined, { signal: options.signal })
      if (!read.ok) return damaged(saved, { type: 'corrupt', index, error: read.error })
      if (read.events.length !== chunk.count) return damaged(saved, { type: 'corrupt', index, held: read.events.length, count: chunk.count })
      for (const event of read.events) assembly.add(event)
      options.onProgress?.({ phase: 'reading', done: assembly.count, total: saved.count })
      await yieldToBrowser()
    }
    return true
  }

  /** Open a saved timeline as a read-only session (as an imported file opens), with its settings for Replay. */
  async function open(id: string, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void } = {}): Promise<OpenResult> {
    const d = await database()
    if (!d) return { ok: false, error: error.value ?? message('saved.errors.unavailable', { reason: '' }) }
    try {
      const saved = await d.get('timelines', id)
      if (!saved || !saved.complete) return { ok: false, error: message('saved.errors.gone') }
      const settings = useSettingsStore()
      // A damaged part further on leaves this timeline unopened (and garbage): nothing is shown until every part is read.
      const assembly = new TimelineAssembly({ maxEvents: Math.max(settings.bufferLimits.maxEvents, saved.count), maxBytes: Number.MAX_SAFE_INTEGER })
      const read = await readEvents(d, saved, assembly, options)
      if (read !== true) return { ok: false, error: read }
      options.onProgress?.({ phase: 'opening', done: 0, total: assembly.count })
      const timeline = await runInSlices(assembly.finish(), options)
      const s = saved.settings
      const session = createSession({ name: saved.name, url: s.url, type: s.type, readOnly: true, timeline })
      Object.assign(session.ws, s.ws)
      Object.assign(session.sio, s.sio)
      session.namespaces = s.namespaces
      Object.assign(session.listeners, s.listeners)
      Object.assign(session.roomSettings, s.roomSettings)
      return { ok: true, session: useSessionsStore().adopt(session) }
    }
    catch (e) {
      if (options.signal?.aborted) return { ok: false, error: message('saved.errors.cancelled') }
      return { ok: false, error: message('saved.errors.notOpened', { reason: failureOf(e) }) }
    }
  }

  async function rename(id: string, name: string): Promise<boolean> {
    const trimmed = name.trim()
    const d = await database()
    if (!d || trimmed === '') return false
    try {
      const tx = d.transaction('timelines', 'readwrite')
      const saved = await tx.store.get(id)
      if (!saved) {
        await tx.done
        return false
      }
      saved.name = trimmed
      await tx.store.put(saved)
      await tx.done
      show(list.value.map(t => t.id === id ? saved : t))
      channel?.postMessage('changed')
      return true
    }
    catch (e) {
      error.value = message('saved.errors.notRenamed', { reason: failureOf(e) })
      return false
    }
  }

  async function remove(id: string): Promise<boolean> {
    const d = await database()
    if (!d) return false
    try {
      await removeRecords(d, id)
      show(list.value.filter(t => t.id !== id))
      channel?.postMessage('changed')
      return true
    }
    catch (e) {
      error.value = message('saved.errors.notDeleted', { reason: failureOf(e) })
      return false
    }
  }

  return { list, error, loading, load, save, open, rename, remove }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useSavedTimelinesStore, import.meta.hot))

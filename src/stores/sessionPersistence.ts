import type { Session, Words } from './session'
import type { ProtocolType } from '@/protocol/types'
import { watch } from 'vue'
import { message } from '@/protocol/message'
import { savedSending, sendingStateFrom, type SavedSending } from '@/sending/saved'
import { argumentDraftsFrom, argumentTypeFrom, binaryInputFrom, isRecord, settingsLike, socketIoSettingsFrom, webSocketSettingsFrom } from './savedSettings'

/**
 * The open tabs survive a reload: their endpoints, connection settings, rooms and listener settings and composer
 * drafts (never their timelines, which can be gigabytes, nor a live connection: a reload starts disconnected).
 * Kept in localStorage, whose synchronous write is the one that still completes during `pagehide`. Several windows
 * share the list: each tab has a `key`, and a window writes only the tabs it changed or closed (see createTabSaver).
 */
export const SESSIONS_STORAGE_KEY = 'socketlens.sessions.v1'

export interface SavedSession {
  /** Which tab this is, across windows and reloads (absent in lists saved before keys existed). */
  key?: string
  name: string
  /** The person named the tab (absent in lists saved before tabs could be renamed: not renamed). */
  renamed?: boolean
  url: string
  type: ProtocolType
  ws: Session['ws']
  sio: Session['sio']
  roomSettings: Session['roomSettings']
  namespaces: Session['namespaces']
  listeners: Session['listeners']
  /** A chosen file's bytes are never saved (AttachedFile): after a reload the composer asks for the file again. */
  composer: Omit<Session['composer'], 'result' | 'file'>
  /** Session variables, the history of sends (bounded) and the repeat fields (absent in lists saved before them). */
  sending?: SavedSending
  /**
   * How many times this tab was written, and by which window the last time (absent in lists saved before them):
   * a window that reads its tab back older than it wrote it knows another window wrote from a copy that was behind.
   */
  rev?: number
  by?: string
}

export interface SavedSessions {
  sessions: SavedSession[]
  /** Index of the active tab in `sessions` (what older versions read). */
  active: number
  activeKey?: string
  /** Keys of tabs closed lately, so a window can tell a tab closed elsewhere from one lost to a racing write. */
  closed?: string[]
}

const CLOSED_KEPT = 200

const keys = new WeakMap<Session, string>()

/** Which write of a tab an entry is: the later of two has the higher `rev`, or the same and the higher `by`. */
interface Stamp { rev: number, by: string }

function stampOf(entry: SavedSession | undefined): Stamp {
  return { rev: typeof entry?.rev === 'number' && Number.isFinite(entry.rev) ? entry.rev : 0, by: typeof entry?.by === 'string' ? entry.by : '' }
}

function isOlder(a: Stamp, b: Stamp): boolean {
  return a.rev < b.rev || (a.rev === b.rev && a.by < b.by)
}

/** An entry without its stamp: what the window's tab looks like, to compare with a snapshot. */
function plainJson(entry: SavedSession): string {
  const { rev: _rev, by: _by, ...plain } = entry
  return JSON.stringify(plain)
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** The tab's saved key: its own since it was opened, or the one it was restored with. */
export function savedKeyOf(session: Session): string {
  let key = keys.get(session)
  if (!key) {
    key = newKey()
    keys.set(session, key)
  }
  return key
}

export function snapshotSessions(sessions: readonly Session[], activeId: string | undefined): SavedSessions {
  const kept = sessions.filter(s => !s.readOnly)
  const active = kept.find(s => s.id === activeId)
  return {
    active: Math.max(0, active ? kept.indexOf(active) : 0),
    ...(active ? { activeKey: savedKeyOf(active) } : {}),
    sessions: kept.map(s => ({
      key: savedKeyOf(s),
      name: s.name,
      renamed: s.renamed,
      url: s.url,
      type: s.type,
      ws: { ...s.ws },
      sio: { ...s.sio, transports: [...s.sio.transports] },
      roomSettings: { ...s.roomSettings },
      namespaces: s.namespaces.map(ns => ({ ...ns })),
      listeners: { catchAll: s.listeners.catchAll, names: s.listeners.names.map(l => ({ ...l })), ackReply: { ...s.listeners.ackReply } },
      composer: {
        message: s.composer.message,
        format: s.composer.format,
        eventName: s.composer.eventName,
        extraArgs: s.composer.extraArgs.map(a => ({ text: a.text, type: a.type, ...(a.binaryInput ? { binaryInput: a.binaryInput } : {}) })),
        firstArgType: s.composer.firstArgType,
        binaryInput: s.composer.binaryInput,
        expectAck: s.composer.expectAck,
        ackTimeoutMs: s.composer.ackTimeoutMs,
        volatile: s.composer.volatile,
        compress: s.composer.compress,
        namespace: s.composer.namespace,
      },
      sending: savedSending(s.sending),
    })),
  }
}

/** Put a saved tab's settings into a fresh session. A damaged entry loses its odd fields, never the app start. */
export function applySavedSession(session: Session, saved: unknown): void {
  if (!isRecord(saved)) return
  if (typeof saved.key === 'string' && saved.key) keys.set(session, saved.key)
  if (typeof saved.name === 'string') session.name = saved.name
  session.renamed = saved.renamed === true && typeof saved.name === 'string' && saved.name.trim() !== ''
  if (typeof saved.url === 'string') session.url = saved.url
  if (saved.type === 'ws' || saved.type === 'socketio') session.type = saved.type
  session.ws = webSocketSettingsFrom(saved.ws)
  session.sio = socketIoSettingsFrom(saved.sio)
  session.roomSettings = settingsLike(session.roomSettings, saved.roomSettings)
  if (Array.isArray(saved.namespaces))
    session.namespaces = saved.namespaces.filter(isRecord).filter(ns => typeof ns.name === 'string').map(ns => ({ name: ns.name as string, auth: typeof ns.auth === 'string' ? ns.auth : '' }))
  if (isRecord(saved.listeners)) {
    const l = saved.listeners
    session.listeners = {
      catchAll: l.catchAll !== false,
      names: Array.isArray(l.names) ? l.names.filter(isRecord).filter(n => typeof n.name === 'string').map(n => ({ name: n.name as string, on: n.on !== false })) : [],
      ackReply: settingsLike(session.listeners.ackReply, l.ackReply),
    }
  }
  const composer = settingsLike(session.composer, saved.composer)
  composer.firstArgType = argumentTypeFrom(composer.firstArgType)
  composer.extraArgs = argumentDraftsFrom(composer.extraArgs)
  composer.binaryInput = binaryInputFrom(composer.binaryInput)
  composer.file = undefined
  session.composer = { ...composer, result: undefined }
  if (isRecord(saved.sending)) session.sending = sendingStateFrom(saved.sending)
}

export function loadSavedSessions(storage: Storage | undefined = globalThis.localStorage): SavedSessions | undefined {
  try {
    const raw = storage?.getItem(SESSIONS_STORAGE_KEY)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as unknown
    if (!isRecord(parsed) || !Array.isArray(parsed.sessions) || parsed.sessions.length === 0) return undefined
    const sessions = (parsed.sessions as unknown[]).filter(isRecord) as unknown as SavedSession[]
    if (sessions.length === 0) return undefined
    return {
      sessions,
      active: typeof parsed.active === 'number' ? parsed.active : 0,
      ...(typeof parsed.activeKey === 'string' ? { activeKey: parsed.activeKey } : {}),
      ...(Array.isArray(parsed.closed) ? { closed: parsed.closed.filter(k => typeof k === 'string') } : {}),
    }
  }
  catch {
    return undefined
  }
}

/** Write the list whole (tests, and the first save of a list from before keys). Returns why it failed, if it did. */
export function saveSessions(snapshot: SavedSessions, storage: Storage | undefined = globalThis.localStorage): Words | undefined {
  try {
    storage?.setItem(SESSIONS_STORAGE_KEY, JSON.stringify(snapshot))
    return undefined
  }
  catch (e) {
    const error = e as { name?: string, message?: string }
    const why = error?.name === 'QuotaExceededError' ? message('library.storage.quota') : error?.message ?? String(e)
    return message('session.storage.notSaved', { why })
  }
}

export interface TabSaver {
  /** The stored tabs, each with a key; remembered as this window's starting point. */
  restore: () => SavedSessions | undefined
  /**
   * Merge this window's tabs into the stored list: tabs it changed replace theirs (new ones go after their
   * neighbour), tabs it closed are removed, every other window's tabs stay. Returns why it failed, if it did.
   */
  save: (snapshot: SavedSessions) => Words | undefined
  /**
   * Stored tabs another window changed that this window shows and has not changed since: key → entry. A stored tab
   * older than this window's own write of it is not a change (reclaim saves it again).
   */
  changedElsewhere: (snapshot: SavedSessions) => Map<string, SavedSession>
  /** Take `snapshot` as what this window has saved (after restoring, or after applying another window's change). */
  settle: (snapshot: SavedSessions) => void
  /**
   * Tabs this window saved that are gone from the stored list without being closed anywhere, or stored as they were
   * before this window's last write of them: another window's write raced with this one's (windows in other
   * processes see localStorage a moment late). They are marked unsaved, and true says a save is due.
   */
  reclaim: () => boolean
}

/**
 * Per-tab merging of the saved list, so that two windows never overwrite each other's tabs. Each window reads and
 * writes localStorage through its own copy, which another window's write reaches a moment later (Chromium: a renderer
 * process each), so a window can write the list from a copy that is behind: with a tab another window has just
 * changed as it was before, or without one it has just opened. Each entry carries its write's stamp (`rev`, `by`);
 * the window that sees its tab gone or older than it wrote it saves it again, and the newer write of a tab wins.
 */
export function createTabSaver(storage: Storage | undefined = globalThis.localStorage): TabSaver {
  // Each of this window's tabs as it last wrote or read it; a tab whose snapshot differs was changed here.
  const written = new Map<string, string>()
  // The stamp of each of this window's tabs as it last wrote or took it in.
  const stamps = new Map<string, Stamp>()
  const windowId = newKey()
  let activeKey: string | undefined

  function restore(): SavedSessions | undefined {
    const saved = loadSavedSessions(storage)
    if (!saved) return undefined
    let rekeyed = false
    for (const entry of saved.sessions) {
      if (typeof entry.key === 'string' && entry.key) continue
      entry.key = newKey()
      rekeyed = true
    }
    // A list from before keys: store it with them, so the next merge can tell its tabs apart.
    if (rekeyed) saveSessions(saved, storage)
    for (const entry of saved.sessions) stamps.set(entry.key!, stampOf(entry))
    return saved
  }

  /** What is stored, an empty list included (which restore treats as nothing saved). */
  function storedList(): Pick<SavedSessions, 'sessions' | 'closed'> {
    const saved = loadSavedSessions(storage)
    if (saved) return saved
    try {
      const parsed = JSON.parse(storage?.getItem(SESSIONS_STORAGE_KEY) ?? 'null') as unknown
      const closed = isRecord(parsed) && Array.isArray(parsed.closed) ? parsed.closed.filter(k => typeof k === 'string') : []
      return { sessions: [], closed }
    }
    catch {
      return { sessions: [] }
    }
  }

  function settle(snapshot: SavedSessions): void {
    for (const entry of snapshot.sessions) written.set(entry.key!, JSON.stringify(entry))
    activeKey = snapshot.activeKey
  }

  function save(snapshot: SavedSessions): Words | undefined {
    const mine = new Set(snapshot.sessions.map(e => e.key!))
    const closed = [...written.keys()].filter(key => !mine.has(key))
    const changed = snapshot.sessions.filter(e => written.get(e.key!) !== JSON.stringify(e))
    if (closed.length === 0 && changed.length === 0 && snapshot.activeKey === activeKey) return undefined
    const storedAll = storedList()
    const stored = storedAll?.sessions ?? []
    const list = stored.filter(e => !closed.includes(e.key!))
    const closedKeys = [...(storedAll?.closed ?? []).filter(k => !mine.has(k)), ...closed].slice(-CLOSED_KEPT)
    const newStamps = new Map<string, Stamp>()
    let after = -1
    for (const entry of snapshot.sessions) {
      const at = list.findIndex(e => e.key === entry.key)
      if (!changed.includes(entry)) {
        if (at >= 0) after = at
        continue
      }
      // Later than any write of this tab this window knows of, its own included.
      const stamp = { rev: Math.max(at >= 0 ? stampOf(list[at]).rev : 0, stamps.get(entry.key!)?.rev ?? 0) + 1, by: windowId }
      newStamps.set(entry.key!, stamp)
      const stamped = { ...entry, ...stamp }
      if (at >= 0) {
        list[at] = stamped
        after = at
      }
      else {
        list.splice(after + 1, 0, stamped)
        after++
      }
    }
    const activeAt = list.findIndex(e => e.key === snapshot.activeKey)
    const error = saveSessions({ sessions: list, active: Math.max(0, activeAt), ...(snapshot.activeKey ? { activeKey: snapshot.activeKey } : {}), ...(closedKeys.length ? { closed: closedKeys } : {}) }, storage)
    if (error) return error
    for (const key of closed) {
      written.delete(key)
      stamps.delete(key)
    }
    for (const [key, stamp] of newStamps) stamps.set(key, stamp)
    settle({ ...snapshot, sessions: changed })
    activeKey = snapshot.activeKey
    return undefined
  }

  function changedElsewhere(snapshot: SavedSessions): Map<string, SavedSession> {
    const stored = new Map((loadSavedSessions(storage)?.sessions ?? []).map(e => [e.key, e]))
    const out = new Map<string, SavedSession>()
    for (const entry of snapshot.sessions) {
      const theirs = stored.get(entry.key)
      const last = written.get(entry.key!)
      if (!theirs || last !== JSON.stringify(entry)) continue
      // Older than this window's own write of it: written from a copy that was behind (reclaim saves it again).
      const mine = stamps.get(entry.key!)
      const stamp = stampOf(theirs)
      if (mine && isOlder(stamp, mine)) continue
      stamps.set(entry.key!, stamp)
      const json = plainJson(theirs)
      if (json === last) continue
      out.set(entry.key!, theirs)
      written.set(entry.key!, json)
    }
    return out
  }

  function reclaim(): boolean {
    const stored = storedList()
    const present = new Map((stored?.sessions ?? []).map(e => [e.key, e]))
    const closedElsewhere = new Set(stored?.closed ?? [])
    let lost = false
    for (const key of [...written.keys()]) {
      const theirs = present.get(key)
      const mine = stamps.get(key)
      // Stored as this window wrote it, or as another window wrote it later.
      if (theirs && !(mine && isOlder(stampOf(theirs), mine))) continue
      // Closed elsewhere: it stays unsaved here unless this window changes it again.
      if (!theirs && closedElsewhere.has(key)) continue
      written.delete(key)
      lost = true
    }
    return lost
  }

  return { restore, save, changedElsewhere, settle, reclaim }
}

/**
 * Keep this window's tabs saved: a moment after the last change (typing does not write on every key), at once
 * when the page is hidden or left (`pagehide`: a change made just before a reload is kept), and take in the
 * changes another window makes to a tab this one shows (the `storage` event). `onResult` gets why a save failed,
 * or undefined once one works.
 */
export function keepTabsSaved(options: { sessions: () => readonly Session[], activeId: () => string | undefined, saver: TabSaver, onResult: (error: Words | undefined) => void, delayMs?: number }): void {
  const { saver, onResult, delayMs = 300 } = options
  const snapshot = () => snapshotSessions(options.sessions(), options.activeId())
  let timer: ReturnType<typeof setTimeout> | undefined
  function saveNow(): void {
    clearTimeout(timer)
    timer = undefined
    onResult(saver.save(snapshot()))
  }
  watch(snapshot, () => {
    clearTimeout(timer)
    timer = setTimeout(saveNow, delayMs)
  })
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return
  window.addEventListener('pagehide', saveNow)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && timer !== undefined) saveNow()
  })
  window.addEventListener('storage', (event) => {
    if (event.key !== SESSIONS_STORAGE_KEY) return
    if (takeInStoredTabs(saver, options.sessions(), options.activeId())) {
      clearTimeout(timer)
      timer = setTimeout(saveNow, delayMs)
    }
  })
}

/**
 * Another window wrote the saved tabs (the `storage` event): take in its changes to tabs this window shows and has
 * not changed since, and find this window's tabs its write lost. True when this window has to save again.
 */
export function takeInStoredTabs(saver: TabSaver, sessions: readonly Session[], activeId: string | undefined): boolean {
  const due = saver.reclaim()
  const changed = saver.changedElsewhere(snapshotSessions(sessions, activeId))
  if (changed.size === 0) return due
  for (const session of sessions) {
    const entry = changed.get(savedKeyOf(session))
    if (entry) applySavedSession(session, entry)
  }
  // Only those tabs: a change still waiting for its save here stays a change.
  const now = snapshotSessions(sessions, activeId)
  saver.settle({ ...now, sessions: now.sessions.filter(e => changed.has(e.key!)) })
  return due
}

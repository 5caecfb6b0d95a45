import type { HistoryEntry, ItemOf, ItemStore, LibraryDb, Preset, PresetSummary, Snippet, SnippetSummary, SummaryOf } from './libraryDb'
import type { LibraryJobEnd } from './libraryJobs'
import type { Session } from './session'
import type { MessageRef } from '@/protocol/message'
import type { ProtocolType } from '@/protocol/types'
import type { ImportProgress } from '@/timeline/importCommon'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { message } from '@/protocol/message'
import { runInSlices } from '@/timeline/importCommon'
import { libraryFileInSlices } from './libraryFile'
import { mergeInSlices, withItems } from './libraryList'
import { openLibraryDb, plain, putByName, summaryOf } from './libraryDb'
import { startLibraryJob } from './libraryWorker'

const HISTORY_LIMIT = 50
/** Windows of this origin tell each other what they changed in the library (ids, or a whole store). */
const CHANNEL = 'socketlens-library'
interface LibraryChange { store: ItemStore | 'history' | 'all', ids?: string[] }

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/**
 * What the library says: a message of `library.*` (src/i18n/messages/<locale>/library.ts), or a browser's own words
 * (a string), put into words by the UI (`useWords`), so it follows the language.
 */
export type LibraryWords = string | MessageRef

/** A failed write in words a person can act on: the quota as our message, anything else in the browser's words. */
export function storageFailure(e: unknown): LibraryWords {
  const error = e as { name?: string, message?: string }
  if (error?.name === 'QuotaExceededError') return message('library.storage.quota')
  return error?.message || String(e)
}

/**
 * Saved connection presets, saved messages and the endpoint history, kept in IndexedDB so nothing is lost on
 * reload or update. The page keeps a summary of each item (what its list shows and searches: `PresetSummary`,
 * `SnippetSummary`) in plain sorted arrays in shallow refs, and reads a whole item from IndexedDB when it is used
 * (`getPreset`, `applySnippet`): a library can hold 100,000 items. Reading the list back, importing and exporting
 * run in a worker (libraryWorker.ts). Every change is written in a transaction, told to the other windows, and undone
 * on screen if the write fails, with `error` saying so. Where IndexedDB is unavailable (some private modes)
 * everything works for this page.
 */
export const useLibraryStore = defineStore('library', () => {
  const presets = shallowRef<readonly PresetSummary[]>([])
  const snippets = shallowRef<readonly SnippetSummary[]>([])
  const history = shallowRef<readonly HistoryEntry[]>([])
  const error = shallowRef<LibraryWords>()
  const loading = ref(false)
  let db: Promise<LibraryDb | undefined> | undefined
  // Bumped by every change to the lists, so a slow read that started before it is redone, never shown stale.
  let changes = 0
  /**
   * Whole items this page has and IndexedDB may not: those whose write is under way, and all of them where there is
   * no database (for this page only).
   */
  const local = { presets: new Map<string, Preset>(), snippets: new Map<string, Snippet>() }
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined
  channel?.addEventListener('message', (event: MessageEvent<LibraryChange>) => void applyRemote(event.data))

  function database(): Promise<LibraryDb | undefined> {
    db ??= openLibraryDb().catch((e: unknown) => {
      error.value = message('library.storage.unavailable', { reason: (e as Error).message })
      return undefined
    })
    return db
  }

  type Summary = PresetSummary | SnippetSummary
  const current = <S extends ItemStore>(store: S): readonly SummaryOf<S>[] => (store === 'presets' ? presets.value : snippets.value) as readonly SummaryOf<S>[]
  function setList(store: ItemStore, list: readonly Summary[]): void {
    changes++
    if (store === 'presets') presets.value = list as PresetSummary[]
    else snippets.value = list as SnippetSummary[]
  }

  let reading: Promise<void> | undefined
  let readAgain = false
  /** Read the lists back (in a worker, a chunk of summaries at a time): a big library never freezes the page that opens it. */
  function load(): Promise<void> {
    if (reading) {
      readAgain = true
      return reading
    }
    reading = (async () => {
      do {
        readAgain = false
        await readAll()
      } while (readAgain)
    })().finally(() => {
      reading = undefined
    })
    return reading
  }

  async function readAll(): Promise<void> {
    const d = await database()
    if (!d) return
    loading.value = true
    try {
      for (;;) {
        const start = changes
        const lists = { presets: [] as Summary[], snippets: [] as Summary[] }
        let end: LibraryJobEnd | undefined
        await startLibraryJob({ job: 'read' }, d, (reply) => {
          if (reply.type === 'summaries') {
            const list = lists[reply.store]
            for (const item of reply.items) list.push(item)
          }
          else if (reply.type !== 'progress' && reply.type !== 'items') end = reply
        })
        if (end?.type !== 'done') throw new Error(end?.type === 'failed' ? end.message : 'the list could not be read')
        const h = await d.getAll('history')
        if (changes !== start) continue
        presets.value = lists.presets as PresetSummary[]
        snippets.value = lists.snippets as SnippetSummary[]
        history.value = h.sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        return
      }
    }
    catch (e) {
      error.value = message('library.storage.unreadable', { reason: storageFailure(e) })
    }
    finally {
      loading.value = false
    }
  }

  function tell(change: LibraryChange): void {
    channel?.postMessage(change)
  }

  /** Another window changed the library: read what it changed (or the whole store) and show it. */
  async function applyRemote(change: LibraryChange): Promise<void> {
    try {
      const d = await database()
      if (!d) return
      if (change.store === 'history') {
        history.value = (await d.getAll('history')).sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        return
      }
      if (change.store === 'all' || !change.ids) return await load()
      const store = change.store
      const found = await Promise.all(change.ids.map(id => d.get(store, id)))
      const summaries = found.filter(item => item !== undefined).map(item => summaryOf(store, item as ItemOf<typeof store>))
      setList(store, withItems<Summary>(current(store), summaries, change.ids))
    }
    catch {
      // This window's database was closed (a newer SocketLens upgraded it): its next start reads everything again.
    }
  }

  /** Show `item` at once, write it under its name, and take it back from the screen if the write fails. */
  async function saveNamed<S extends ItemStore>(store: S, item: ItemOf<S>, sameKind: (stored: { type: ProtocolType }) => boolean): Promise<ItemOf<S> | undefined> {
    const previous = current(store).find(i => i.name === item.name && sameKind(i))
    if (previous) item.id = previous.id
    const mine = local[store] as Map<string, ItemOf<S>>
    mine.set(item.id, item)
    setList(store, withItems<Summary>(current(store), [summaryOf(store, item)]))
    const d = await database()
    if (!d) return item
    try {
      const stored = await putByName(d, store, item, sameKind)
      if (stored.id !== item.id) setList(store, withItems<Summary>(current(store), [summaryOf(store, stored)], [item.id]))
      tell({ store, ids: stored.id === item.id ? [item.id] : [item.id, stored.id] })
      return stored
    }
    catch (e) {
      setList(store, withItems<Summary>(current(store), previous ? [previous] : [], [item.id]))
      error.value = message(store === 'presets' ? 'library.storage.presetNotSaved' : 'library.storage.snippetNotSaved', { name: item.name, reason: storageFailure(e) })
      return undefined
    }
    finally {
      if (mine.get(item.id) === item) mine.delete(item.id)
    }
  }

  /** Take an item off the screen at once, and put it back if the delete fails. */
  async function deleteNamed(store: ItemStore, id: string): Promise<void> {
    const item = current(store).find(i => i.id === id)
    if (!item) return
    setList(store, withItems<Summary>(current(store), [], [id]))
    const d = await database()
    if (!d) {
      local[store].delete(id)
      return
    }
    try {
      const tx = d.transaction(store, 'readwrite')
      await Promise.all([tx.store.delete(id), tx.done])
      tell({ store, ids: [id] })
    }
    catch (e) {
      setList(store, withItems<Summary>(current(store), [item], [id]))
      error.value = message('library.storage.notDeleted', { name: item.name, reason: storageFailure(e) })
    }
  }

  /**
   * The whole item behind a summary, read from IndexedDB. One that is gone (another window deleted it) leaves the
   * list; either way the person reads why nothing happened.
   */
  async function readItem<S extends ItemStore>(store: S, id: string): Promise<ItemOf<S> | undefined> {
    const name = current(store).find(i => i.id === id)?.name ?? id
    const mine = local[store].get(id) as ItemOf<S> | undefined
    const d = await database()
    if (mine || !d) return mine
    try {
      const item = await d.get(store, id) as ItemOf<S> | undefined
      if (item) return item
      setList(store, withItems<Summary>(current(store), [], [id]))
      error.value = message('library.storage.gone', { name })
    }
    catch (e) {
      error.value = message('library.storage.notRead', { name, reason: storageFailure(e) })
    }
    return undefined
  }

  function savePreset(session: Session, name: string): Promise<Preset | undefined> {
    const preset: Preset = { id: newId(), name, url: session.url, type: session.type, ws: plain(session.ws), sio: plain(session.sio), updatedAt: Date.now() }
    return saveNamed('presets', preset, () => true)
  }

  function saveSnippet(session: Session, name: string): Promise<Snippet | undefined> {
    const c = session.composer
    const snippet: Snippet = {
      id: newId(),
      name,
      type: session.type,
      message: c.message,
      format: c.format,
      eventName: c.eventName,
      firstArgType: c.firstArgType,
      extraArgs: plain(c.extraArgs),
      expectAck: c.expectAck,
      updatedAt: Date.now(),
    }
    return saveNamed('snippets', snippet, s => s.type === snippet.type)
  }

  /** Put a saved message (read whole from IndexedDB) into the composer; false if it could not be read. */
  async function applySnippet(snippet: Pick<Snippet, 'id'>, session: Session): Promise<boolean> {
    const saved = await readItem('snippets', snippet.id)
    if (!saved) return false
    const c = session.composer
    c.message = saved.message
    c.format = saved.format
    c.eventName = saved.eventName
    c.firstArgType = saved.firstArgType
    c.extraArgs = plain(saved.extraArgs)
    c.expectAck = saved.expectAck
    return true
  }

  async function recordConnection(url: string, type: ProtocolType): Promise<void> {
    const id = `${type} ${url}`
    const before = history.value
    const previous = before.find(h => h.id === id)
    // Strictly increasing, so two connects in the same millisecond still sort in the order they happened.
    const lastUsedAt = Math.max(Date.now(), (before[0]?.lastUsedAt ?? 0) + 1)
    const entry: HistoryEntry = { id, url, type, lastUsedAt, uses: (previous?.uses ?? 0) + 1 }
    const next = [entry, ...before.filter(h => h.id !== id)]
    history.value = next.slice(0, HISTORY_LIMIT)
    const d = await database()
    if (!d) return
    try {
      const tx = d.transaction('history', 'readwrite')
      await Promise.all([tx.store.put(entry), ...next.slice(HISTORY_LIMIT).map(old => tx.store.delete(old.id)), tx.done])
      tell({ store: 'history' })
    }
    catch (e) {
      history.value = before
      error.value = message('library.storage.historyNotSaved', { reason: storageFailure(e) })
    }
  }

  async function clearHistory(): Promise<void> {
    const before = history.value
    history.value = []
    const d = await database()
    try {
      await d?.clear('history')
      tell({ store: 'history' })
    }
    catch (e) {
      history.value = before
      error.value = message('library.storage.historyNotCleared', { reason: storageFailure(e) })
    }
  }

  /**
   * Everything saved, as a file a person can keep or move to another browser: the JSON that
   * `JSON.stringify(library, null, 2)` would write (items in name order), written in a worker from what IndexedDB
   * holds and kept as a Blob, so the text is never one big string and the page never holds every item. `signal` cancels it.
   */
  async function exportLibrary(options: { signal?: AbortSignal } = {}): Promise<Blob> {
    const d = await database()
    if (!d) {
      const whole = <S extends ItemStore>(store: S) => current(store).map(s => local[store].get(s.id)).filter(item => item !== undefined) as ItemOf<S>[]
      return runInSlices(libraryFileInSlices(whole('presets'), whole('snippets')), options)
    }
    let end: LibraryJobEnd | undefined
    await startLibraryJob({ job: 'export' }, d, (reply) => {
      if (reply.type !== 'progress' && reply.type !== 'summaries' && reply.type !== 'items') end = reply
    }, options.signal)
    if (end?.type === 'file') return end.blob
    if (end?.type === 'cancelled') throw options.signal?.reason ?? new DOMException('The export was cancelled.', 'AbortError')
    throw new Error(end?.type === 'failed' ? end.message : 'the library could not be exported')
  }

  /**
   * Merge a library file (its text, or the file itself) with progress; `signal` cancels it. Parsing, checking and
   * writing run in a worker (libraryJobs.ts), so the page never holds the file's items: it gets their summaries. The
   * file is checked whole before anything is written and written in one transaction, so a corrupt file, a failed
   * write or a cancel changes nothing; items with the same id are replaced (a re-import adds nothing), everything
   * else is kept.
   */
  async function importLibrary(source: string | Blob, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void } = {}): Promise<{ ok: true, presets: number, snippets: number } | { ok: false, error: MessageRef, cancelled?: boolean }> {
    const { signal, onProgress } = options
    try {
      const d = await database()
      const incoming = { presets: [] as Summary[], snippets: [] as Summary[] }
      let end: LibraryJobEnd | undefined
      await startLibraryJob({ job: 'import', source }, d, (reply) => {
        if (reply.type === 'progress') onProgress?.(reply.progress)
        else if (reply.type === 'summaries') {
          const list = incoming[reply.store]
          for (const item of reply.items) list.push(item)
        }
        else if (reply.type === 'items') {
          // No database: this page keeps the whole items.
          for (const p of reply.presets) local.presets.set(p.id, p)
          for (const s of reply.snippets) local.snippets.set(s.id, s)
        }
        else end = reply
      }, signal)
      switch (end?.type) {
        case 'done': break
        case 'cancelled': return { ok: false, error: message('library.file.cancelled'), cancelled: true }
        case 'refused': return { ok: false, error: end.error }
        case 'notSaved': return { ok: false, error: message('library.file.notSaved', { reason: storageFailure(end.error) }) }
        default: return { ok: false, error: message('library.file.failed', { reason: end?.type === 'failed' ? end.message : 'no answer' }) }
      }
      const total = end.presets + end.snippets
      onProgress?.({ phase: 'sorting', done: 0, total })
      // Written: from here on the import is done, and the lists show it (a cancel now would only hide it).
      const nextPresets = await runInSlices(mergeInSlices(presets.value, incoming.presets as PresetSummary[]))
      const nextSnippets = await runInSlices(mergeInSlices(snippets.value, incoming.snippets as SnippetSummary[]))
      setList('presets', nextPresets)
      setList('snippets', nextSnippets)
      tell({ store: 'all' })
      return { ok: true, presets: end.presets, snippets: end.snippets }
    }
    catch (e) {
      if (signal?.aborted) return { ok: false, error: message('library.file.cancelled'), cancelled: true }
      return { ok: false, error: message('library.file.failed', { reason: (e as Error).message }) }
    }
  }

  return {
    presets,
    snippets,
    history,
    error,
    loading,
    load,
    savePreset,
    getPreset: (id: string) => readItem('presets', id),
    deletePreset: (id: string) => deleteNamed('presets', id),
    saveSnippet,
    getSnippet: (id: string) => readItem('snippets', id),
    applySnippet,
    deleteSnippet: (id: string) => deleteNamed('snippets', id),
    recordConnection,
    clearHistory,
    exportLibrary,
    importLibrary,
  }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useLibraryStore, import.meta.hot))

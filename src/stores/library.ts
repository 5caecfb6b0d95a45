import type { HistoryEntry, ItemStore, LibraryDb, Preset, Snippet } from './libraryDb'
import type { Session } from './session'
import type { MessageRef } from '@/protocol/message'
import type { ProtocolType } from '@/protocol/types'
import type { ImportProgress } from '@/timeline/importCommon'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { message } from '@/protocol/message'
import { runInSlices } from '@/timeline/importCommon'
import { parseJsonOffThread } from '@/timeline/jsonParse'
import { checkLibraryFile, LIBRARY_LISTS, libraryFileInSlices, notJson, parseLibraryJson } from './libraryFile'
import { mergeInSlices, sortInSlicesByName, withItems } from './libraryList'
import { openLibraryDb, plain, putByName, putMany, readAllPaged } from './libraryDb'

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
 * reload or update. Lists are plain sorted arrays in shallow refs (a library can hold 100,000 items); every
 * change is written in a transaction, told to the other windows, and undone on screen if the write fails, with
 * `error` saying so. Where IndexedDB is unavailable (some private modes) everything works for this page.
 */
export const useLibraryStore = defineStore('library', () => {
  const presets = shallowRef<readonly Preset[]>([])
  const snippets = shallowRef<readonly Snippet[]>([])
  const history = shallowRef<readonly HistoryEntry[]>([])
  const error = shallowRef<LibraryWords>()
  const loading = ref(false)
  let db: Promise<LibraryDb | undefined> | undefined
  // Bumped by every change to the lists, so a slow read that started before it is redone, never shown stale.
  let changes = 0
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined
  channel?.addEventListener('message', (event: MessageEvent<LibraryChange>) => void applyRemote(event.data))

  function database(): Promise<LibraryDb | undefined> {
    db ??= openLibraryDb().catch((e: unknown) => {
      error.value = message('library.storage.unavailable', { reason: (e as Error).message })
      return undefined
    })
    return db
  }

  type Item = Preset | Snippet
  const current = (store: ItemStore): readonly Item[] => store === 'presets' ? presets.value : snippets.value
  function setList(store: ItemStore, list: readonly Item[]): void {
    changes++
    if (store === 'presets') presets.value = list as Preset[]
    else snippets.value = list as Snippet[]
  }

  let reading: Promise<void> | undefined
  let readAgain = false
  /** Read everything back, in pages and time slices: a big library never freezes the page that opens it. */
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
        const [p, s, h] = await Promise.all([readAllPaged(d, 'presets'), readAllPaged(d, 'snippets'), d.getAll('history')])
        const sortedPresets = await runInSlices(sortInSlicesByName(p))
        const sortedSnippets = await runInSlices(sortInSlicesByName(s))
        if (changes !== start) continue
        presets.value = sortedPresets
        snippets.value = sortedSnippets
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
      setList(store, withItems<Item>(current(store), found.filter(item => item !== undefined), change.ids))
    }
    catch {
      // This window's database was closed (a newer SocketLens upgraded it): its next start reads everything again.
    }
  }

  /** Show `item` at once, write it under its name, and take it back from the screen if the write fails. */
  async function saveNamed<T extends Preset | Snippet>(store: ItemStore, item: T, sameKind: (stored: T) => boolean): Promise<T | undefined> {
    const previous = (current(store) as T[]).find(i => i.name === item.name && sameKind(i))
    if (previous) item.id = previous.id
    setList(store, withItems<Item>(current(store), [item]))
    const d = await database()
    if (!d) return item
    try {
      const stored = await putByName(d, store, item, sameKind as (stored: Preset | Snippet) => boolean) as T
      if (stored.id !== item.id) setList(store, withItems<Item>(current(store), [stored], [item.id]))
      tell({ store, ids: stored.id === item.id ? [item.id] : [item.id, stored.id] })
      return stored
    }
    catch (e) {
      setList(store, withItems<Item>(current(store), previous ? [previous] : [], [item.id]))
      error.value = message(store === 'presets' ? 'library.storage.presetNotSaved' : 'library.storage.snippetNotSaved', { name: item.name, reason: storageFailure(e) })
      return undefined
    }
  }

  /** Take an item off the screen at once, and put it back if the delete fails. */
  async function deleteNamed(store: ItemStore, id: string): Promise<void> {
    const item = current(store).find(i => i.id === id)
    if (!item) return
    setList(store, withItems(current(store), [], [id]))
    const d = await database()
    if (!d) return
    try {
      const tx = d.transaction(store, 'readwrite')
      await Promise.all([tx.store.delete(id), tx.done])
      tell({ store, ids: [id] })
    }
    catch (e) {
      setList(store, withItems(current(store), [item], [id]))
      error.value = message('library.storage.notDeleted', { name: item.name, reason: storageFailure(e) })
    }
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

  function applySnippet(snippet: Snippet, session: Session): void {
    const c = session.composer
    c.message = snippet.message
    c.format = snippet.format
    c.eventName = snippet.eventName
    c.firstArgType = snippet.firstArgType
    c.extraArgs = plain(snippet.extraArgs)
    c.expectAck = snippet.expectAck
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
   * `JSON.stringify(library, null, 2)` would write, written an item at a time in time slices (100,000 items in one
   * call would be a long task) and kept as a Blob, so the text is never one big string. `signal` cancels it.
   */
  function exportLibrary(options: { signal?: AbortSignal } = {}): Promise<Blob> {
    return runInSlices(libraryFileInSlices(presets.value, snippets.value), options)
  }

  /**
   * Merge a library file (its text, or the file itself), in time slices with progress; `signal` cancels it. The file is checked whole before
   * anything is written and written in one transaction, so a corrupt file, a failed write or a cancel changes
   * nothing; items with the same id are replaced (a re-import adds nothing), everything else is kept.
   */
  async function importLibrary(source: string | Blob, options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void } = {}): Promise<{ ok: true, presets: number, snippets: number } | { ok: false, error: MessageRef, cancelled?: boolean }> {
    const { signal, onProgress } = options
    try {
      // A file is parsed off the main thread (10 MB of JSON is a long task); text (tests, small input) right here.
      const json = typeof source === 'string'
        ? parseLibraryJson(source)
        : await parseJsonOffThread(source, LIBRARY_LISTS, { signal, onProgress }).then(r => r.ok ? r : { ok: false as const, error: notJson(r.message) })
      if (!json.ok) return { ok: false, error: message('library.file.notImported', { problem: json.error }) }
      const parsed = await runInSlices(checkLibraryFile(json.value), { signal, onProgress })
      if (!parsed.ok) return { ok: false, error: message('library.file.notImported', { problem: parsed.error }) }
      const total = parsed.presets.length + parsed.snippets.length
      const d = await database()
      if (d) {
        try {
          await putMany(d, parsed, { signal, onProgress: done => onProgress?.({ phase: 'saving', done, total }) })
        }
        catch (e) {
          if (signal?.aborted) throw e
          return { ok: false, error: message('library.file.notSaved', { reason: storageFailure(e) }) }
        }
      }
      onProgress?.({ phase: 'sorting', done: 0, total })
      // Written: from here on the import is done, and the lists show it (a cancel now would only hide it).
      const [nextPresets, nextSnippets] = [await runInSlices(mergeInSlices(presets.value, parsed.presets)), await runInSlices(mergeInSlices(snippets.value, parsed.snippets))]
      setList('presets', nextPresets)
      setList('snippets', nextSnippets)
      tell({ store: 'all' })
      return { ok: true, presets: parsed.presets.length, snippets: parsed.snippets.length }
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
    deletePreset: (id: string) => deleteNamed('presets', id),
    saveSnippet,
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

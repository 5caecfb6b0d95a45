import type { DBSchema, IDBPDatabase } from 'idb'
import type { ProtocolType } from '@/protocol/types'
import type { ArgumentDraft, ArgumentType, PayloadFormat, SocketIoSettings, WebSocketSettings } from './session'
import { openDB, unwrap } from 'idb'

/** A saved connection: everything the connection form holds. */
export interface Preset {
  id: string
  name: string
  url: string
  type: ProtocolType
  ws: WebSocketSettings
  sio: SocketIoSettings
  updatedAt: number
}

/** A saved message: a raw frame or a Socket.IO emit with all its arguments. */
export interface Snippet {
  id: string
  name: string
  type: ProtocolType
  message: string
  format: PayloadFormat
  eventName: string
  firstArgType: ArgumentType
  extraArgs: ArgumentDraft[]
  expectAck: boolean
  updatedAt: number
}

/**
 * What the page keeps of a preset: what its list shows and searches. The whole preset (its settings) is read from
 * IndexedDB when it is used, so 100,000 saved presets are 100,000 small objects on the page, not 100,000 settings.
 */
export type PresetSummary = Pick<Preset, 'id' | 'name' | 'url' | 'type'>
/** What the page keeps of a snippet: what its list shows and searches (the message, the event name). */
export type SnippetSummary = Pick<Snippet, 'id' | 'name' | 'type' | 'eventName' | 'message'>

export function presetSummary(p: Preset): PresetSummary {
  return { id: p.id, name: p.name, url: p.url, type: p.type }
}

export function snippetSummary(s: Snippet): SnippetSummary {
  return { id: s.id, name: s.name, type: s.type, eventName: s.eventName, message: s.message }
}

export function summaryOf<S extends ItemStore>(store: S, item: ItemOf<S>): SummaryOf<S> {
  return (store === 'presets' ? presetSummary(item as Preset) : snippetSummary(item as Snippet)) as SummaryOf<S>
}

/** An endpoint connected to, most recent first in the UI. */
export interface HistoryEntry {
  /** The URL and type: one entry per endpoint. */
  id: string
  url: string
  type: ProtocolType
  lastUsedAt: number
  uses: number
}

interface LibrarySchema extends DBSchema {
  presets: { key: string, value: Preset, indexes: { name: string } }
  snippets: { key: string, value: Snippet, indexes: { name: string } }
  history: { key: string, value: HistoryEntry, indexes: { lastUsedAt: number } }
}

export const LIBRARY_DB_NAME = 'socketlens-library'
/**
 * Bump with a new `if (oldVersion < N)` step in `upgrade` (never edit an old one): a person's saved things must survive every update.
 * v1: presets, snippets, history (by lastUsedAt).
 * v2: presets and snippets by name, so saving under a name another window just used replaces that item.
 */
export const LIBRARY_DB_VERSION = 2

export type LibraryDb = IDBPDatabase<LibrarySchema>

export function openLibraryDb(): Promise<LibraryDb> {
  return openDB<LibrarySchema>(LIBRARY_DB_NAME, LIBRARY_DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      // Every step past the stored version runs, in order: a v0 database goes through all of them.
      if (oldVersion < 1) {
        db.createObjectStore('presets', { keyPath: 'id' })
        db.createObjectStore('snippets', { keyPath: 'id' })
        const history = db.createObjectStore('history', { keyPath: 'id' })
        history.createIndex('lastUsedAt', 'lastUsedAt')
      }
      if (oldVersion < 2) {
        tx.objectStore('presets').createIndex('name', 'name')
        tx.objectStore('snippets').createIndex('name', 'name')
      }
    },
    blocked() {
      // Another tab holds an older version open; it will close it on its `versionchange`.
    },
    blocking(_current, _blocked, event) {
      // A newer SocketLens in another tab wants to upgrade: step aside (this tab reloads its library on next start).
      (event.target as IDBDatabase).close()
    },
  })
}

export type ItemStore = 'presets' | 'snippets'
export type ItemOf<S extends ItemStore> = S extends 'presets' ? Preset : Snippet
export type SummaryOf<S extends ItemStore> = S extends 'presets' ? PresetSummary : SnippetSummary

/** Rows per read: one page (cloned back on the reading thread) is a short task even for big items; 100,000 items are 400 reads. */
export const PAGE = 250
/** Most items a write chunk issues, and the time it may spend issuing them (each put clones its item). */
const CHUNK = 500
const PUT_BUDGET_MS = 8

/** Every item of a store, read a page at a time (by id) so no single read holds its thread for long. */
export async function readAllPaged<S extends ItemStore | 'history'>(db: LibraryDb, store: S, options: { signal?: AbortSignal } = {}): Promise<LibrarySchema[S]['value'][]> {
  const all: LibrarySchema[S]['value'][] = []
  await readPages(db, store, (page) => {
    for (const item of page) all.push(item)
  }, options)
  return all
}

/** A store a page at a time (by id), each page handed to `each` and then let go. */
export async function readPages<S extends ItemStore | 'history'>(db: LibraryDb, store: S, each: (page: LibrarySchema[S]['value'][]) => void, options: { signal?: AbortSignal, pageSize?: number } = {}): Promise<void> {
  const size = options.pageSize ?? PAGE
  let after: string | undefined
  for (;;) {
    options.signal?.throwIfAborted()
    const page = await db.getAll(store, after === undefined ? undefined : IDBKeyRange.lowerBound(after, true), size)
    each(page)
    if (page.length < size) return
    after = page[page.length - 1]!.id
  }
}

/**
 * Save an item under its name: in one transaction, an item of that name already stored (by another window too)
 * is replaced, so a name is never saved twice. Returns the item as stored (with the id it was stored under).
 */
export async function putByName<S extends ItemStore>(db: LibraryDb, store: S, item: ItemOf<S>, sameKind: (stored: ItemOf<S>) => boolean): Promise<ItemOf<S>> {
  const tx = db.transaction(store, 'readwrite')
  try {
    const named = await tx.store.index('name').getAll(item.name as never) as ItemOf<S>[]
    const existing = named.find(sameKind)
    const stored = existing ? { ...item, id: existing.id } : item
    await tx.store.put(plain(stored) as never)
    await tx.done
    return stored
  }
  catch (e) {
    abortQuietly(tx)
    throw e
  }
}

/**
 * Write many items in one transaction, a chunk at a time: the next chunk is issued from the success of the last
 * request of the one before (which keeps the transaction alive), so the page stays responsive. Plain requests,
 * with a listener on that last one only: idb's promise for every put costs more than the put. All or nothing: a
 * failure or a cancel aborts the whole transaction.
 */
export async function putMany(db: LibraryDb, items: { presets: Preset[], snippets: Snippet[] }, options: { signal?: AbortSignal, onProgress?: (done: number) => void, chunk?: number, budgetMs?: number } = {}): Promise<void> {
  const chunk = options.chunk ?? CHUNK
  const budget = options.budgetMs ?? PUT_BUDGET_MS
  const tx = db.transaction(['presets', 'snippets'], 'readwrite')
  const raw = unwrap(tx)
  const work: [IDBObjectStore, unknown[]][] = [[raw.objectStore('presets'), items.presets], [raw.objectStore('snippets'), items.snippets]]
  try {
    for (const [store, list] of work) {
      for (let i = 0; i < list.length;) {
        options.signal?.throwIfAborted()
        // A put clones its item on the calling thread: a chunk is as many as fit in the budget (at most `chunk`).
        const started = performance.now()
        const limit = Math.min(i + chunk, list.length)
        let last: IDBRequest | undefined
        while (i < limit && (last === undefined || performance.now() - started < budget)) last = store.put(list[i++])
        await new Promise<void>((resolve, reject) => {
          last!.onsuccess = () => resolve()
          last!.onerror = () => reject(last!.error)
        })
        options.onProgress?.(i + (list === items.snippets ? items.presets.length : 0))
      }
    }
    await tx.done
  }
  catch (e) {
    abortQuietly(tx)
    throw e
  }
}

function abortQuietly(tx: { abort: () => void, done: Promise<void> }): void {
  tx.done.catch(() => {})
  try {
    tx.abort()
  }
  catch {
    // Already finished or aborted.
  }
}

/** Structured clone refuses Vue proxies: store plain copies. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

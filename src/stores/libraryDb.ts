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
type ItemOf<S extends ItemStore> = S extends 'presets' ? Preset : Snippet

/** Rows per read: one page (cloned back on the page's thread) is a short task even for big items; 100,000 items are 400 reads. */
const PAGE = 250
/** Most items a write chunk issues, and the time it may spend issuing them (each put clones its item). */
const CHUNK = 500
const PUT_BUDGET_MS = 8

/** Every item of a store, read a page at a time (by id) so no single read holds the main thread for long. */
export async function readAllPaged<S extends ItemStore | 'history'>(db: LibraryDb, store: S): Promise<LibrarySchema[S]['value'][]> {
  const all: LibrarySchema[S]['value'][] = []
  let after: string | undefined
  for (;;) {
    const page = await db.getAll(store, after === undefined ? undefined : IDBKeyRange.lowerBound(after, true), PAGE)
    for (const item of page) all.push(item)
    if (page.length < PAGE) return all
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
export async function putMany(db: LibraryDb, items: { presets: Preset[], snippets: Snippet[] }, options: { signal?: AbortSignal, onProgress?: (done: number) => void } = {}): Promise<void> {
  const tx = db.transaction(['presets', 'snippets'], 'readwrite')
  const raw = unwrap(tx)
  const work: [IDBObjectStore, unknown[]][] = [[raw.objectStore('presets'), items.presets], [raw.objectStore('snippets'), items.snippets]]
  try {
    for (const [store, list] of work) {
      for (let i = 0; i < list.length;) {
        options.signal?.throwIfAborted()
        // A put clones its item on the calling thread: a chunk is as many as fit in PUT_BUDGET_MS (at most CHUNK).
        const started = performance.now()
        const limit = Math.min(i + CHUNK, list.length)
        let last: IDBRequest | undefined
        while (i < limit && (last === undefined || performance.now() - started < PUT_BUDGET_MS)) last = store.put(list[i++])
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

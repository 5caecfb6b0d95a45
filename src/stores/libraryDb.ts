import type { DBSchema, IDBPDatabase } from 'idb'
import type { ProtocolType } from '@/protocol/types'
import type { ArgumentDraft, ArgumentType, PayloadFormat, SocketIoSettings, WebSocketSettings } from './session'
import { openDB } from 'idb'

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
  presets: { key: string, value: Preset }
  snippets: { key: string, value: Snippet }
  history: { key: string, value: HistoryEntry, indexes: { lastUsedAt: number } }
}

export const LIBRARY_DB_NAME = 'socketlens-library'
/**
 * Bump with a new `case` in `upgrade` (never edit an old one): a person's saved things must survive every update.
 * v1: presets, snippets, history (by lastUsedAt).
 */
export const LIBRARY_DB_VERSION = 1

export type LibraryDb = IDBPDatabase<LibrarySchema>

export function openLibraryDb(): Promise<LibraryDb> {
  return openDB<LibrarySchema>(LIBRARY_DB_NAME, LIBRARY_DB_VERSION, {
    upgrade(db, oldVersion) {
      // Fall-through on purpose: a v0 database runs every step up to the current version.
      switch (oldVersion) {
        case 0: {
          db.createObjectStore('presets', { keyPath: 'id' })
          db.createObjectStore('snippets', { keyPath: 'id' })
          const history = db.createObjectStore('history', { keyPath: 'id' })
          history.createIndex('lastUsedAt', 'lastUsedAt')
        }
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

/** Structured clone refuses Vue proxies: store plain copies. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

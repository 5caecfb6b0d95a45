/**
 * The saved timelines' database (`socketlens-timelines`) and the reading of one chunk: shared by the store
 * (savedTimelines.ts) and the worker that reads a saved timeline back off the page's thread
 * (savedTimelines.worker.ts), so the worker's bundle holds neither Vue nor the stores.
 */
import type { DBSchema, IDBPDatabase } from 'idb'
import type { ProtocolType, TimelineEvent } from '@/protocol/types'
import type { MessageRef } from '@/protocol/message'
import type { SavedTimeline } from './savedTimelines'
import { openDB } from 'idb'
import { headerLine } from '@/timeline/exportNdjson'
import { importTimeline } from '@/timeline/importTimeline'

export interface ChunkRecord {
  timelineId: string
  index: number
  count: number
  /** NDJSON event lines, each ending in `\n` (no header). */
  text: string
}

export interface TimelinesSchema extends DBSchema {
  timelines: { key: string, value: SavedTimeline }
  chunks: { key: [string, number], value: ChunkRecord }
}

export const TIMELINES_DB_NAME = 'socketlens-timelines'
/** Bump with a new `if (oldVersion < N)` step (never edit an old one). v1: timelines, chunks by [timelineId, index]. */
export const TIMELINES_DB_VERSION = 1

export type TimelinesDb = IDBPDatabase<TimelinesSchema>

export function openTimelinesDb(): Promise<TimelinesDb> {
  return openDB<TimelinesSchema>(TIMELINES_DB_NAME, TIMELINES_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('timelines', { keyPath: 'id' })
        db.createObjectStore('chunks', { keyPath: ['timelineId', 'index'] })
      }
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close()
    },
  })
}

/** The header the import's reader needs before a chunk's event lines (a chunk holds event lines only). */
export function chunkHeader(protocol: ProtocolType, count: number): string {
  return headerLine({ protocol }, count)
}

/**
 * One chunk's events, read by the import's reader at once (the worker's way: its thread is its own), or what is
 * wrong with it: a line that is not an event names the line within the part (the header the reader is given is
 * line 1, so the part's first event is line 2).
 */
export function readChunk(chunk: ChunkRecord, protocol: ProtocolType): { ok: true, events: TimelineEvent[] } | { ok: false, error: MessageRef } {
  const read = importTimeline(`${chunkHeader(protocol, chunk.count)}\n${chunk.text}`)
  return read.ok ? { ok: true, events: read.events } : { ok: false, error: read.error }
}

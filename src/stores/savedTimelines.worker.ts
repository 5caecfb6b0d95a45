/**
 * Reads a saved timeline back off the page's thread (savedTimelines.ts starts it): each chunk is read from
 * IndexedDB and parsed here by the import's reader, and the events go to the page in batches.
 *
 * Why a worker: on the page's thread the reading was IndexedDB's replies, a split of each chunk into lines, a
 * JSON.parse and a checked copy of every line, and their garbage: now the page only deserializes each batch
 * (structured clone) and keeps its events. What stays on the page is V8's scavenger copying the kept events, which
 * survive (see docs/reliability.md).
 */
import type { ProtocolType, TimelineEvent } from '@/protocol/types'
import type { MessageRef } from '@/protocol/message'
import type { TimelinesDb } from './savedTimelinesDb'
import { openTimelinesDb, readChunk } from './savedTimelinesDb'

export interface SavedReadRequest { id: string, chunks: number, protocol: ProtocolType }
export type SavedReadReply =
  | { type: 'events', events: TimelineEvent[] }
  /** Part `index` (0-based) is not in the database. */
  | { type: 'missing', index: number }
  /** Part `index` is not the NDJSON it should be; `held` events of `count` were readable. */
  | { type: 'corrupt', index: number, error?: MessageRef, held?: number, count?: number }
  | { type: 'failed', message: string }
  | { type: 'done' }

/**
 * Characters of NDJSON per batch sent to the page: a batch is one task of the page's (its deserialization), a few
 * milliseconds at this size; BATCH_EVENTS bounds batches of tiny events.
 */
export const BATCH_CHARS = 512 * 1024
export const BATCH_EVENTS = 8_000

const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<SavedReadRequest>) => void) | null, postMessage: (reply: SavedReadReply) => void }

async function read(db: TimelinesDb, request: SavedReadRequest): Promise<void> {
  let batch: TimelineEvent[] = []
  let chars = 0
  for (let index = 0; index < request.chunks; index++) {
    const chunk = await db.get('chunks', [request.id, index])
    if (!chunk) {
      scope.postMessage({ type: 'missing', index })
      return
    }
    const read = readChunk(chunk, request.protocol)
    if (!read.ok) {
      scope.postMessage({ type: 'corrupt', index, error: read.error })
      return
    }
    if (read.events.length !== chunk.count) {
      scope.postMessage({ type: 'corrupt', index, held: read.events.length, count: chunk.count })
      return
    }
    for (const event of read.events) batch.push(event)
    chars += chunk.text.length
    if (chars >= BATCH_CHARS || batch.length >= BATCH_EVENTS) {
      scope.postMessage({ type: 'events', events: batch })
      batch = []
      chars = 0
    }
  }
  if (batch.length > 0) scope.postMessage({ type: 'events', events: batch })
  scope.postMessage({ type: 'done' })
}

scope.onmessage = async (event) => {
  let db: TimelinesDb | undefined
  try {
    db = await openTimelinesDb()
    await read(db, event.data)
  }
  catch (e) {
    scope.postMessage({ type: 'failed', message: (e as Error)?.message ?? String(e) })
  }
  finally {
    db?.close()
  }
}

/**
 * The dev server's record: a bounded, in-memory list of what clients sent (Socket.IO events with their acks, room
 * joins and leaves, raw WebSocket frames), so a test can check from the server's side what arrived, in which order.
 *
 * Read by `GET /record` on the control API and by `server.record()`; cleared by `POST /record/clear` and
 * `server.clearRecord()`. In cluster mode the workers send their entries to the primary over cluster IPC
 * (`RecordIpcSink`), so one record holds every node's.
 */
import type { JsonValue, RecordEntry, RecordInput, RecordSnapshot } from './types.ts'

/** Entries kept by default; older ones are dropped (counted in `dropped`). */
export const DEFAULT_RECORD_LIMIT = 50_000
/** Approximate bytes of arguments and frame data kept by default (64 MiB); beyond it the oldest entries go too. */
export const DEFAULT_RECORD_MAX_BYTES = 64 * 1024 * 1024
/** Nesting below this depth is replaced by `{ truncated: 'depth' }`. */
export const RECORD_MAX_DEPTH = 32

/** The handle of one recorded Socket.IO event: call `acked()` when the server answers its acknowledgement. */
export interface RecordedEvent {
  acked(): void
}

/** Where the servers write their entries: the primary's {@link Recorder}, or a cluster worker's IPC forwarder. */
export interface RecordSink {
  add(entry: RecordInput): RecordedEvent
}

const NOOP_EVENT: RecordedEvent = { acked() {} }

function base64Of(value: ArrayBuffer | ArrayBufferView): string {
  const bytes = value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return bytes.toString('base64')
}

/**
 * A JSON-safe copy of what a client sent: binary as `{ base64 }`, `undefined` as null in arrays (left out in objects),
 * non-finite numbers as null, bigints as strings, functions left out. Depth-bounded and iterative-free of recursion
 * beyond {@link RECORD_MAX_DEPTH} levels.
 */
export function jsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'bigint':
      return value.toString()
    case 'function':
    case 'symbol':
      return null
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { base64: base64Of(value as ArrayBuffer | ArrayBufferView) }
  if (depth >= RECORD_MAX_DEPTH) return { truncated: 'depth' }
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, depth + 1))
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null
  const out: Record<string, JsonValue> = {}
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
    out[key] = jsonSafe(item, depth + 1)
  }
  return out
}

function sizeOf(entry: RecordInput): number {
  if (entry.type === 'frame') return entry.data.length + 200
  if (entry.type === 'event') return JSON.stringify(entry.args).length + entry.event.length + 200
  return 200
}

/** The bounded record itself (one per dev server, in the primary when clustered). */
export class Recorder implements RecordSink {
  private entries: RecordEntry[] = []
  /** Index of the first live entry in `entries` (dropping from the front without shifting every time). */
  private head = 0
  private sizes: number[] = []
  private bytes = 0
  private seq = 0
  private droppedCount = 0
  /** Forwarded events waiting for their ack, by the worker's key. */
  private readonly pending = new Map<string, RecordEntry>()

  constructor(readonly limit = DEFAULT_RECORD_LIMIT, readonly maxBytes = DEFAULT_RECORD_MAX_BYTES) {}

  add(input: RecordInput): RecordedEvent {
    const entry = this.push(input)
    if (entry.type !== 'event' || !entry.ack) return NOOP_EVENT
    return {
      acked() {
        entry.acked = true
      },
    }
  }

  /** An entry forwarded by a cluster worker; `key` names it for a later {@link markAcked}. */
  addForwarded(input: RecordInput, key?: string): void {
    const entry = this.push(input)
    if (key && entry.type === 'event' && entry.ack && !entry.acked) this.pending.set(key, entry)
  }

  markAcked(key: string): void {
    const entry = this.pending.get(key)
    if (entry?.type === 'event') entry.acked = true
    this.pending.delete(key)
  }

  private push(input: RecordInput): RecordEntry {
    const entry = { seq: ++this.seq, ...input } as RecordEntry
    const size = sizeOf(input)
    this.entries.push(entry)
    this.sizes.push(size)
    this.bytes += size
    while (this.entries.length - this.head > this.limit || (this.bytes > this.maxBytes && this.entries.length - this.head > 1)) {
      const old = this.entries[this.head]!
      this.bytes -= this.sizes[this.head]!
      this.head++
      this.droppedCount++
      if (old.type === 'event' && this.pending.size) {
        for (const [key, value] of this.pending) {
          if (value === old) {
            this.pending.delete(key)
            break
          }
        }
      }
    }
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head)
      this.sizes = this.sizes.slice(this.head)
      this.head = 0
    }
    return entry
  }

  /** Entries with `seq > since` (all kept ones without it), oldest first. */
  read(since = 0): RecordSnapshot {
    const live = this.entries.length - this.head
    // seq is dense and increasing: the first kept entry's seq tells where `since` falls.
    const first = live ? this.entries[this.head]!.seq : this.seq + 1
    const from = Math.max(0, Math.min(live, Math.floor(since) - first + 1))
    const entries = this.entries.slice(this.head + from).map((e) => ({ ...e }))
    return { entries, dropped: this.droppedCount, last: this.seq, limit: this.limit }
  }

  clear(): void {
    this.entries = []
    this.sizes = []
    this.head = 0
    this.bytes = 0
    this.droppedCount = 0
    this.pending.clear()
  }
}

/** The IPC messages a cluster worker sends for the record. */
export const RECORD_IPC = 'socketlens:record'
export interface RecordIpcMessage {
  type: typeof RECORD_IPC
  op: 'add' | 'acked'
  key?: string
  entry?: RecordInput
}

/** A cluster worker's sink: every entry goes to the primary, which keeps the one record. */
export class RecordIpcSink implements RecordSink {
  private next = 0

  constructor(private readonly send: (message: RecordIpcMessage) => void) {}

  add(entry: RecordInput): RecordedEvent {
    const key = entry.type === 'event' && entry.ack ? `${process.pid}:${++this.next}` : undefined
    this.send({ type: RECORD_IPC, op: 'add', entry, key })
    if (!key) return NOOP_EVENT
    let done = false
    return {
      acked: () => {
        if (done) return
        done = true
        this.send({ type: RECORD_IPC, op: 'acked', key })
      },
    }
  }
}

export function isRecordIpcMessage(message: unknown): message is RecordIpcMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === RECORD_IPC
}

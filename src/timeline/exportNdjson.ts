import type { ProtocolType, TimelineEvent } from '../protocol/types'
import { kindLabel } from '../protocol/events'
import { jsonText } from '../protocol/codec/jsonText'
import { isBinary, toBase64 } from './payload'
import { detailWithText, explainWithText, type Describe } from './exportWords'
import type { TimelineFilterSpec } from './viewState'
import { copyAscii } from './payloadArena'

/**
 * Export and import of timelines.
 *
 * Our format is NDJSON (one JSON value a line, https://github.com/ndjson/ndjson-spec): a header line
 * `{"format":"socketlens-timeline","version":1,...}`, then one event a line. Binary frame payloads are written as
 * base64 with `"dataEncoding":"base64"`; binary values inside `detail` (Socket.IO arguments) as `{"$binary":"…"}`.
 * Import also reads HAR files (Chrome DevTools' `_webSocketMessages` extension).
 */

export const TIMELINE_FORMAT = 'socketlens-timeline'
export const TIMELINE_FORMAT_VERSION = 1

export interface ExportMeta {
  protocol?: ProtocolType
  sessionName?: string
  endpoint?: string
  /** The filter the events went through, when exporting the filtered view. */
  filter?: TimelineFilterSpec
  /**
   * Events the ring buffer had dropped before the export (`exportSequenceSliced` adds those it dropped before the
   * export reached them).
   */
  dropped?: number
  /** ISO time written in the header. @default new Date().toISOString() */
  exportedAt?: string
  /**
   * Puts a message into English, written beside its key and values (`text`) so the file reads the same anywhere:
   * the UI passes `inEnglish` (exportWords.ts). Not written in the header.
   */
  describe?: Describe
}

/** One event the export could not write in full: it is in the file with `exportError` in place of what failed. */
export interface ExportProblem {
  seq: number
  kind: string
  name?: string
  error: string
}

/**
 * Levels `toJsonValue` converts by recursion before handing the event to the iterative writer (jsonText.ts): well
 * inside the stack of V8's recursive `JSON.stringify`, which writes the converted value.
 */
const FAST_DEPTH = 64

/** Thrown by `toJsonValue` past FAST_DEPTH: the event is then written by the iterative writer. */
class TooDeep extends Error {}

/** What JSON cannot hold as is: binary → {$binary}, bigint → text, ±Infinity/NaN → text, errors → {name, message}. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return value.toString()
  if (value !== null && typeof value === 'object') {
    if (isBinary(value)) return { $binary: toBase64(value) }
    if (value instanceof Error) return { name: value.name, message: value.message }
  }
  return value
}

/** `detail` as plain JSON (see jsonSafe), cycles cut. Recursive, so bounded: past FAST_DEPTH it throws TooDeep. */
function toJsonValue(value: unknown, seen: Set<object>, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number' || typeof value === 'bigint') return jsonSafe(value)
  if (typeof value !== 'object') return undefined // functions, symbols, undefined
  if (isBinary(value) || value instanceof Error) return jsonSafe(value)
  if (seen.has(value)) return '[Circular]'
  if (depth >= FAST_DEPTH) throw new TooDeep()
  seen.add(value)
  let out: unknown
  if (Array.isArray(value)) {
    out = value.map(item => toJsonValue(item, seen, depth + 1) ?? null)
  }
  else {
    const record: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const converted = toJsonValue(item, seen, depth + 1)
      if (converted !== undefined) record[key] = converted
    }
    out = record
  }
  seen.delete(value)
  return out
}

/** Field order of an event line: fixed, so exporting an import gives the same text. */
const FIELD_ORDER = ['seq', 'time', 'layer', 'kind', 'dir', 'transport', 'size', 'name', 'namespace', 'ackId', 'rttMs', 'attempt', 'delayMs', 'code', 'reason', 'explain'] as const

/** The event's own fields and its data (binary as base64), in FIELD_ORDER. */
function baseRecord(event: TimelineEvent): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const key of FIELD_ORDER) {
    if (event[key] !== undefined) record[key] = event[key]
  }
  // An imported kind this version does not know goes back out as it came (same place in the line: `kind` is set).
  if (event.kind === 'unknown-kind') record.kind = event.importedKind
  const data = event.data
  if (typeof data === 'string') {
    record.data = data
  }
  else if (data !== undefined) {
    record.data = toBase64(data)
    record.dataEncoding = 'base64'
  }
  return record
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * One event as one NDJSON line (no newline). Any depth is written: a server's 10,000-level argument goes through
 * the iterative writer. An event that still cannot be written (a getter that throws, a value past the engine's
 * string length) is written without what failed, with `exportError` saying what, and reported to `problems`:
 * one bad event never costs the rest of the export.
 */
export function eventToLine(event: TimelineEvent, problems?: ExportProblem[], describe?: Describe): string {
  let record: Record<string, unknown> | undefined
  try {
    record = baseRecord(event)
    if (describe) explainWithText(record, describe)
    const detail: unknown = event.kind === 'unknown-kind' ? event.importedDetail : event.detail
    if (detail === undefined) return JSON.stringify(record)
    try {
      record.detail = toJsonValue(detail, new Set(), 0)
      if (describe) detailWithText(record, describe)
      return JSON.stringify(record)
    }
    catch (error) {
      if (!(error instanceof TooDeep)) throw error
      record.detail = detail
      if (describe) detailWithText(record, describe)
      return jsonText(record, { replace: jsonSafe }).text
    }
  }
  catch (error) {
    const what = record ? 'its detail' : 'its data'
    const problem: ExportProblem = { seq: event.seq, kind: kindLabel(event), error: `${what} could not be written (${messageOf(error)})` }
    if (event.name !== undefined) problem.name = event.name
    problems?.push(problem)
    const safe = record ?? {}
    if (!record) {
      for (const key of FIELD_ORDER) if (event[key] !== undefined) safe[key] = event[key]
      if (event.kind === 'unknown-kind') safe.kind = event.importedKind
    }
    delete safe.detail
    safe.exportError = problem.error
    return JSON.stringify(safe)
  }
}

export function headerLine(meta: ExportMeta, count: number): string {
  const header: Record<string, unknown> = {
    format: TIMELINE_FORMAT,
    version: TIMELINE_FORMAT_VERSION,
    exportedAt: meta.exportedAt ?? new Date().toISOString(),
    events: count,
  }
  if (meta.protocol) header.protocol = meta.protocol
  if (meta.sessionName) header.sessionName = meta.sessionName
  if (meta.endpoint) header.endpoint = meta.endpoint
  if (meta.dropped) header.dropped = meta.dropped
  if (meta.filter) header.filter = meta.filter
  return JSON.stringify(header)
}

/** The whole export as one string: header line, then one line per event, each ending in `\n`. */
export function exportNdjson(events: Iterable<TimelineEvent> | ArrayLike<TimelineEvent>, meta: ExportMeta = {}): string {
  const list = Array.isArray(events) ? events as TimelineEvent[] : Array.from(events as Iterable<TimelineEvent>)
  return exportNdjsonChunks(list, meta).join('')
}

/**
 * The export as chunks of lines (each ~1 MiB of text), ready for `new Blob(chunks)`: a million events never
 * become one giant string in the page.
 */
export function exportNdjsonChunks(events: readonly TimelineEvent[], meta: ExportMeta = {}, chunkChars = 1 << 20, problems?: ExportProblem[]): string[] {
  const chunks: string[] = []
  let chunk = `${headerLine(meta, events.length)}\n`
  for (const event of events) {
    chunk += `${eventToLine(event, problems, meta.describe)}\n`
    if (chunk.length >= chunkChars) {
      chunks.push(chunk)
      chunk = ''
    }
  }
  if (chunk) chunks.push(chunk)
  return chunks
}

/**
 * `exportNdjsonChunks` spread over time: serializes for at most `sliceMs` at a time, then yields to the event loop,
 * so exporting a million events never freezes the page. `events` should be a snapshot (the live timeline keeps
 * changing meanwhile). `onProgress` gets the share done, 0–1; `onProblem` each event written without what failed.
 */
export async function exportNdjsonSliced(events: readonly TimelineEvent[], meta: ExportMeta = {}, options: { sliceMs?: number, chunkChars?: number, onProgress?: (done: number) => void, onProblem?: (problem: ExportProblem) => void } = {}): Promise<string[]> {
  const { sliceMs = 12, chunkChars = 1 << 20, onProgress, onProblem } = options
  const chunks: string[] = []
  const problems: ExportProblem[] = []
  let chunk = `${headerLine(meta, events.length)}\n`
  let sliceEnd = performance.now() + sliceMs
  for (let i = 0; i < events.length; i++) {
    chunk += `${eventToLine(events[i]!, problems, meta.describe)}\n`
    if (problems.length > 0 && onProblem) for (const problem of problems.splice(0)) onProblem(problem)
    if (chunk.length >= chunkChars) {
      chunks.push(chunk)
      chunk = ''
    }
    if ((i & 255) === 255 && performance.now() > sliceEnd) {
      onProgress?.(i / events.length)
      await new Promise(resolve => setTimeout(resolve, 0))
      sliceEnd = performance.now() + sliceMs
    }
  }
  if (chunk) chunks.push(chunk)
  onProgress?.(1)
  return chunks
}

/**
 * What `exportSequenceSliced` walks: the timeline itself or its filtered view (timeline.ts, filter.ts), both in seq
 * order. Entries may leave at the front (the ring buffer drops its oldest) and come at the back while it walks.
 */
export interface ExportSequence {
  readonly length: number
  get: (index: number) => TimelineEvent | undefined
  seqAt: (index: number) => number | undefined
  lowerBound: (seq: number) => number
}

export interface SequenceExport {
  /**
   * The file, header first, as Blobs of about `chunkBytes` bytes of UTF-8 each, each made as soon as its lines were
   * written, in the slices: `new Blob(parts)` then only joins them. A million events are some 150 MB of text; handed
   * to `new Blob` as strings at the end, their conversion was one task of 5 s of CPU in Chromium, and a
   * `TextEncoder.encode` of each megabyte of lines (joined by `+=`) 40–120 ms (bench/savedTimelines.ts).
   */
  parts: Blob[]
  /** Events written. */
  events: number
  /**
   * Events that were in the sequence at the call but left it (the live ring buffer dropped them, or the timeline was
   * cleared) before the export reached them: not in the file, and counted in its header's `dropped`.
   */
  lost: number
}

/**
 * A live timeline (or its filtered view) exported as `exportNdjsonSliced` exports a list, without copying it into one
 * first: it is walked in slices by seq, each event made (`get`) only when its line is written, and dropped at once.
 * A timeline keeps its plain frames compact and makes a new object for each on `get`, so a copy of a million events
 * was a million new objects in one task, all kept alive (and moved by the garbage collector) for the whole export.
 *
 * The export holds the events of the sequence at the call: those with a seq below the last one's + 1. Events appended
 * later are not in it. An event the ring buffer drops before the walk reaches it cannot be written any more (the
 * list of references did keep those): the walk starts at the oldest, which is also what the ring drops first, and
 * runs faster than a flood fills the ring, so this only happens when a stream outruns the export or the timeline is
 * cleared meanwhile. Such events are counted (`lost`), added to the header's `dropped`, and the header's `events`
 * is the number written: the file never claims what it does not hold.
 */
export async function exportSequenceSliced(sequence: ExportSequence, meta: ExportMeta = {}, options: { sliceMs?: number, chunkBytes?: number, onProgress?: (done: number) => void, onProblem?: (problem: ExportProblem) => void } = {}): Promise<SequenceExport> {
  const { sliceMs = 12, chunkBytes = 1 << 20, onProgress, onProblem } = options
  const out = new Utf8Parts(chunkBytes)
  const problems: ExportProblem[] = []
  const total = sequence.length
  // Seqs below endSeq only: what the sequence held at the call.
  const endSeq = total > 0 ? sequence.seqAt(total - 1)! + 1 : 0
  let index = 0
  let nextSeq: number
  let written = 0
  let lost = 0
  let sliceEnd = performance.now() + sliceMs
  for (let step = 1; index < sequence.length; step++) {
    const seq = sequence.seqAt(index)!
    if (seq >= endSeq) break
    const event = sequence.get(index++)
    nextSeq = seq + 1
    if (event) {
      out.line(eventToLine(event, problems, meta.describe))
      written++
      if (problems.length > 0 && onProblem) for (const problem of problems.splice(0)) onProblem(problem)
    }
    // A filtered view names a seq the timeline has dropped (until the view's next update): gone.
    else lost++
    if ((step & 255) === 0 && performance.now() > sliceEnd) {
      // Events still to write, before anything else runs (a progress listener included).
      const left = sequence.lowerBound(endSeq) - index
      onProgress?.(Math.min(1, (written + lost) / total))
      await new Promise(resolve => setTimeout(resolve, 0))
      // Find the place again by seq: the ring may have dropped its oldest meanwhile, some of them not written yet.
      index = sequence.lowerBound(nextSeq)
      lost += Math.max(0, left - (sequence.lowerBound(endSeq) - index))
      sliceEnd = performance.now() + sliceMs
    }
  }
  const parts = out.finish()
  // The header last (and put first): it counts what was written.
  parts.unshift(new Blob([`${headerLine(lost > 0 ? { ...meta, dropped: (meta.dropped ?? 0) + lost } : meta, written)}\n`]))
  onProgress?.(1)
  return { parts, events: written, lost }
}

const utf8 = new TextEncoder()

/**
 * Lines written as UTF-8 into a buffer of `size` bytes, which becomes a Blob each time it is full: ASCII by a plain
 * loop (a `TextEncoder` call costs microseconds in Chromium, more than copying a short line), any other line by
 * `encodeInto` (a lone surrogate becomes U+FFFD, as `new Blob([text])` writes it). A line longer than the buffer is a
 * Blob of its own.
 */
class Utf8Parts {
  private readonly parts: Blob[] = []
  private readonly bytes: Uint8Array<ArrayBuffer>
  private used = 0

  constructor(size: number) {
    this.bytes = new Uint8Array(Math.max(1024, size))
  }

  /** `text` and a newline. */
  line(text: string): void {
    const units = text.length
    const bytes = this.bytes
    if (this.used + units + 1 > bytes.length) this.flush()
    if (units + 1 > bytes.length) {
      this.parts.push(new Blob([text, '\n']))
      return
    }
    const at = this.used
    if (copyAscii(text, bytes, at)) {
      bytes[at + units] = 10
      this.used = at + units + 1
      return
    }
    // Up to 3 bytes a code unit: room for the worst case, or a Blob of its own.
    if (at + units * 3 + 1 > bytes.length) {
      this.flush()
      if (units * 3 + 1 > bytes.length) {
        this.parts.push(new Blob([text, '\n']))
        return
      }
    }
    const written = utf8.encodeInto(text, bytes.subarray(this.used)).written
    bytes[this.used + written] = 10
    this.used += written + 1
  }

  /** The Blobs, the last one made of what is left. */
  finish(): Blob[] {
    this.flush()
    return this.parts
  }

  private flush(): void {
    if (this.used === 0) return
    // The Blob keeps a copy: the buffer is written again.
    this.parts.push(new Blob([this.bytes.subarray(0, this.used)]))
    this.used = 0
  }
}

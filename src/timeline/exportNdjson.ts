import type { ProtocolType, TimelineEvent } from '../protocol/types'
import { kindLabel } from '../protocol/events'
import { jsonText } from '../protocol/codec/jsonText'
import { isBinary, toBase64 } from './payload'
import { detailWithText, explainWithText, type Describe } from './exportWords'
import type { TimelineFilterSpec } from './viewState'

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
  /** Events the ring buffer had dropped before the export. */
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

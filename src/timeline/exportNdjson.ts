import type { ProtocolType, TimelineEvent } from '../protocol/types'
import { isBinary, toBase64 } from './payload'
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
}

/** `detail` as plain JSON: binary → {$binary}, bigint → string, errors → {name, message}, cycles cut. */
function toJsonValue(value: unknown, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object') return undefined // functions, symbols, undefined
  if (isBinary(value)) return { $binary: toBase64(value) }
  if (seen.has(value)) return '[Circular]'
  seen.add(value)
  let out: unknown
  if (Array.isArray(value)) {
    out = value.map(item => toJsonValue(item, seen) ?? null)
  }
  else if (value instanceof Error) {
    out = { name: value.name, message: value.message }
  }
  else {
    const record: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const converted = toJsonValue(item, seen)
      if (converted !== undefined) record[key] = converted
    }
    out = record
  }
  seen.delete(value)
  return out
}

/** Field order of an event line: fixed, so exporting an import gives the same text. */
const FIELD_ORDER = ['seq', 'time', 'layer', 'kind', 'dir', 'transport', 'size', 'name', 'namespace', 'ackId', 'rttMs', 'attempt', 'delayMs', 'code', 'reason', 'explanation'] as const

/** One event as one NDJSON line (no newline). */
export function eventToLine(event: TimelineEvent): string {
  const { data, detail } = event
  const record: Record<string, unknown> = {}
  for (const key of FIELD_ORDER) {
    if (event[key] !== undefined) record[key] = event[key]
  }
  if (typeof data === 'string') {
    record.data = data
  }
  else if (data !== undefined) {
    record.data = toBase64(data)
    record.dataEncoding = 'base64'
  }
  if (detail !== undefined) record.detail = toJsonValue(detail, new Set())
  return JSON.stringify(record)
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
export function exportNdjsonChunks(events: readonly TimelineEvent[], meta: ExportMeta = {}, chunkChars = 1 << 20): string[] {
  const chunks: string[] = []
  let chunk = `${headerLine(meta, events.length)}\n`
  for (const event of events) {
    chunk += `${eventToLine(event)}\n`
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
 * changing meanwhile). `onProgress` gets the share done, 0–1.
 */
export async function exportNdjsonSliced(events: readonly TimelineEvent[], meta: ExportMeta = {}, options: { sliceMs?: number, chunkChars?: number, onProgress?: (done: number) => void } = {}): Promise<string[]> {
  const { sliceMs = 12, chunkChars = 1 << 20, onProgress } = options
  const chunks: string[] = []
  let chunk = `${headerLine(meta, events.length)}\n`
  let sliceEnd = performance.now() + sliceMs
  for (let i = 0; i < events.length; i++) {
    chunk += `${eventToLine(events[i]!)}\n`
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

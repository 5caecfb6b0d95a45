import type { Direction, Layer, ProtocolType, TimelineEvent, TransportName } from '../protocol/types'
import { utf8Length } from '../protocol/types'
import { fromBase64, isBinary, toBase64 } from './payload'
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

export interface ImportMeta {
  format: 'socketlens' | 'har'
  protocol: ProtocolType
  sessionName?: string
  endpoint?: string
  exportedAt?: string
  fileName?: string
  /** Events in the file. */
  count: number
}

export type ImportResult =
  | { ok: true, events: TimelineEvent[], meta: ImportMeta, warnings?: string[] }
  | { ok: false, error: string }

const LAYERS = new Set<Layer>(['lifecycle', 'wire', 'engine', 'socketio', 'app'])
const DIRECTIONS = new Set<Direction>(['in', 'out', 'local'])
const TRANSPORTS = new Set<TransportName>(['websocket', 'polling', 'webtransport'])
const NUMBER_FIELDS = ['size', 'ackId', 'rttMs', 'attempt', 'delayMs', 'code'] as const
const STRING_FIELDS = ['name', 'namespace', 'reason', 'explanation'] as const

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

function fromJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonValue)
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
    if (keys.length === 1 && keys[0] === '$binary' && typeof record.$binary === 'string') return fromBase64(record.$binary)
    const out: Record<string, unknown> = {}
    for (const key of keys) out[key] = fromJsonValue(record[key])
    return out
  }
  return value
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

class ImportError extends Error {}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (value === undefined) return 'nothing'
  const json = JSON.stringify(value)
  return json.length > 40 ? `${json.slice(0, 40)}…` : json
}

/** 1-based line number of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

/** The line a JSON.parse error points at (V8 says "at position N" or "(line L column C)"). */
function jsonErrorLine(text: string, error: unknown): number | undefined {
  const message = (error as Error).message
  const explicit = /line (\d+) column \d+/.exec(message)
  if (explicit) return Number(explicit[1])
  const position = /position (\d+)/.exec(message)
  return position ? lineAt(text, Number(position[1])) : undefined
}

function parseEventLine(line: string, lineNo: number, previousSeq: number): TimelineEvent {
  let value: unknown
  try {
    value = JSON.parse(line)
  }
  catch (error) {
    throw new ImportError(`Line ${lineNo} is not valid JSON (${(error as Error).message}). The file may be truncated or edited by hand.`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ImportError(`Line ${lineNo} is not an event: expected a JSON object, found ${describe(value)}.`)
  const raw = value as Record<string, unknown>
  const at = `Line ${lineNo}`
  if (typeof raw.seq !== 'number' || !Number.isSafeInteger(raw.seq) || raw.seq < 1)
    throw new ImportError(`${at}: "seq" must be a positive whole number, found ${describe(raw.seq)}.`)
  if (raw.seq <= previousSeq)
    throw new ImportError(`${at}: "seq" ${raw.seq} is not greater than the previous event's ${previousSeq}; events must be in order.`)
  if (typeof raw.time !== 'number' || !Number.isFinite(raw.time))
    throw new ImportError(`${at}: "time" must be a number (epoch milliseconds), found ${describe(raw.time)}.`)
  if (!LAYERS.has(raw.layer as Layer))
    throw new ImportError(`${at}: "layer" must be one of ${[...LAYERS].join(', ')}, found ${describe(raw.layer)}.`)
  if (!DIRECTIONS.has(raw.dir as Direction))
    throw new ImportError(`${at}: "dir" must be one of in, out, local, found ${describe(raw.dir)}.`)
  if (typeof raw.kind !== 'string' || raw.kind === '')
    throw new ImportError(`${at}: "kind" must be a non-empty string, found ${describe(raw.kind)}.`)
  const event: TimelineEvent = { seq: raw.seq, time: raw.time, layer: raw.layer as Layer, kind: raw.kind, dir: raw.dir as Direction }
  if (raw.transport !== undefined) {
    if (!TRANSPORTS.has(raw.transport as TransportName))
      throw new ImportError(`${at}: "transport" must be websocket, polling or webtransport, found ${describe(raw.transport)}.`)
    event.transport = raw.transport as TransportName
  }
  for (const field of NUMBER_FIELDS) {
    const item = raw[field]
    if (item === undefined) continue
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ImportError(`${at}: "${field}" must be a number, found ${describe(item)}.`)
    event[field] = item
  }
  for (const field of STRING_FIELDS) {
    const item = raw[field]
    if (item === undefined) continue
    if (typeof item !== 'string') throw new ImportError(`${at}: "${field}" must be a string, found ${describe(item)}.`)
    event[field] = item
  }
  if (raw.data !== undefined) {
    if (typeof raw.data !== 'string') throw new ImportError(`${at}: "data" must be a string, found ${describe(raw.data)}.`)
    if (raw.dataEncoding === 'base64') {
      try {
        event.data = fromBase64(raw.data)
      }
      catch {
        throw new ImportError(`${at}: "data" is marked base64 but is not valid base64.`)
      }
    }
    else if (raw.dataEncoding === undefined) {
      event.data = raw.data
    }
    else {
      throw new ImportError(`${at}: "dataEncoding" must be "base64" or absent, found ${describe(raw.dataEncoding)}.`)
    }
  }
  if (raw.detail !== undefined) {
    if (raw.detail === null || typeof raw.detail !== 'object' || Array.isArray(raw.detail))
      throw new ImportError(`${at}: "detail" must be an object, found ${describe(raw.detail)}.`)
    try {
      event.detail = fromJsonValue(raw.detail) as Record<string, unknown>
    }
    catch {
      throw new ImportError(`${at}: "detail" holds a {"$binary": …} value that is not valid base64.`)
    }
  }
  return event
}

function importNdjson(lines: string[], header: Record<string, unknown>, fileName: string | undefined): ImportResult {
  if (header.version !== TIMELINE_FORMAT_VERSION) {
    if (typeof header.version === 'number' && header.version > TIMELINE_FORMAT_VERSION)
      throw new ImportError(`Line 1: this timeline was written by a newer SocketLens (format version ${header.version}); this version reads version ${TIMELINE_FORMAT_VERSION}. Update SocketLens to open it.`)
    throw new ImportError(`Line 1: "version" must be ${TIMELINE_FORMAT_VERSION}, found ${describe(header.version)}.`)
  }
  const events: TimelineEvent[] = []
  let previousSeq = 0
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const event = parseEventLine(line, i + 1, previousSeq)
    previousSeq = event.seq
    events.push(event)
  }
  const warnings: string[] = []
  if (typeof header.events === 'number' && header.events !== events.length)
    warnings.push(`The header announces ${header.events} events but the file holds ${events.length}: it may be truncated.`)
  const protocol: ProtocolType = header.protocol === 'socketio' ? 'socketio' : 'ws'
  const meta: ImportMeta = { format: 'socketlens', protocol, count: events.length }
  if (typeof header.sessionName === 'string') meta.sessionName = header.sessionName
  if (typeof header.endpoint === 'string') meta.endpoint = header.endpoint
  if (typeof header.exportedAt === 'string') meta.exportedAt = header.exportedAt
  if (fileName) meta.fileName = fileName
  return warnings.length > 0 ? { ok: true, events, meta, warnings } : { ok: true, events, meta }
}

interface HarMessage { type?: unknown, time?: unknown, opcode?: unknown, data?: unknown }
interface HarEntry { _webSocketMessages?: unknown, request?: { url?: unknown }, startedDateTime?: unknown, response?: { status?: unknown } }

/** Line of the n-th (0-based) `"_webSocketMessages"` key in the text: HAR entries appear in array order. */
function messagesKeyLine(text: string, n: number): number | undefined {
  let index = -1
  for (let i = 0; i <= n; i++) {
    index = text.indexOf('"_webSocketMessages"', index + 1)
    if (index === -1) return undefined
  }
  return lineAt(text, index)
}

function importHar(text: string, fileName: string | undefined): ImportResult {
  let har: unknown
  try {
    har = JSON.parse(text)
  }
  catch (error) {
    const line = jsonErrorLine(text, error)
    throw new ImportError(`${line ? `Line ${line}` : 'The file'}: the HAR file is not valid JSON (${(error as Error).message}).`)
  }
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries
  if (!Array.isArray(entries)) throw new ImportError('Line 1: this JSON file is not a HAR file (it has no "log.entries" list).')
  const events: TimelineEvent[] = []
  const warnings: string[] = []
  let socketIo = false
  let endpoint: string | undefined
  let withMessages = 0
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e] as HarEntry
    if (entry === null || typeof entry !== 'object' || entry._webSocketMessages === undefined) continue
    const messages = entry._webSocketMessages
    const keyLine = messagesKeyLine(text, withMessages)
    withMessages++
    const where = `HAR entry ${e + 1}${keyLine ? ` (line ${keyLine})` : ''}`
    if (!Array.isArray(messages)) throw new ImportError(`${where}: "_webSocketMessages" must be a list.`)
    const url = typeof entry.request?.url === 'string' ? entry.request.url : undefined
    if (url) {
      endpoint ??= url
      if (/[?&]EIO=\d/.test(url)) socketIo = true
    }
    const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN
    const firstTime = (messages[0] as HarMessage | undefined)?.time
    const openTime = Number.isFinite(started) ? started : typeof firstTime === 'number' ? firstTime * 1000 : 0
    const open: TimelineEvent = { seq: 0, time: openTime, layer: 'lifecycle', kind: 'open', dir: 'local', transport: 'websocket' }
    if (url) open.detail = { url, ...(typeof entry.response?.status === 'number' ? { status: entry.response.status } : {}) }
    events.push(open)
    for (let m = 0; m < messages.length; m++) {
      const message = messages[m] as HarMessage
      const at = `${where}, WebSocket message ${m + 1}`
      if (message === null || typeof message !== 'object') throw new ImportError(`${at} is not an object.`)
      if (message.type !== 'send' && message.type !== 'receive')
        throw new ImportError(`${at}: "type" must be "send" or "receive", found ${describe(message.type)}.`)
      if (typeof message.time !== 'number' || !Number.isFinite(message.time))
        throw new ImportError(`${at}: "time" must be a number (seconds since the epoch), found ${describe(message.time)}.`)
      if (typeof message.data !== 'string') throw new ImportError(`${at}: "data" must be a string, found ${describe(message.data)}.`)
      // Opcodes from RFC 6455 §5.2: 1 text, 2 binary. Chrome records only data frames; skip anything else.
      if (message.opcode !== 1 && message.opcode !== 2) {
        warnings.push(`${at} has opcode ${describe(message.opcode)} (not text 1 or binary 2) and was skipped.`)
        continue
      }
      const event: TimelineEvent = {
        seq: 0,
        time: message.time * 1000,
        layer: 'wire',
        kind: 'frame',
        dir: message.type === 'send' ? 'out' : 'in',
        transport: 'websocket',
      }
      if (message.opcode === 2) {
        try {
          event.data = fromBase64(message.data)
        }
        catch {
          throw new ImportError(`${at}: binary "data" is not valid base64.`)
        }
        event.size = event.data.byteLength
      }
      else {
        event.data = message.data
        event.size = utf8Length(message.data)
      }
      events.push(event)
    }
  }
  if (withMessages === 0) {
    throw new ImportError(`This HAR file holds no WebSocket messages: none of its ${entries.length} entries has "_webSocketMessages". `
      + 'In Chrome, open DevTools\' Network panel before connecting, then use "Save all as HAR (with content)".')
  }
  // Several connections interleave in time; a stable sort keeps each one's own order.
  events.sort((a, b) => a.time - b.time)
  events.forEach((event, i) => { event.seq = i + 1 })
  const meta: ImportMeta = { format: 'har', protocol: socketIo ? 'socketio' : 'ws', count: events.length }
  if (endpoint) meta.endpoint = endpoint
  if (fileName) meta.fileName = fileName
  meta.sessionName = fileName ?? (endpoint ? hostOf(endpoint) : 'HAR import')
  return warnings.length > 0 ? { ok: true, events, meta, warnings } : { ok: true, events, meta }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  }
  catch {
    return url
  }
}

/**
 * Read a file a person chose: our NDJSON export or a HAR file. Never throws: a corrupt or foreign file gives
 * `{ ok: false, error }` with a sentence that names the line, and nothing else is touched.
 */
export function importTimeline(text: string, fileName?: string): ImportResult {
  try {
    const content = text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text
    if (content.trim() === '') throw new ImportError('The file is empty.')
    const lines = content.split(/\r?\n/)
    const firstLine = lines[0]!.trim()
    let header: unknown
    try {
      header = JSON.parse(firstLine)
    }
    catch {
      header = undefined
    }
    if (header !== null && typeof header === 'object' && !Array.isArray(header)) {
      const record = header as Record<string, unknown>
      if (record.format === TIMELINE_FORMAT) return importNdjson(lines, record, fileName)
      if ('log' in record) return importHar(content, fileName)
      if (record.format !== undefined)
        throw new ImportError(`Line 1: this is a ${describe(record.format)} file, not a SocketLens timeline.`)
    }
    if (content.trimStart().startsWith('{') && (fileName?.toLowerCase().endsWith('.har') || /"log"\s*:/.test(content.slice(0, 4096))))
      return importHar(content, fileName)
    throw new ImportError('Line 1 is not a SocketLens timeline header. SocketLens opens the NDJSON files it exports '
      + '(first line {"format":"socketlens-timeline","version":1,…}) and HAR files saved from the browser\'s Network panel.')
  }
  catch (error) {
    if (error instanceof ImportError) return { ok: false, error: error.message }
    return { ok: false, error: `The file could not be read: ${(error as Error).message}` }
  }
}

import type { Direction, Layer, ProtocolType, TimelineEvent, TransportName } from '../protocol/types'
import { isKnownKind, type EventBase, type EventOf, type KindOf } from '../protocol/events'
import { isMessageRef, message, type MessageRef } from '../protocol/message'
import { TIMELINE_FORMAT, TIMELINE_FORMAT_VERSION } from './exportNdjson'
import { importedExplanation } from './exportWords'
import type { ImportMeta, ImportProgress, ImportResult, SliceOptions } from './importCommon'
import { describe, ImportError, lineRef, runInSlices } from './importCommon'
import { HAR_KEY, HAR_LISTS, harNotJson, importHarInSlices, readHar } from './importHar'
import { parseJsonOffThread } from './jsonParse'
import { fromBase64 } from './payload'

/** Import of our own NDJSON export (see exportNdjson.ts), and the entry point that tells it from a HAR file. */

const LAYERS = new Set<Layer>(['lifecycle', 'wire', 'engine', 'socketio', 'app'])
const DIRECTIONS = new Set<Direction>(['in', 'out', 'local'])
const TRANSPORTS = new Set<TransportName>(['websocket', 'polling', 'webtransport'])
const NUMBER_FIELDS = ['size', 'ackId', 'rttMs', 'attempt', 'delayMs', 'code'] as const
const STRING_FIELDS = ['name', 'namespace', 'reason'] as const

/** The inverse of the export's toJsonValue for `detail`: `{"$binary": base64}` back to an ArrayBuffer. */
function fromJsonValue(value: unknown): unknown {
  const binaryOf = (item: unknown): ArrayBuffer | undefined => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined
    const record = item as Record<string, unknown>
    const keys = Object.keys(record)
    return keys.length === 1 && keys[0] === '$binary' && typeof record.$binary === 'string' ? fromBase64(record.$binary) : undefined
  }
  const top = binaryOf(value)
  if (top) return top
  // In place and without recursion: the value is JSON.parse's own, and an exported argument can nest 10,000 levels.
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    const record = node as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const binary = binaryOf(record[key])
      if (binary) record[key] = binary
      else stack.push(record[key])
    }
  }
  return value
}

/**
 * An event line as read, before it is known to be a variant of the union: every field checked for its type, the
 * kind not yet. The one loose event type, for reading files only.
 */
type LooseEvent = Omit<EventBase, 'kind'> & { kind: string, detail?: Record<string, unknown> }

/**
 * Fields a variant cannot go without, besides seq, time, layer, kind and dir (the file is checked against them, so
 * an event a driver could not have written is kept as `unknown-kind` rather than shown as what it is not).
 */
type RequiredField<E> = Exclude<{ [K in keyof E]-?: undefined extends E[K] ? never : K }[keyof E], 'seq' | 'time' | 'layer' | 'kind' | 'dir'>
const REQUIRED: { readonly [L in Layer]: { readonly [K in KindOf<L>]: readonly RequiredField<EventOf<L, K>>[] } } = {
  lifecycle: {
    connecting: [], open: [], reconnect: ['attempt'], error: [], connect_timeout: ['detail'], close: ['code', 'reason'],
    reconnect_attempt: ['attempt'], reconnect_failed: ['attempt'], reconnect_cancelled: ['attempt'],
    reconnect_skipped: ['code', 'detail'], reconnect_error: ['attempt', 'reason'], stable: ['attempt', 'detail'],
    warning: ['reason'], connect: ['namespace', 'detail'], connect_error: ['reason', 'detail'],
    disconnect: ['namespace', 'reason', 'detail'], auto: ['reason', 'detail'], diagnosis: ['reason', 'detail'],
  },
  wire: { frame: ['transport', 'size', 'data'] },
  engine: {
    handshake: ['detail'], open: [], ping: ['detail'], pong: [], upgrading: [], upgrade: [],
    upgradeError: ['reason', 'detail'], transport_error: ['reason', 'detail'], close: ['reason'],
  },
  socketio: { packet: ['name', 'namespace'] },
  app: {
    event: ['name', 'namespace', 'detail'], emit: ['name', 'namespace', 'detail'], buffered: ['name', 'namespace', 'reason'],
    flushed: ['name', 'namespace', 'detail'], dropped: ['name', 'namespace', 'reason'], ack: ['name', 'namespace', 'rttMs', 'detail'],
    ack_timeout: ['name', 'namespace', 'detail'], ack_error: ['name', 'namespace', 'reason'], ack_reply: ['name', 'namespace', 'detail'],
  },
}

/**
 * A checked line as a variant of the union: a known layer, kind and direction with the fields that variant needs
 * (its detail is trusted to be what that kind writes: it is read, never run). Anything else is kept whole as an
 * `unknown-kind` event, shown by its own kind and exported back as it came: nothing in the file is lost.
 */
export function toTimelineEvent(loose: LooseEvent): TimelineEvent {
  const required = (REQUIRED[loose.layer] as Readonly<Record<string, readonly string[]>>)[loose.kind]
  if (isKnownKind(loose.layer, loose.kind, loose.dir) && required && required.every(field => loose[field as keyof LooseEvent] !== undefined))
    return loose as TimelineEvent
  const { kind, detail, ...rest } = loose
  return detail === undefined
    ? { ...rest, kind: 'unknown-kind', importedKind: kind }
    : { ...rest, kind: 'unknown-kind', importedKind: kind, importedDetail: detail }
}

function parseEventLine(line: string, lineNo: number, previousSeq: number): TimelineEvent {
  let value: unknown
  try {
    value = JSON.parse(line)
  }
  catch (error) {
    throw new ImportError(message('timeline.import.notJson', { line: lineNo, error: (error as Error).message }))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ImportError(message('timeline.import.notObject', { line: lineNo, found: describe(value) }))
  const raw = value as Record<string, unknown>
  const at = lineRef(lineNo)
  if (typeof raw.seq !== 'number' || !Number.isSafeInteger(raw.seq) || raw.seq < 1)
    throw new ImportError(message('timeline.import.seqNotPositive', { at, found: describe(raw.seq) }))
  if (raw.seq <= previousSeq)
    throw new ImportError(message('timeline.import.seqOutOfOrder', { at, seq: raw.seq, previous: previousSeq }))
  if (typeof raw.time !== 'number' || !Number.isFinite(raw.time))
    throw new ImportError(message('timeline.import.timeNotNumber', { at, found: describe(raw.time) }))
  if (!LAYERS.has(raw.layer as Layer))
    throw new ImportError(message('timeline.import.badLayer', { at, layers: [...LAYERS].join(', '), found: describe(raw.layer) }))
  if (!DIRECTIONS.has(raw.dir as Direction))
    throw new ImportError(message('timeline.import.badDir', { at, found: describe(raw.dir) }))
  if (typeof raw.kind !== 'string' || raw.kind === '')
    throw new ImportError(message('timeline.import.badKind', { at, found: describe(raw.kind) }))
  const event: LooseEvent = { seq: raw.seq, time: raw.time, layer: raw.layer as Layer, kind: raw.kind, dir: raw.dir as Direction }
  if (raw.transport !== undefined) {
    if (!TRANSPORTS.has(raw.transport as TransportName))
      throw new ImportError(message('timeline.import.badTransport', { at, found: describe(raw.transport) }))
    event.transport = raw.transport as TransportName
  }
  for (const field of NUMBER_FIELDS) {
    const item = raw[field]
    if (item === undefined) continue
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ImportError(message('timeline.import.notNumber', { at, field, found: describe(item) }))
    event[field] = item
  }
  for (const field of STRING_FIELDS) {
    const item = raw[field]
    if (item === undefined) continue
    if (typeof item !== 'string') throw new ImportError(message('timeline.import.notString', { at, field, found: describe(item) }))
    event[field] = item
  }
  if (raw.explain !== undefined) {
    if (!isMessageRef(raw.explain))
      throw new ImportError(message('timeline.import.badExplain', { at, found: describe(raw.explain) }))
    event.explain = raw.explain
  }
  // An older export's English sentence: shown as the file's words (exportWords.ts).
  if (raw.explanation !== undefined) {
    if (typeof raw.explanation !== 'string') throw new ImportError(message('timeline.import.notString', { at, field: 'explanation', found: describe(raw.explanation) }))
    event.explain ??= importedExplanation(raw.explanation)
  }
  if (raw.data !== undefined) {
    if (typeof raw.data !== 'string') throw new ImportError(message('timeline.import.notString', { at, field: 'data', found: describe(raw.data) }))
    if (raw.dataEncoding === 'base64') {
      try {
        event.data = fromBase64(raw.data)
      }
      catch {
        throw new ImportError(message('timeline.import.dataNotBase64', { at }))
      }
    }
    else if (raw.dataEncoding === undefined) {
      event.data = raw.data
    }
    else {
      throw new ImportError(message('timeline.import.badDataEncoding', { at, found: describe(raw.dataEncoding) }))
    }
  }
  if (raw.detail !== undefined) {
    if (raw.detail === null || typeof raw.detail !== 'object' || Array.isArray(raw.detail))
      throw new ImportError(message('timeline.import.detailNotObject', { at, found: describe(raw.detail) }))
    try {
      event.detail = fromJsonValue(raw.detail) as Record<string, unknown>
    }
    catch {
      throw new ImportError(message('timeline.import.detailBadBinary', { at }))
    }
  }
  return toTimelineEvent(event)
}

function* importNdjson(lines: string[], header: Record<string, unknown>, fileName: string | undefined): Generator<ImportProgress | undefined, ImportResult> {
  if (header.version !== TIMELINE_FORMAT_VERSION) {
    if (typeof header.version === 'number' && header.version > TIMELINE_FORMAT_VERSION)
      throw new ImportError(message('timeline.import.newerVersion', { found: header.version, expected: TIMELINE_FORMAT_VERSION }))
    throw new ImportError(message('timeline.import.badVersion', { expected: TIMELINE_FORMAT_VERSION, found: describe(header.version) }))
  }
  const events: TimelineEvent[] = []
  let previousSeq = 0
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const event = parseEventLine(line, i + 1, previousSeq)
    previousSeq = event.seq
    events.push(event)
    if ((i & 4095) === 4095) yield { phase: 'reading', done: i, total: lines.length }
  }
  const warnings: MessageRef[] = []
  if (typeof header.events === 'number' && header.events !== events.length)
    warnings.push(message('timeline.import.truncated', { announced: header.events, held: events.length }))
  const protocol: ProtocolType = header.protocol === 'socketio' ? 'socketio' : 'ws'
  const meta: ImportMeta = { format: 'socketlens', protocol, count: events.length }
  if (typeof header.sessionName === 'string') meta.sessionName = header.sessionName
  if (typeof header.endpoint === 'string') meta.endpoint = header.endpoint
  if (typeof header.exportedAt === 'string') meta.exportedAt = header.exportedAt
  if (fileName) meta.fileName = fileName
  return warnings.length > 0 ? { ok: true, events, meta, warnings } : { ok: true, events, meta }
}

/** A header line is short: a first line longer than this is a one-line (minified) JSON file, not our format. */
const MAX_HEADER_LENGTH = 65_536

/** Which format the text is: our NDJSON (with its parsed header), HAR, or neither (throws ImportError). */
function formatOf(content: string, fileName: string | undefined): { format: 'ndjson', header: Record<string, unknown> } | { format: 'har' } {
  if (content.trim() === '') throw new ImportError(message('timeline.import.empty'))
  const end = content.indexOf('\n')
  const firstLine = (end === -1 ? content : content.slice(0, end)).trim()
  let header: unknown
  try {
    header = firstLine.length <= MAX_HEADER_LENGTH ? JSON.parse(firstLine) : undefined
  }
  catch {
    header = undefined
  }
  if (header !== null && typeof header === 'object' && !Array.isArray(header)) {
    const record = header as Record<string, unknown>
    if (record.format === TIMELINE_FORMAT) return { format: 'ndjson', header: record }
    if ('log' in record) return { format: 'har' }
    if (record.format !== undefined)
      throw new ImportError(message('timeline.import.otherFormat', { found: describe(record.format) }))
  }
  if (content.trimStart().startsWith('{') && (fileName?.toLowerCase().endsWith('.har') || /"log"\s*:/.test(content.slice(0, 4096))))
    return { format: 'har' }
  throw new ImportError(message('timeline.import.notTimeline'))
}

/** Enough of a file to tell its format: a header line is shorter (MAX_HEADER_LENGTH). */
const HEAD_BYTES = 65_536

const withoutBom = (text: string): string => text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text

/** The reader for the file's format, as resumable work; throws ImportError for neither format. */
function* readFile(text: string, fileName: string | undefined): Generator<ImportProgress | undefined, ImportResult> {
  const content = withoutBom(text)
  const kind = formatOf(content, fileName)
  if (kind.format === 'ndjson') return yield* importNdjson(content.split(/\r?\n/), kind.header, fileName)
  return yield* importHarInSlices(content, fileName)
}

function failure(error: unknown): ImportResult {
  if (error instanceof ImportError) return { ok: false, error: error.ref }
  return { ok: false, error: message('timeline.import.unreadable', { reason: String((error as Error)?.message ?? error) }) }
}

/**
 * Read a file a person chose: our NDJSON export or a HAR file. Never throws: a corrupt or foreign file gives
 * `{ ok: false, error }` with a message that names the line, and nothing else is touched.
 */
export function importTimeline(text: string, fileName?: string): ImportResult {
  try {
    const work = readFile(text, fileName)
    for (;;) {
      const step = work.next()
      if (step.done) return step.value
    }
  }
  catch (error) {
    return failure(error)
  }
}

/**
 * `importTimeline` in time slices, for the page: big files keep it responsive (a HAR file given as a File is
 * parsed off the main thread), `onProgress` hears how far it is, and `signal` cancels it (the promise then rejects
 * with the signal's AbortError; nothing was opened).
 */
export async function importTimelineInSlices(source: string | Blob, fileName?: string, options: SliceOptions & { onProgress?: (progress: ImportProgress) => void } = {}): Promise<ImportResult> {
  try {
    if (typeof source !== 'string') {
      // The format shows in the file's start; a HAR file's text is then read by the worker alone.
      const head = withoutBom(await source.slice(0, HEAD_BYTES).text())
      if (formatOf(head, fileName).format === 'har') {
        const parsed = await parseJsonOffThread(source, HAR_LISTS, { ...options, linesOf: HAR_KEY })
        if (!parsed.ok) throw harNotJson(parsed.line, parsed.message)
        const lines = parsed.lines ?? []
        return await runInSlices(readHar(parsed.value, n => lines[n], fileName), options)
      }
    }
    return await runInSlices(readFile(typeof source === 'string' ? source : await source.text(), fileName), options)
  }
  catch (error) {
    if (options.signal?.aborted) throw error
    return failure(error)
  }
}

import { message, type MessageRef } from '../protocol/message'
import type { TimelineEvent } from '../protocol/types'
import { utf8Length } from '../protocol/types'
import type { ImportMeta, ImportProgress, ImportResult } from './importCommon'
import { describe, ImportError, jsonErrorLine, lineRef, sortInSlices } from './importCommon'
import { fromBase64 } from './payload'

/*
 * HAR import: Chrome DevTools saves a WebSocket connection's frames in the entry's `_webSocketMessages`
 * ({type: 'send'|'receive', time: epoch seconds, opcode: 1 text | 2 binary (base64 data), data}).
 */

interface HarMessage { type?: unknown, time?: unknown, opcode?: unknown, data?: unknown }
interface HarEntry { _webSocketMessages?: unknown, request?: { url?: unknown }, startedDateTime?: unknown, response?: { status?: unknown } }

/**
 * Line of the n-th (0-based) `"_webSocketMessages"` key in the text (HAR entries appear in array order). Asked
 * for in increasing n, it goes on from the previous key, so a file is scanned once in all, not once per entry;
 * and only when a message names a line.
 */
export function keyLines(text: string): (n: number) => number | undefined {
  let index = -1
  let found = -1
  let line = 1
  return (n) => {
    while (found < n) {
      const next = text.indexOf('"_webSocketMessages"', index + 1)
      if (next === -1) return undefined
      for (let nl = text.indexOf('\n', index + 1); nl !== -1 && nl < next; nl = text.indexOf('\n', nl + 1)) line++
      index = next
      found++
    }
    return found === n ? line : undefined
  }
}

/**
 * Read a HAR file's WebSocket messages, as resumable work (see runInSlices): it yields its progress every few
 * hundred messages. Throws ImportError with a message naming the entry and line.
 */
export function* importHarInSlices(text: string, fileName: string | undefined): Generator<ImportProgress | undefined, ImportResult> {
  let har: unknown
  try {
    har = JSON.parse(text)
  }
  catch (error) {
    throw harNotJson(jsonErrorLine(text, error), (error as Error).message)
  }
  return yield* readHar(har, keyLines(text), fileName)
}

/** Where the big list of a HAR file is, and the key whose lines messages name, for parseJsonOffThread. */
export const HAR_LISTS = [['log', 'entries']]
export const HAR_KEY = '"_webSocketMessages"'

/** The message for a HAR file JSON.parse refused, with the line it points at. */
export function harNotJson(line: number | undefined, parserSaid: string): ImportError {
  return new ImportError(message('timeline.import.harNotJson', { at: line ? lineRef(line) : message('timeline.import.theFile'), error: parserSaid }))
}

/**
 * The WebSocket messages of a parsed HAR file. `keyLine(n)` is the line of the n-th `"_webSocketMessages"` key,
 * for the messages that name one (from keyLines, or counted by the worker that parsed the file).
 */
export function* readHar(har: unknown, keyLine: (n: number) => number | undefined, fileName: string | undefined): Generator<ImportProgress | undefined, ImportResult> {
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries
  if (!Array.isArray(entries)) throw new ImportError(message('timeline.import.harNoEntries'))
  const events: TimelineEvent[] = []
  const warnings: MessageRef[] = []
  let socketIo = false
  let endpoint: string | undefined
  let withMessages = 0
  for (let e = 0; e < entries.length; e++) {
    if ((e & 255) === 255) yield { phase: 'reading', done: e, total: entries.length }
    const entry = entries[e] as HarEntry
    if (entry === null || typeof entry !== 'object' || entry._webSocketMessages === undefined) continue
    const messages = entry._webSocketMessages
    const n = withMessages++
    const where = (): MessageRef => {
      const line = keyLine(n)
      return line ? message('timeline.import.harEntryLine', { entry: e + 1, line }) : message('timeline.import.harEntry', { entry: e + 1 })
    }
    if (!Array.isArray(messages)) throw new ImportError(message('timeline.import.harMessagesNotList', { at: where() }))
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
      const item = messages[m] as HarMessage
      const at = (): MessageRef => message('timeline.import.harMessage', { entry: where(), n: m + 1 })
      if (item === null || typeof item !== 'object') throw new ImportError(message('timeline.import.harMessageNotObject', { at: at() }))
      if (item.type !== 'send' && item.type !== 'receive')
        throw new ImportError(message('timeline.import.harBadType', { at: at(), found: describe(item.type) }))
      if (typeof item.time !== 'number' || !Number.isFinite(item.time))
        throw new ImportError(message('timeline.import.harTimeNotNumber', { at: at(), found: describe(item.time) }))
      if (typeof item.data !== 'string') throw new ImportError(message('timeline.import.notString', { at: at(), field: 'data', found: describe(item.data) }))
      // Opcodes from RFC 6455 §5.2: 1 text, 2 binary. Chrome records only data frames; skip anything else.
      if (item.opcode !== 1 && item.opcode !== 2) {
        warnings.push(message('timeline.import.harSkippedOpcode', { at: at(), found: describe(item.opcode) }))
        continue
      }
      let data: string | ArrayBuffer
      if (item.opcode === 2) {
        try {
          data = fromBase64(item.data)
        }
        catch {
          throw new ImportError(message('timeline.import.harBinaryNotBase64', { at: at() }))
        }
      }
      else {
        data = item.data
      }
      const size = typeof data === 'string' ? utf8Length(data) : data.byteLength
      events.push({ seq: 0, time: item.time * 1000, layer: 'wire', kind: 'frame', dir: item.type === 'send' ? 'out' : 'in', transport: 'websocket', size, data })
      if ((m & 1023) === 1023) yield
    }
  }
  if (withMessages === 0) {
throw new ImportError(message('timeline.import.harNoMessages', { entries: entries.length }))
  }
  // Several connections interleave in time; a stable sort keeps each one's own order.
  yield { phase: 'sorting', done: 0, total: events.length }
  const sorted = yield* sortInSlices(events, (a, b) => a.time - b.time)
  for (let i = 0; i < sorted.length; i++) sorted[i]!.seq = i + 1
  const meta: ImportMeta = { format: 'har', protocol: socketIo ? 'socketio' : 'ws', count: events.length }
  if (endpoint) meta.endpoint = endpoint
  if (fileName) meta.fileName = fileName
  meta.sessionName = fileName ?? (endpoint ? hostOf(endpoint) : 'HAR import')
  return warnings.length > 0 ? { ok: true, events: sorted, meta, warnings } : { ok: true, events: sorted, meta }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  }
  catch {
    return url
  }
}

import { describe, expect, it } from 'vitest'
import { exportNdjson, importTimeline, importTimelineInSlices, type ImportProgress, type ImportResult } from '../../src/timeline/importExport'
import { event } from '../support/events'
import { importErrorWords, importWarningWords } from '../support/importWords'

const HEADER = '{"format":"socketlens-timeline","version":1,"exportedAt":"T","events":2,"protocol":"ws"}'
const E1 = '{"seq":1,"time":1000,"layer":"wire","kind":"frame","dir":"in","data":"a"}'
const E2 = '{"seq":2,"time":1001,"layer":"wire","kind":"frame","dir":"out","data":"AAE=","dataEncoding":"base64"}'

/** The failed import's error, in English. */
const error = (result: ImportResult): string => importErrorWords(result)
/** Replace line 2 (the first event) of a valid file. */
const withEvent = (line: string) => [HEADER, line, E2].join('\n')

describe('importTimeline: our NDJSON', () => {
  it('reads a valid file, CRLF line ends, a BOM and trailing blank lines', () => {
    const result = importTimeline(`\uFEFF${[HEADER, E1, E2].join('\r\n')}\r\n\r\n`, 'log.ndjson')
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.events.map(e => e.seq)).toEqual([1, 2])
    expect(new Uint8Array(result.events[1]!.data as ArrayBuffer)).toEqual(new Uint8Array([0, 1]))
    expect(result.meta.protocol).toBe('ws')
  })

  it('warns when the header announces more events than the file holds (truncated)', () => {
    const result = importTimeline([HEADER, E1].join('\n'))
    expect(importWarningWords(result)).toEqual(['The header announces 2 events but the file holds 1: it may be truncated.'])
  })

  it('rejects an empty file', () => {
    expect(error(importTimeline(''))).toBe('The file is empty.')
    expect(error(importTimeline(' \n\n'))).toBe('The file is empty.')
  })

  it('rejects a foreign file on line 1', () => {
    expect(error(importTimeline('hello world\n'))).toMatch(/^Line 1 is not a SocketLens timeline header\. /)
    expect(error(importTimeline('[1,2,3]'))).toMatch(/^Line 1 is not a SocketLens timeline header/)
    expect(error(importTimeline('{"format":"other-tool","version":3}'))).toBe('Line 1: this is a "other-tool" file, not a SocketLens timeline.')
  })

  it('rejects a newer or unknown format version', () => {
    expect(error(importTimeline('{"format":"socketlens-timeline","version":2}'))).toBe(
      'Line 1: this timeline was written by a newer SocketLens (format version 2); this version reads version 1. Update SocketLens to open it.')
    expect(error(importTimeline('{"format":"socketlens-timeline","version":"1"}'))).toBe('Line 1: "version" must be 1, found "1".')
  })

  it('names the line that is not JSON (a truncated last line)', () => {
    expect(error(importTimeline([HEADER, E1, E2.slice(0, 30)].join('\n')))).toMatch(/^Line 3 is not valid JSON \(.+\)\. The file may be truncated or edited by hand\.$/)
  })

  it('names the line of every invalid field', () => {
    const cases: [string, string][] = [
      ['42', 'Line 2 is not an event: expected a JSON object, found 42.'],
      ['{"time":1,"layer":"wire","kind":"frame","dir":"in"}', 'Line 2: "seq" must be a positive whole number, found nothing.'],
      ['{"seq":0.5,"time":1,"layer":"wire","kind":"frame","dir":"in"}', 'Line 2: "seq" must be a positive whole number, found 0.5.'],
      ['{"seq":1,"time":"noon","layer":"wire","kind":"frame","dir":"in"}', 'Line 2: "time" must be a number (epoch milliseconds), found "noon".'],
      ['{"seq":1,"time":1,"layer":"tcp","kind":"frame","dir":"in"}', 'Line 2: "layer" must be one of lifecycle, wire, engine, socketio, app, found "tcp".'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"up"}', 'Line 2: "dir" must be one of in, out, local, found "up".'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"","dir":"in"}', 'Line 2: "kind" must be a non-empty string, found "".'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","transport":"carrier-pigeon"}', 'Line 2: "transport" must be websocket, polling or webtransport, found "carrier-pigeon".'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","size":"big"}', 'Line 2: "size" must be a number, found "big".'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","reason":5}', 'Line 2: "reason" must be a string, found 5.'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","data":[1]}', 'Line 2: "data" must be a string, found [1].'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","data":"!!","dataEncoding":"base64"}', 'Line 2: "data" is marked base64 but is not valid base64.'],
      ['{"seq":1,"time":1,"layer":"wire","kind":"frame","dir":"in","data":"a","dataEncoding":"hex"}', 'Line 2: "dataEncoding" must be "base64" or absent, found "hex".'],
      ['{"seq":1,"time":1,"layer":"app","kind":"event","dir":"in","detail":[1]}', 'Line 2: "detail" must be an object, found [1].'],
      ['{"seq":1,"time":1,"layer":"app","kind":"event","dir":"in","detail":{"args":[{"$binary":"%%"}]}}', 'Line 2: "detail" holds a {"$binary": …} value that is not valid base64.'],
    ]
    for (const [line, message] of cases) expect(error(importTimeline(withEvent(line))), line).toBe(message)
  })

  it('rejects events out of order', () => {
    expect(error(importTimeline([HEADER, E2, E1].join('\n')))).toBe(
      'Line 3: "seq" 1 is not greater than the previous event\'s 2; events must be in order.')
  })

  it('reads the export of an empty timeline', () => {
    const result = importTimeline(exportNdjson([], { exportedAt: 'T' }))
    expect(result.ok && result.events).toEqual([])
  })
})

/** A HAR file as Chrome DevTools saves it (pretty-printed), with one WebSocket entry and one plain request. */
function har(messages: unknown[], url = 'ws://localhost:8080/echo'): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        { startedDateTime: '2024-01-01T00:00:00.000Z', request: { method: 'GET', url: 'http://localhost:5173/' }, response: { status: 200 } },
        { startedDateTime: '2024-01-01T00:00:01.000Z', request: { method: 'GET', url }, response: { status: 101 }, _resourceType: 'websocket', _webSocketMessages: messages },
      ],
    },
  }, null, 2)
}

describe('importTimeline: HAR', () => {
  const T = Date.parse('2024-01-01T00:00:01.000Z') / 1000

  it('turns _webSocketMessages into wire frames, text and byte-exact binary, after an open', () => {
    const result = importTimeline(har([
      { type: 'send', time: T + 0.5, opcode: 1, data: 'héllo' },
      { type: 'receive', time: T + 0.75, opcode: 1, data: 'echo message héllo' },
      { type: 'receive', time: T + 1, opcode: 2, data: Buffer.from([0, 1, 2, 255]).toString('base64') },
    ]), 'session.har')
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.meta).toEqual({ format: 'har', protocol: 'ws', endpoint: 'ws://localhost:8080/echo', fileName: 'session.har', sessionName: 'session.har', count: 4 })
    const [open, sent, received, binary] = result.events
    expect(open).toEqual({ seq: 1, time: T * 1000, layer: 'lifecycle', kind: 'open', dir: 'local', transport: 'websocket', detail: { url: 'ws://localhost:8080/echo', status: 101 } })
    expect(sent).toEqual({ seq: 2, time: T * 1000 + 500, layer: 'wire', kind: 'frame', dir: 'out', transport: 'websocket', data: 'héllo', size: 6 })
    expect(received).toMatchObject({ seq: 3, dir: 'in', data: 'echo message héllo', size: 19 })
    expect(binary).toMatchObject({ seq: 4, dir: 'in', size: 4 })
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).toEqual([0, 1, 2, 255])
  })

  it('recognizes a Socket.IO session by its EIO query', () => {
    const result = importTimeline(har([{ type: 'receive', time: T, opcode: 1, data: '0{"sid":"x"}' }], 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket'))
    expect(result.ok && result.meta.protocol).toBe('socketio')
    expect(result.ok && result.meta.sessionName).toBe('localhost:3000')
  })

  it('skips non-data opcodes with a warning', () => {
    const result = importTimeline(har([{ type: 'receive', time: T, opcode: 8, data: '' }, { type: 'receive', time: T, opcode: 1, data: 'a' }]))
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.events).toHaveLength(2)
    expect(importWarningWords(result)).toEqual(['HAR entry 2 (line 29), WebSocket message 1 has opcode 8 (not text 1 or binary 2) and was skipped.'])
  })

  it('names the line of a JSON syntax error', () => {
    const broken = har([{ type: 'send', time: T, opcode: 1, data: 'x' }]).replace('"opcode": 1', '"opcode": 1,,')
    expect(error(importTimeline(broken, 'x.har'))).toMatch(/^Line 33: the HAR file is not valid JSON \(.+\)\.$/)
  })

  it('names the entry, its line and the message of an invalid WebSocket message', () => {
    expect(error(importTimeline(har([{ type: 'send', time: T, opcode: 1, data: 'x' }, { type: 'upload', time: T, opcode: 1, data: 'y' }]))))
      .toBe('HAR entry 2 (line 29), WebSocket message 2: "type" must be "send" or "receive", found "upload".')
    expect(error(importTimeline(har([{ type: 'send', time: '12:00', opcode: 1, data: 'x' }]))))
      .toBe('HAR entry 2 (line 29), WebSocket message 1: "time" must be a number (seconds since the epoch), found "12:00".')
    expect(error(importTimeline(har([{ type: 'send', time: T, opcode: 2, data: '***' }]))))
      .toBe('HAR entry 2 (line 29), WebSocket message 1: binary "data" is not valid base64.')
    expect(error(importTimeline(har([{ type: 'send', time: T, opcode: 1 }]))))
      .toBe('HAR entry 2 (line 29), WebSocket message 1: "data" must be a string, found nothing.')
    expect(error(importTimeline(har(['nope'])))).toBe('HAR entry 2 (line 29), WebSocket message 1 is not an object.')
    expect(error(importTimeline(har({} as unknown as unknown[])))).toBe('HAR entry 2 (line 29): "_webSocketMessages" must be a list.')
  })

  it('rejects a HAR without WebSocket messages, and JSON that is not a HAR', () => {
    expect(error(importTimeline(JSON.stringify({ log: { entries: [{ request: { url: 'http://x/' } }] } }, null, 2))))
      .toMatch(/^This HAR file holds no WebSocket messages: none of its 1 entries has "_webSocketMessages"\. /)
    expect(error(importTimeline('{"log": {"pages": []}}'))).toBe('Line 1: this JSON file is not a HAR file (it has no "log.entries" list).')
  })

  it('merges several connections in time order', () => {
    const text = JSON.stringify({ log: { entries: [
      { startedDateTime: new Date(T * 1000).toISOString(), request: { url: 'ws://a/' }, _webSocketMessages: [{ type: 'send', time: T + 2, opcode: 1, data: 'a2' }] },
      { startedDateTime: new Date(T * 1000 + 500).toISOString(), request: { url: 'ws://b/' }, _webSocketMessages: [{ type: 'send', time: T + 1, opcode: 1, data: 'b1' }] },
    ] } })
    const result = importTimeline(text)
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.events.map(e => e.data ?? e.kind)).toEqual(['open', 'open', 'b1', 'a2'])
    expect(result.events.map(e => e.seq)).toEqual([1, 2, 3, 4])
  })
})

/** A HAR file with `entries` WebSocket connections of `per` messages each, pretty-printed as browsers save it. */
function bigHar(entries: number, per: number, broken?: { entry: number, message: number }): string {
  const start = 1_700_000_000
  return JSON.stringify({
    log: {
      version: '1.2',
      entries: Array.from({ length: entries }, (_, e) => ({
        startedDateTime: new Date((start + e) * 1000).toISOString(),
        request: { method: 'GET', url: `ws://host.example/${e}` },
        response: { status: 101 },
        _webSocketMessages: Array.from({ length: per }, (_, m) => ({
          type: broken?.entry === e && broken.message === m ? 'upload' : m % 2 ? 'receive' : 'send',
          time: start + e + m / 1000,
          opcode: 1,
          data: `message ${e}-${m}`,
        })),
      })),
    },
  }, null, 2)
}

describe('importTimeline: big HAR files, in slices', () => {
  it('names the line of an entry far down the file (the key lines are found in one pass)', () => {
    const text = bigHar(3000, 2, { entry: 2500, message: 1 })
    const line = text.slice(0, text.indexOf('"_webSocketMessages"', text.indexOf('"ws://host.example/2500"'))).split('\n').length
    expect(error(importTimeline(text, 'big.har'))).toBe(`HAR entry 2501 (line ${line}), WebSocket message 2: "type" must be "send" or "receive", found "upload".`)
  })

  it('reads thousands of entries in slices with progress, the same as in one go', async () => {
    const text = bigHar(3000, 4)
    const seen: ImportProgress[] = []
    // Every slice reports (progressEveryMs 0), so the count does not depend on how fast this machine is.
    const sliced = await importTimelineInSlices(text, 'big.har', { budgetMs: 1, progressEveryMs: 0, onProgress: p => seen.push(p) })
    const whole = importTimeline(text, 'big.har')
    if (!sliced.ok || !whole.ok) throw new Error('import failed')
    expect(sliced.events).toHaveLength(3000 * 5)
    expect(sliced.events.map(e => [e.seq, e.time, e.data])).toEqual(whole.events.map(e => [e.seq, e.time, e.data]))
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.some(p => p.phase === 'reading' && p.total === 3000)).toBe(true)
  })

  it('a HAR file given as a file reads the same (parsed off the main thread where workers exist, here in one go)', async () => {
    const text = bigHar(50, 2)
    const fromFile = await importTimelineInSlices(new Blob([text]), 'big.har')
    const fromText = importTimeline(text, 'big.har')
    if (!fromFile.ok || !fromText.ok) throw new Error('import failed')
    expect(fromFile.events.map(e => e.data)).toEqual(fromText.events.map(e => e.data))
    expect(error(await importTimelineInSlices(new Blob([text.slice(0, -20)]), 'big.har'))).toMatch(/^Line \d+: the HAR file is not valid JSON/)
    const broken = bigHar(300, 2, { entry: 250, message: 0 })
    expect(error(await importTimelineInSlices(new Blob([broken]), 'big.har'))).toBe(error(importTimeline(broken, 'big.har')))
  })

  it('a cancel stops it and gives no events', async () => {
    const controller = new AbortController()
    const reading = importTimelineInSlices(bigHar(3000, 4), 'big.har', { budgetMs: 1, signal: controller.signal, onProgress: () => controller.abort() })
    await expect(reading).rejects.toThrow(/abort/i)
  })

  it('an NDJSON file reads in slices too', async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => event('wire', 'frame', { seq: i + 1, time: i, data: `e${i}` }))
    const result = await importTimelineInSlices(exportNdjson(events, { exportedAt: 'T' }), 'log.ndjson', { budgetMs: 1 })
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(result.events).toHaveLength(10_000)
  })
})

/**
 * The filter's fast path over compact frames (filter.ts `compileSlotTest`, Timeline.matchCompactText, payloadArena's
 * byte search) must give exactly the answers of the event predicate on the made event (`searchableText`), which
 * stays the reference: every expected set here is computed by `compileFilter`'s predicate on `timeline.get(i)`.
 */
import { describe, expect, it } from 'vitest'
import { draft } from '../support/events'
import { compileFilter, FilteredView } from '../../src/timeline/filter'
import { decodeUtf8 } from '../../src/timeline/payload'
import { byteNeedle, CHUNK_BYTES, includesBytes } from '../../src/timeline/payloadArena'
import { Timeline } from '../../src/timeline/timeline'
import { createFilterSpec, type TimelineFilterSpec } from '../../src/timeline/viewState'

const enc = new TextEncoder()

/** A seeded generator (mulberry32): the same "random" cases on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function frame(data: string | ArrayBuffer | number[], dir: 'in' | 'out' = 'in') {
  const payload = Array.isArray(data) ? new Uint8Array(data).buffer : data
  return draft('wire', 'frame', { dir, data: payload, size: typeof payload === 'string' ? payload.length : payload.byteLength })
}

/** Seqs the event predicate keeps, each event made by `get` (the slow path). */
function expected(t: Timeline, spec: TimelineFilterSpec): number[] {
  const compiled = compileFilter(spec)
  const predicate = compiled.ok ? compiled.predicate : null
  const seqs: number[] = []
  for (let i = 0; i < t.length; i++) {
    const event = t.get(i)!
    if (!predicate || predicate(event)) seqs.push(event.seq)
  }
  return seqs
}

/** Seqs the view keeps, and how many events it made to find them. */
function viewed(t: Timeline, spec: TimelineFilterSpec): { seqs: number[], made: number } {
  const get = Timeline.prototype.get
  let made = 0
  t.get = function (index) {
    made++
    return get.call(this, index)
  }
  try {
    const view = new FilteredView(t, spec)
    return { seqs: Array.from({ length: view.length }, (_, i) => view.seqAt(i)!), made }
  }
  finally {
    t.get = get
  }
}

const DIRECTIONS: Partial<TimelineFilterSpec>[] = [{}, { directions: ['out'] }, { directions: ['in'] }]

/** Every needle in both cases with each of `extras` (the direction chips unless told): the view's answers equal the predicate's. */
function expectSameAnswers(t: Timeline, needles: readonly string[], extras = DIRECTIONS): void {
  for (const text of needles) {
    for (const caseSensitive of [false, true]) {
      for (const extra of extras) {
        const spec = createFilterSpec({ text, caseSensitive, ...extra })
        expect(viewed(t, spec).seqs, JSON.stringify(spec)).toEqual(expected(t, spec))
      }
    }
  }
}

const TEXTS = [
  'synthetic payload #999999', 'Synthetic PAYLOAD #1', 'frame', 'FRAME', 'xab', 'frame', 'abc', 'def', '', 'k', 'Kelvin',
  'İstanbul', 'i̇stanbul', 'temp 300\u212A', 'straße', 'STRASSE', 'Émile', 'émile', '😀 smile', '\uFEFFbom', 'a\uFFFDb',
  'ǅ', 'new\nline', 'tab\tEND', 'hello',
]
const BINARIES = [
  [...enc.encode('binary HELLO')], [0x61, 0x80, 0x62], [0xE2, 0x82, 0x61], [0xF0, 0x9F, 0x98, 0x78], [0x41, 0xC3],
  [0xFF, 0x41, 0x42], [0xED, 0xA0, 0x80, 0x61], [...enc.encode('émile')], [...enc.encode('İ')], [0xEF, 0xBB, 0xBF, 0x61, 0x62, 0x63],
  [], [...enc.encode('frame')], [0x0A, 0x61, 0x62], [0xE2, 0x84, 0xAA], [0xC0, 0xAF], [0x61, 0xE2, 0x84],
]
const NEEDLES = [
  'payload', 'PAYLOAD', 'payload #999999', 'Payload #1', 'frame', 'FRAME', 'fr', 'ame', 'e', 'f', 'frame\nab', 'frame\n',
  '\nab', 'e\nSy', '\n', 'ab', 'AB', 'b', 'abfr', 'cd', 'İ', 'i̇', 'i', 'I', 'k', 'K', '\u212A', 'ß', 'ss', 'SS', 'é', 'É',
  '\uFFFD', 'a\uFFFDb', '\uFEFF', '\uFEFFbom', 'bom', 'abc', '😀', '\uD83D', '\uDE00', 'ǆ', 'ǅ', 'a\u0080', '/', '\t', 'x',
  'hello', 'HELLO', 'zzz', 'stanbul', 'KELVIN',
]

/** Text and binary frames of every kind above, in and out, with events kept as objects between them. */
function mixed(options?: ConstructorParameters<typeof Timeline>[0]): Timeline {
  const t = new Timeline(options)
  let n = 0
  for (const text of TEXTS) t.append(frame(text, n++ % 2 ? 'out' : 'in'))
  for (const bytes of BINARIES) t.append(frame(bytes, n++ % 2 ? 'out' : 'in'))
  t.append(draft('lifecycle', 'open'))
  t.append(draft('app', 'event', { name: 'chat', namespace: '/', detail: { args: [{ text: 'payload frame Kelvin' }] } }))
  t.append(draft('socketio', 'packet', { name: 'EVENT', namespace: '/admin' }))
  // A lone surrogate does not survive UTF-8: this frame is kept as the object.
  t.append(frame('bad \uD800 payload ab', 'out'))
  return t
}

describe('includesBytes', () => {
  it('finds a needle only inside the range, folding ASCII letters when asked', () => {
    const bytes = enc.encode('..Hello WORLD..')
    const has = (needle: string, start: number, end: number, fold = false) => includesBytes(bytes, start, end, enc.encode(needle), fold)
    expect(has('Hello', 0, bytes.length)).toBe(true)
    expect(has('hello', 0, bytes.length)).toBe(false)
    expect(has('hello world', 0, bytes.length, true)).toBe(true)
    // At the very end of the range, and one byte past it.
    expect(has('WORLD', 2, 13)).toBe(true)
    expect(has('WORLD', 2, 12)).toBe(false)
    expect(has('..H', 1, 15)).toBe(false)
    expect(has('', 3, 3)).toBe(true)
    expect(has('x', 3, 3)).toBe(false)
    // Folding touches A–Z only: '@' (0x40) and '[' (0x5B) are not letters, and neither are bytes above 0x7F.
    expect(includesBytes(new Uint8Array([0x40, 0x5B]), 0, 2, new Uint8Array([0x60, 0x7B]), true)).toBe(false)
    expect(includesBytes(new Uint8Array([0xC9]), 0, 1, new Uint8Array([0xE9]), true)).toBe(false)
  })

  it('an ASCII needle is in bytes exactly when it is in their UTF-8 decoding with replacements (invalid bytes too)', () => {
    const next = random(12)
    const alphabet = [0x41, 0x61, 0x62, 0x0A, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x84, 0xAA, 0xED, 0xA0, 0xF0, 0x9F, 0xFF, 0xEF, 0xBB]
    const ascii = [0x41, 0x61, 0x62, 0x0A]
    let found = 0
    for (let round = 0; round < 5000; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]!)
      const needle = Uint8Array.from({ length: 1 + Math.floor(next() * 3) }, () => ascii[Math.floor(next() * ascii.length)]!)
      const inText = decodeUtf8(bytes).includes(String.fromCharCode(...needle))
      expect(includesBytes(bytes, 0, bytes.length, needle, false), `${[...bytes]} / ${[...needle]}`).toBe(inText)
      if (inText) found++
    }
    // Not a vacuous check: plenty of both answers.
    expect(found).toBeGreaterThan(300)
    expect(found).toBeLessThan(4700)
  })
})

describe('byteNeedle', () => {
  it('lowercases for a case-insensitive search and says whether the needle is ASCII', () => {
    expect(byteNeedle('PayLoad', true)).toEqual({ bytes: enc.encode('payload'), foldCase: true, ascii: true })
    expect(byteNeedle('\u212A', true)?.ascii).toBe(true) // the Kelvin sign lowercases to 'k'
    expect(byteNeedle('İ', true)?.ascii).toBe(false) // 'i̇'
    expect(byteNeedle('é', false)).toEqual({ bytes: enc.encode('é'), foldCase: false, ascii: false })
    // A lone surrogate's UTF-8 would be U+FFFD's: no byte search for it.
    expect(byteNeedle('\uD83D', false)).toBeUndefined()
  })
})

describe('the text filter over compact frames', () => {
  it('answers as the event predicate for every payload and needle (case, direction, layer, name, namespace)', () => {
    const t = mixed()
    expectSameAnswers(t, NEEDLES, [
      ...DIRECTIONS, { layers: ['wire'] }, { layers: ['lifecycle', 'app'] }, { name: 'FRA' }, { name: 'chat' }, { namespace: '/' },
      { regex: true }, { directions: ['local'] },
    ])
  })

  it('makes no event for an ASCII frame when the needle is ASCII (the bench case), only for the events kept as objects', () => {
    const t = mixed()
    // Events that are not compact frames: kept as objects, or a compact Socket.IO packet.
    const facts = { dir: 'in' as 'in' | 'out', size: 0, time: 0 }
    const objects = Array.from({ length: t.length }, (_, i) => t.frameFactsAt(i, facts)).filter(compact => !compact).length
    expect(objects).toBe(4)
    const nonAsciiTexts = TEXTS.filter(text => /[^\0-\x7F]/.test(text)).length + 1 // and the empty text
    // Case-insensitive: binary and non-ASCII text are made (they could lowercase into ASCII); case-sensitive: none.
    expect(viewed(t, createFilterSpec({ text: 'payload #999999' })).made).toBe(objects + nonAsciiTexts + BINARIES.length)
    expect(viewed(t, createFilterSpec({ text: 'payload #999999', caseSensitive: true })).made).toBe(objects)
    // A non-ASCII needle is searched in text frames' bytes, not in binary.
    expect(viewed(t, createFilterSpec({ text: 'é', caseSensitive: true })).made).toBe(objects + BINARIES.length)
    // In the label: every frame matches without its payload being read.
    expect(viewed(t, createFilterSpec({ text: 'RAM' })).made).toBe(objects)
    // The direction chip alone reads the direction bit.
    expect(viewed(t, createFilterSpec({ directions: ['out'] })).made).toBe(objects)
    // What the bytes cannot answer is made: a regex, a needle that may span the label and the payload.
    expect(viewed(t, createFilterSpec({ text: 'e\nab' })).made).toBe(t.length)
    expect(viewed(t, createFilterSpec({ text: 'ab', regex: true })).made).toBe(t.length)
  })

  it('answers as the predicate for random payloads and needles that lowercase across scripts', () => {
    const next = random(7)
    const letters = ['A', 'a', 'b', 'K', 'k', '\u212A', 'İ', 'i', 'I', '\u0307', 'é', 'É', 'ß', 's', 'S', '\n', 'f', 'r', 'm', 'e', '😀']
    const bytes = [0x41, 0x61, 0x62, 0x6B, 0x80, 0xC3, 0xA9, 0xC4, 0xB0, 0xE2, 0x84, 0xAA, 0xFF, 0x0A, 0x66]
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
    const t = new Timeline()
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(next() * 8)
      if (next() < 0.3) t.append(frame(Array.from({ length }, () => pick(bytes)), i % 2 ? 'out' : 'in'))
      else t.append(frame(Array.from({ length }, () => pick(letters)).join(''), i % 2 ? 'out' : 'in'))
    }
    const needles = Array.from({ length: 120 }, () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(letters)).join(''))
    let matched = 0
    for (const text of needles) {
      for (const caseSensitive of [false, true]) {
        const spec = createFilterSpec({ text, caseSensitive })
        const want = expected(t, spec)
        expect(viewed(t, spec).seqs, JSON.stringify(spec)).toEqual(want)
        if (want.length > 0 && want.length < t.length) matched++
      }
    }
    expect(matched).toBeGreaterThan(50)
  })

  it('reads payloads at the end of a 1 MiB chunk and those moved to the next one', () => {
    const t = new Timeline()
    const filler = 349_000
    const fill = (letter: string) => {
      for (let i = 0; i < 3; i++) t.append(frame(letter.repeat(filler)))
    }
    fill('x')
    const tail = 'END-of-chunk Q'
    // Ends exactly at the chunk's last byte.
    t.append(frame('y'.repeat(CHUNK_BYTES - 3 * filler - tail.length) + tail, 'out'))
    t.append(frame('START of chunk two'))
    expect(t.arenaBytes).toBe(2 * CHUNK_BYTES)
    fill('z')
    // 1,000 code units fit what is left of the chunk, 2,000 UTF-8 bytes do not: written again in the next chunk.
    t.append(frame('é'.repeat(998) + 'ÉQ', 'out'))
    t.append(frame('ASCII after the move'))
    fill('w')
    // Too long for what is left: moved whole to the next chunk.
    t.append(frame('straddle ' + 'v'.repeat(3000) + ' END', 'out'))
    t.append(frame([0x61, 0x80, ...enc.encode('binary at the start')]))
    expect(t.arenaBytes).toBe(4 * CHUNK_BYTES)
    for (let i = 0; i < t.length; i++) expect(t.objectAt(i)).toBeUndefined()
    expectSameAnswers(t, ['END-of-chunk Q', 'end-of-chunk q', 'Q', 'QSTART', 'q\nstart', 'START', 'xy', 'yE', 'éé', 'éÉq', 'É',
      'zzzé', 'straddle', 'v END', 'wws', 'binary', 'a\uFFFDb', 'after the move'], [{}, { directions: ['out'] }])
  })

  it('follows a ring that wrapped and dropped, and time slices', () => {
    const t = mixed({ maxEvents: 60 })
    for (let round = 0; round < 3; round++) for (const text of TEXTS) t.append(frame(text + round, round % 2 ? 'out' : 'in'))
    expect(t.dropped).toBeGreaterThan(0)
    expectSameAnswers(t, ['payload', 'PAYLOAD #1', 'ab', 'é', 'k', 'İ', '1', 'frame'])
    const spec = createFilterSpec({ text: 'e' })
    const view = new FilteredView(new Timeline())
    for (let i = 0; i < 3000; i++) view.timeline.append(frame(i % 3 ? 'Test ' + i : 'nothing', i % 2 ? 'out' : 'in'))
    view.setFilter(createFilterSpec({ text: 'TEST 1' }), 0)
    expect(view.complete).toBe(false)
    while (!view.complete) view.update(0)
    expect(Array.from({ length: view.length }, (_, i) => view.seqAt(i))).toEqual(expected(view.timeline, createFilterSpec({ text: 'TEST 1' })))
    expect(viewed(t, spec).seqs).toEqual(expected(t, spec))
  })
})

describe('the payload arena', () => {
  it('gives a text that starts with U+FEFF back with it', () => {
    const t = new Timeline()
    t.append(frame('\uFEFFé'))
    t.append(frame('\uFEFF'))
    // Past the timeline's cache of made events, so that they are read from the arena again.
    for (let i = 0; i < 2000; i++) t.append(frame('a'))
    expect(t.get(0)!.data).toBe('\uFEFFé')
    expect(t.get(1)!.data).toBe('\uFEFF')
  })
})

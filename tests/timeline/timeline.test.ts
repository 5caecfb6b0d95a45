import { describe, expect, it, vi } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import type { DraftEvent } from '../../src/protocol/types'
import { createWebSocketDriver } from '../../src/protocol/websocket/driver'
import { compactMeta, FramePackBuilder, packCursor, unpackEvents } from '../../src/timeline/framePack'
import { byteNeedle, CHUNK_BYTES, MAX_ARENA_UNITS, PayloadArena } from '../../src/timeline/payloadArena'
import { payloadBytes, Timeline } from '../../src/timeline/timeline'
import { useDevServer } from '../support/devServer'
import { draft } from '../support/events'

function frame(data: string | ArrayBuffer, dir: 'in' | 'out' = 'in', time = 1000): DraftEvent {
  return draft('wire', 'frame', { time, dir, data, size: typeof data === 'string' ? data.length : data.byteLength })
}
const seqs = (t: Timeline) => t.toArray().map(e => e.seq)
const datas = (t: Timeline) => t.toArray().map(e => e.data)

describe('Timeline ring buffer', () => {
  it('assigns strictly increasing seqs from 1 and keeps events in order', () => {
    const t = new Timeline()
    for (const d of ['a', 'b', 'c']) t.append(frame(d))
    expect(seqs(t)).toEqual([1, 2, 3])
    expect(datas(t)).toEqual(['a', 'b', 'c'])
    expect(t.length).toBe(3)
    expect(t.seqNext).toBe(4)
    expect(t.firstSeq).toBe(1)
  })

  it('drops the oldest events past the frame cap and counts them', () => {
    const t = new Timeline({ maxEvents: 3 })
    for (let i = 1; i <= 7; i++) t.append(frame(`m${i}`))
    expect(datas(t)).toEqual(['m5', 'm6', 'm7'])
    expect(seqs(t)).toEqual([5, 6, 7])
    expect(t.dropped).toBe(4)
    expect(t.length).toBe(3)
    expect(t.count('wire', 'in')).toBe(7) // counters include dropped events
  })

  it('wraps around many times without losing order (cap not a power of two)', () => {
    const t = new Timeline({ maxEvents: 5 })
    for (let i = 1; i <= 1003; i++) t.append(frame(String(i)))
    expect(datas(t)).toEqual(['999', '1000', '1001', '1002', '1003'])
    expect(t.get(0)?.seq).toBe(999)
    expect(t.get(4)?.seq).toBe(1003)
    expect(t.get(5)).toBeUndefined()
    expect(t.get(-1)).toBeUndefined()
    expect([...t.iterate(3)].map(e => e.data)).toEqual(['1002', '1003'])
    expect(t.dropped).toBe(998)
  })

  it('grows past its first capacity (1024) keeping order across the unrolled ring', () => {
    const t = new Timeline({ maxEvents: 3000 })
    for (let i = 1; i <= 5000; i++) t.append(frame(String(i)))
    expect(t.length).toBe(3000)
    expect(t.get(0)?.data).toBe('2001')
    expect(t.get(2999)?.data).toBe('5000')
    expect(seqs(t).every((s, i, all) => i === 0 || s === all[i - 1]! + 1)).toBe(true)
  })

  it('keeps within the byte budget (UTF-16 for text, byteLength for binary) and drops the oldest', () => {
    // 'abcd' holds 8 bytes in memory; an 8-byte ArrayBuffer 8.
    const t = new Timeline({ maxBytes: 20 })
    t.append(frame('abcd'))
    t.append(frame(new ArrayBuffer(8)))
    expect(t.bytes).toBe(16)
    t.append(frame('xy')) // 16 + 4 = 20: fits exactly
    expect(t.bytes).toBe(20)
    expect(t.dropped).toBe(0)
    t.append(frame('z')) // 22 > 20: 'abcd' goes
    expect(datas(t).map(d => typeof d === 'string' ? d : `bin${d!.byteLength}`)).toEqual(['bin8', 'xy', 'z'])
    expect(t.bytes).toBe(14)
    expect(t.dropped).toBe(1)
  })

  it('keeps an event larger than the whole budget (alone) rather than losing it', () => {
    const t = new Timeline({ maxBytes: 10 })
    t.append(frame('a'))
    t.append(frame('0123456789'))
    expect(datas(t)).toEqual(['0123456789'])
    expect(t.dropped).toBe(1)
  })

  it('counts Socket.IO argument events by their wire size', () => {
    expect(payloadBytes({ size: 42 })).toBe(42)
    expect(payloadBytes({ data: 'ab', size: 42 })).toBe(4)
    expect(payloadBytes({})).toBe(0)
  })

  it('finds events by seq, also after drops, and answers lowerBound', () => {
    const t = new Timeline({ maxEvents: 4 })
    for (let i = 0; i < 10; i++) t.append(frame(String(i)))
    expect(seqs(t)).toEqual([7, 8, 9, 10])
    expect(t.indexOfSeq(7)).toBe(0)
    expect(t.indexOfSeq(10)).toBe(3)
    expect(t.indexOfSeq(6)).toBe(-1)
    expect(t.indexOfSeq(11)).toBe(-1)
    expect(t.lowerBound(1)).toBe(0)
    expect(t.lowerBound(9)).toBe(2)
    expect(t.lowerBound(99)).toBe(4)
  })

  it('notifies once per batch until acknowledged, and on clear', () => {
    const t = new Timeline()
    let calls = 0
    const off = t.subscribe(() => calls++)
    t.append(frame('a'))
    t.append(frame('b'))
    expect(calls).toBe(1)
    t.acknowledge()
    t.append(frame('c'))
    expect(calls).toBe(2)
    t.acknowledge()
    t.clear()
    expect(calls).toBe(3)
    off()
    t.acknowledge()
    t.append(frame('d'))
    expect(calls).toBe(3)
  })

  it('clear forgets events, bytes, drops and counters but keeps seqs increasing', () => {
    const t = new Timeline({ maxEvents: 2 })
    for (const d of ['a', 'b', 'c']) t.append(frame(d))
    const epoch = t.epoch
    t.clear()
    expect(t.length).toBe(0)
    expect(t.bytes).toBe(0)
    expect(t.dropped).toBe(0)
    expect(t.count('wire', 'in')).toBe(0)
    expect(t.epoch).toBe(epoch + 1)
    expect(t.append(frame('d')).seq).toBe(4)
  })

  it('setLimits shrinks at once, dropping the oldest', () => {
    const t = new Timeline()
    for (let i = 0; i < 10; i++) t.append(frame(String(i)))
    t.setLimits({ maxEvents: 3 })
    expect(datas(t)).toEqual(['7', '8', '9'])
    expect(t.dropped).toBe(7)
    t.setLimits({ maxBytes: 4 })
    expect(datas(t)).toEqual(['8', '9'])
  })

  it('Timeline.from keeps increasing seqs and renumbers anything else', () => {
    const kept = Timeline.from([{ seq: 5, ...frame('a') }, { seq: 9, ...frame('b') }])
    expect(seqs(kept)).toEqual([5, 9])
    expect(kept.seqNext).toBe(10)
    expect(kept.indexOfSeq(9)).toBe(1)
    const renumbered = Timeline.from([{ seq: 5, ...frame('a') }, { seq: 5, ...frame('b') }])
    expect(seqs(renumbered)).toEqual([1, 2])
    // An import never loses events to the default budget.
    expect(Timeline.from([], { maxEvents: 1 }).maxEvents).toBe(1)
  })
})

describe('Timeline: plain frames kept compact, outside the heap', () => {
  const bytesOf = (data: unknown) => [...new Uint8Array(data as ArrayBuffer)]

  it('gives every frame back as appended: text in any script, empty, binary, both directions, every transport', () => {
    const t = new Timeline()
    const texts = ['hello', '', '안녕하세요 👋 ünïcödé', '\u0000\r\n\t', 'x'.repeat(5000)]
    for (const [i, text] of texts.entries())
      t.append(draft('wire', 'frame', { time: 1000.25 + i, dir: i % 2 ? 'out' : 'in', transport: (['websocket', 'polling', 'webtransport'] as const)[i % 3], size: text.length + 7, data: text }))
    const bytes = new Uint8Array([0, 1, 254, 255, 128])
    t.append(draft('wire', 'frame', { time: 2000, dir: 'out', transport: 'polling', size: 5, data: bytes.slice().buffer }))
    t.append(draft('wire', 'frame', { time: 2001, size: 0, data: new ArrayBuffer(0) }))
    expect(t.arenaBytes).toBe(CHUNK_BYTES)
    const events = t.toArray()
    expect(events.map(e => e.data).slice(0, 5)).toEqual(texts)
    expect(events.map(e => [e.seq, e.time, e.dir, e.transport, e.size]).slice(0, 5)).toEqual(
      texts.map((text, i) => [i + 1, 1000.25 + i, i % 2 ? 'out' : 'in', ['websocket', 'polling', 'webtransport'][i % 3], text.length + 7]))
    expect(events[5]).toMatchObject({ layer: 'wire', kind: 'frame', dir: 'out', transport: 'polling', size: 5, time: 2000 })
    expect(bytesOf(events[5]!.data)).toEqual([0, 1, 254, 255, 128])
    expect((events[6]!.data as ArrayBuffer).byteLength).toBe(0)
    expect(t.bytes).toBe(texts.reduce((sum, text) => sum + text.length * 2, 0) + 5)
  })

  it('keeps the same object for the same event while it is on screen, and a copy of the bytes, not the sender\'s', () => {
    const t = new Timeline()
    const sent = new Uint8Array([1, 2, 3])
    t.append(draft('wire', 'frame', { size: 3, data: sent.buffer }))
    sent[0] = 9
    expect(t.get(0)).toBe(t.get(0))
    expect(bytesOf(t.get(0)!.data)).toEqual([1, 2, 3])
  })

  it('keeps as objects, unchanged, what a compact slot could not say: details, extra fields, lone surrogates, long texts', () => {
    const t = new Timeline()
    const withDetail = draft('wire', 'frame', { data: '2probe', size: 6, detail: { label: 'probe' } })
    const explained = draft('wire', 'frame', { data: 'x', size: 1, explain: { key: 'timeline.filter.invalidRegex' } as never })
    const lone = draft('wire', 'frame', { data: 'a\uD800b', size: 5 })
    const long = draft('wire', 'frame', { data: 'y'.repeat(MAX_ARENA_UNITS + 1), size: MAX_ARENA_UNITS + 1 })
    for (const event of [withDetail, explained, lone, long]) t.append(event)
    expect(t.toArray()).toEqual([withDetail, explained, lone, long])
    expect(t.get(0)).toBe(withDetail)
    expect(t.get(2)!.data).toBe('a\uD800b')
    expect(t.arenaBytes).toBe(0)
  })

  it('mixes object and compact slots through drops, growth and seq lookups', () => {
    const t = new Timeline({ maxEvents: 1500 })
    for (let i = 1; i <= 4000; i++)
      t.append(i % 3 ? draft('wire', 'frame', { data: `f${i}`, size: 2 }) : draft('lifecycle', 'open', { time: i }))
    expect(t.length).toBe(1500)
    expect(t.get(0)!.seq).toBe(2501)
    const all = t.toArray()
    expect(all.every((e, i) => e.seq === 2501 + i)).toBe(true)
    expect(all.every(e => e.seq % 3 ? e.data === `f${e.seq}` : e.kind === 'open')).toBe(true)
    expect(t.indexOfSeq(3999)).toBe(1498)
    expect(t.seqAt(1499)).toBe(4000)
  })

  it('reads runs of ASCII frames at once, exactly, across chunk ends, other frames and objects, in any order', () => {
    const t = new Timeline()
    const expected: string[] = []
    for (let i = 0; i < 3000; i++) {
      const text = i % 97 === 0 ? `é${i}` : `${i}:${'abcdefghij'.repeat(i % 200)}`
      expected.push(text)
      if (i % 251 === 0) t.append(draft('lifecycle', 'open'))
      t.append(draft('wire', 'frame', { data: text, size: text.length }))
    }
    expect(t.arenaBytes).toBeGreaterThan(CHUNK_BYTES * 2)
    const frames = () => t.toArray().filter(e => e.kind === 'frame').map(e => e.data)
    expect(frames()).toEqual(expected)
    // Backwards, so every read starts a run of its own that the next reads do not come from.
    const backwards = new Timeline()
    for (const text of expected) backwards.append(draft('wire', 'frame', { data: text, size: text.length }))
    for (let i = expected.length - 1; i >= 0; i -= 7) expect(backwards.get(i)!.data).toBe(expected[i])
  })

  it('grows from a few thousand slots on without copying: the segment of the first events stays the same one', () => {
    // Doubling up to segments of 65,536 slots copied 64,512 slots on the UI thread during a flood's first frames.
    const t = new Timeline()
    const segments = () => (t as unknown as { segments: object[] }).segments
    for (let i = 0; i < 5000; i++) t.append(draft('wire', 'frame', { time: i, data: 'x', size: 1 }))
    const first = segments()[0]
    for (let i = 5000; i < 100_000; i++) t.append(draft('wire', 'frame', { time: i, data: 'x', size: 1 }))
    expect(segments()[0] === first).toBe(true)
    expect(t.length).toBe(100_000)
    expect([t.get(0)!.time, t.get(4095)!.time, t.get(4096)!.time, t.get(99_999)!.time]).toEqual([0, 4095, 4096, 99_999])
  })

  it('grows past one segment without copying, and unrolls a wrapped ring once, keeping every event in order', () => {
    // The byte budget drops events before the cap: the ring wraps while full, then a larger budget lets it grow.
    const t = new Timeline({ maxEvents: 200_000, maxBytes: 65_536 * 2 })
    const made = (i: number) => i % 1000 === 0 ? draft('lifecycle', 'open', { time: i }) : draft('wire', 'frame', { time: i, data: String(i % 10), size: 1 })
    for (let i = 0; i < 70_000; i++) t.append(made(i))
    expect(t.dropped).toBeGreaterThan(0)
    // (The ring's own state, to be sure the wrapped path is the one taken.)
    expect((t as unknown as { head: number }).head).toBeGreaterThan(0)
    t.setLimits({ maxBytes: 100_000_000 })
    for (let i = 70_000; i < 250_000; i++) t.append(made(i))
    expect(t.length).toBe(200_000)
    const all = t.toArray()
    expect(all.every((e, i) => i === 0 || e.seq === all[i - 1]!.seq + 1)).toBe(true)
    expect(all.every(e => e.time % 1000 === 0 ? e.kind === 'open' : e.data === String(e.time % 10))).toBe(true)
    expect(all.at(-1)!.time).toBe(249_999)
    for (const index of [0, 65_535, 65_536, 131_071, 131_072, 199_999]) expect(t.indexOfSeq(all[index]!.seq)).toBe(index)
  })

  it('frees its chunks as frames leave: a long stream through a small cap holds one or two chunks', () => {
    const t = new Timeline({ maxEvents: 1000 })
    const payload = 'z'.repeat(1000)
    for (let i = 0; i < 5000; i++) t.append(draft('wire', 'frame', { data: payload, size: 1000 }))
    expect(t.arenaBytes).toBeLessThanOrEqual(2 * CHUNK_BYTES)
    expect(t.get(999)!.data).toBe(payload)
    t.clear()
    expect(t.arenaBytes).toBe(0)
    t.append(draft('wire', 'frame', { data: 'after', size: 5 }))
    expect(t.get(0)).toMatchObject({ seq: 5001, data: 'after' })
  })
})

describe('Timeline.appendPack: a driver Worker\'s run of plain frames', () => {
  const frames = () => [
    draft('wire', 'frame', { time: 10.5, data: 'plain', size: 5 }),
    // Starts with U+FEFF, which a default TextDecoder would drop.
    draft('wire', 'frame', { time: 11, dir: 'out', transport: 'polling', data: '\uFEFF한국어 🎉', size: 17 }),
    draft('wire', 'frame', { time: 12, data: new Uint8Array([7, 0, 255]).buffer, size: 3 }),
    draft('wire', 'frame', { time: 13, data: '', size: 0 }),
  ]
  const packOf = (events: DraftEvent[]) => {
    const builder = new FramePackBuilder()
    for (const event of events) builder.add(event as never, compactMeta(event as never))
    return builder.finish()
  }
  const comparable = (t: Timeline) => t.toArray().map(e => ({ ...e, data: typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data!)] }))

  it('holds the same events, numbers, counters and bytes as appending them one by one', () => {
    const one = new Timeline()
    for (const event of frames()) one.append(event)
    const packed = new Timeline()
    let told = 0
    packed.subscribe(() => told++)
    const cursor = packCursor(packOf(frames()))
    packed.appendPack(cursor, 1)
    packed.appendPack(cursor, 3)
    expect(comparable(packed)).toEqual(comparable(one))
    expect([packed.bytes, packed.count('wire', 'in'), packed.count('wire', 'out'), packed.seqNext]).toEqual([one.bytes, 3, 1, 5])
    expect(told).toBe(1)
    expect(cursor).toMatchObject({ index: 4, offset: cursor.pack.bytes.length })
    expect(packed.version).toBe(one.version)
  })

  it('drops the oldest past the cap within a pack, and unpacks to the same drafts for a sink without packs', () => {
    const t = new Timeline({ maxEvents: 2 })
    t.append(draft('lifecycle', 'open'))
    t.appendPack(packCursor(packOf(frames())), 4)
    expect(t.toArray().map(e => e.time)).toEqual([12, 13])
    expect(t.dropped).toBe(3)
    const unpacked = unpackEvents(packCursor(packOf(frames())), 4)
    expect(unpacked.map(e => ({ ...e, data: typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data as ArrayBuffer)] }))).toEqual(
      frames().map(e => ({ seq: 0, ...e, data: typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data as ArrayBuffer)] })))
  })
})

describe('Timeline: Socket.IO packet events kept compact', () => {
  it('gives back name, namespace and ack id as appended, and keeps packets with a detail or odd fields as objects', () => {
    const t = new Timeline()
    const plain = draft('socketio', 'packet', { dir: 'in', name: 'EVENT', namespace: '/', time: 5 })
    const acked = draft('socketio', 'packet', { dir: 'out', name: 'ACK', namespace: '/admin', ackId: 7, time: 6 })
    const connect = draft('socketio', 'packet', { dir: 'in', name: 'CONNECT', namespace: '/', detail: { data: { sid: 'x' } } })
    const odd = { ...draft('socketio', 'packet', { dir: 'in', name: 'EVENT', namespace: '/' }), ackId: Number.NaN }
    for (const event of [plain, acked, connect, odd]) t.append(event)
    const [a, b, c, d] = t.toArray()
    expect(a).toEqual({ seq: 1, time: 5, layer: 'socketio', kind: 'packet', dir: 'in', name: 'EVENT', namespace: '/' })
    expect(a).not.toBe(plain)
    expect(b).toEqual({ seq: 2, time: 6, layer: 'socketio', kind: 'packet', dir: 'out', name: 'ACK', namespace: '/admin', ackId: 7 })
    expect(c).toBe(connect)
    expect(d).toBe(odd)
    expect(t.objectAt(0)).toBeUndefined()
    expect([t.count('socketio', 'in'), t.count('socketio', 'out')]).toEqual([3, 1])
    // A packet is not a frame: the charts' frame count does not take it.
    expect(t.frameFactsAt(0, { dir: 'in', size: 0, time: 0 })).toBe(false)
  })

  it('bounds its table of names: a server inventing namespaces gets objects past it, and nothing is lost', () => {
    const t = new Timeline({ maxEvents: 10_000 })
    for (let i = 0; i < 5000; i++) t.append(draft('socketio', 'packet', { dir: 'in', name: 'EVENT', namespace: `/ns${i}` }))
    expect(t.toArray().map(e => e.namespace)).toEqual(Array.from({ length: 5000 }, (_, i) => `/ns${i}`))
    expect(t.objectAt(4500)).toBeDefined()
    expect(t.objectAt(100)).toBeUndefined()
  })

  it('drops compact packets between frames without touching the frames\' bytes', () => {
    const t = new Timeline({ maxEvents: 100 })
    for (let i = 0; i < 1000; i++) {
      t.append(draft('wire', 'frame', { data: `42["m",${i}]`, size: 10 }))
      t.append(draft('socketio', 'packet', { dir: 'in', name: 'EVENT', namespace: '/' }))
    }
    const events = t.toArray()
    expect(events.filter(e => e.kind === 'frame').map(e => e.data)).toEqual(Array.from({ length: 50 }, (_, i) => `42["m",${950 + i}]`))
    expect(t.arenaBytes).toBe(CHUNK_BYTES)
  })
})

describe('PayloadArena', () => {
  it('starts a new chunk for a payload that does not fit the rest of one, and frees the front ones', () => {
    const arena = new PayloadArena()
    const third = 'é'.repeat(MAX_ARENA_UNITS) // 2 bytes each in UTF-8
    const a = arena.writeText(third)
    expect(arena.written).toBe(2 * MAX_ARENA_UNITS)
    const b = arena.writeText(third)
    expect(Math.floor(b / CHUNK_BYTES)).toBe(Math.floor(a / CHUNK_BYTES) + 1)
    expect(arena.readText(a, 2 * MAX_ARENA_UNITS)).toBe(third)
    expect(arena.allocated).toBe(2 * CHUNK_BYTES)
    arena.release(a)
    // The freed chunk is kept as the next one: still two allocated.
    expect(arena.allocated).toBe(2 * CHUNK_BYTES)
    expect(arena.readText(b, 2 * MAX_ARENA_UNITS)).toBe(third)
    // The next chunk is that one: its old bytes overwritten, nothing new allocated; a second release gives it back again.
    const other = 'ü'.repeat(MAX_ARENA_UNITS)
    const c = arena.writeText(other)
    expect(Math.floor(c / CHUNK_BYTES)).toBe(Math.floor(b / CHUNK_BYTES) + 1)
    expect(arena.allocated).toBe(2 * CHUNK_BYTES)
    expect(arena.readText(c, 2 * MAX_ARENA_UNITS)).toBe(other)
    expect(arena.readText(b, 2 * MAX_ARENA_UNITS)).toBe(third)
    arena.release(b)
    expect(arena.allocated).toBe(2 * CHUNK_BYTES)
    arena.clear()
    expect(arena.allocated).toBe(0)
  })

  it('writeLater copies writes that lie end to end in one set, at the next read, chunk change or flush', () => {
    const arena = new PayloadArena()
    const source = new Uint8Array([...'abcdefghij'].map(c => c.charCodeAt(0)))
    const sets = vi.spyOn(Object.getPrototypeOf(Uint8Array.prototype) as Uint8Array, 'set')
    try {
      const a = arena.writeLater(source, 0, 3)
      const b = arena.writeLater(source, 3, 4)
      const c = arena.writeLater(source, 7, 3)
      expect([b - a, c - b]).toEqual([3, 4])
      expect(sets).not.toHaveBeenCalled()
      // A read flushes: one copy for the three.
      expect(arena.readAscii(a, 3)).toBe('abc')
      expect(sets).toHaveBeenCalledTimes(1)
      expect([arena.readAscii(b, 4), arena.readAscii(c, 3)]).toEqual(['defg', 'hij'])
      // Not end to end in the source: two runs.
      const d = arena.writeLater(source, 0, 2)
      const e = arena.writeLater(source, 5, 2)
      arena.flush()
      expect(sets).toHaveBeenCalledTimes(3)
      expect([arena.readAscii(d, 2), arena.readAscii(e, 2)]).toEqual(['ab', 'fg'])
      expect(arena.includes(e, 2, byteNeedle('fg', false)!)).toBe(true)
    }
    finally {
      sets.mockRestore()
    }
    // A payload that does not fit the chunk's rest goes to the next chunk; the run before it is copied first.
    const big = new Uint8Array(MAX_ARENA_UNITS).fill(0x61)
    const positions = [arena.writeLater(big, 0, MAX_ARENA_UNITS), arena.writeLater(big, 0, MAX_ARENA_UNITS), arena.writeLater(big, 0, MAX_ARENA_UNITS)]
    const next = arena.writeLater(source, 0, 10)
    expect(Math.floor(next / CHUNK_BYTES)).toBe(Math.floor(positions[0]! / CHUNK_BYTES) + 1)
    expect(arena.readAscii(next, 10)).toBe('abcdefghij')
    expect(arena.readText(positions[2]!, 5)).toBe('aaaaa')
  })

  it('copies what writeLater left before it changes chunks, so a freed chunk reused later is not written over', () => {
    const arena = new PayloadArena()
    const source = new Uint8Array([...'abcdefghij'].map(c => c.charCodeAt(0)))
    const third = (c: string) => c.repeat(MAX_ARENA_UNITS)
    const first = [arena.writeLater(source, 0, 10), arena.writeText(third('a')), arena.writeText(third('a'))]
    // Does not fit chunk 0's rest: chunk 1. The run of 10 bytes is still uncopied unless the change of chunk copies it.
    const second = [arena.writeText(third('b')), arena.writeText(third('b')), arena.writeText(third('b'))]
    for (const position of first) arena.release(position)
    // Chunk 0 is freed and kept as the spare; chunk 2 is that buffer, written from its start.
    const reused = arena.writeText(third('c'))
    expect(Math.floor(reused / CHUNK_BYTES)).toBe(Math.floor(second[0]! / CHUNK_BYTES) + 1)
    expect(arena.allocated).toBe(2 * CHUNK_BYTES)
    arena.flush()
    expect(arena.readAscii(reused, 12)).toBe('cccccccccccc')
  })
})

describe('Timeline fed by the real WebSocket driver', () => {
  const server = useDevServer()

  it('records a 3,000-frame flood from /flood through a 1,000-event cap, in order, with 2,000+ dropped', async () => {
    const timeline = new Timeline({ maxEvents: 1000 })
    const driver = createWebSocketDriver({
      url: `${server().urls.ws}/flood?n=3000&size=20&close=1`,
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
      reconnect: { enabled: false },
    }, timeline.append)
    const closed = new Promise<void>((resolve) => {
      const off = timeline.subscribe(() => {
        timeline.acknowledge()
        if (timeline.get(timeline.length - 1)?.kind === 'close') {
          off()
          resolve()
        }
      })
    })
    driver.connect()
    await closed
    driver.dispose()
    expect(timeline.count('wire', 'in')).toBe(3000)
    const events = timeline.toArray()
    expect(events).toHaveLength(1000)
    expect(timeline.dropped).toBe(timeline.seqNext - 1 - 1000)
    expect(events.every((e, i) => i === 0 || e.seq === events[i - 1]!.seq + 1)).toBe(true)
    expect(events.at(-1)).toMatchObject({ layer: 'lifecycle', kind: 'close', code: 1000 })
    const frames = events.filter(e => e.kind === 'frame')
    expect(frames.every(e => e.size === 20 && typeof e.data === 'string' && e.data.length === 20)).toBe(true)
  })
})

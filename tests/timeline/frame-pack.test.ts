/**
 * A FramePack as the driver Worker makes and sends it (src/timeline/framePack.ts): one exact-size ArrayBuffer whose
 * aligned views are the columns, transferred whole through the structured clone, then read by the page's
 * `Timeline.appendPack` or `unpackEvents`; and the builder, reused across packs.
 */
import { describe, expect, it } from 'vitest'
import { utf8Length, type DraftEvent } from '../../src/protocol/types'
import type { AppEventEvent } from '../../src/protocol/events'
import {
  APP, ASCII, ASKS_ACK, COMPACT, compactAppText, compactMeta, compactPacket, FramePackBuilder, MAX_APP_TEXT, OUT, PACKET, packCursor,
  packTransfer, payloadFits, unpackEvents, type FramePack,
} from '../../src/timeline/framePack'
import { byteNeedle, MAX_ARENA_UNITS } from '../../src/timeline/payloadArena'
import { payloadBytes, Timeline } from '../../src/timeline/timeline'
import { PACKED } from '../../src/protocol/worker/messages'
import { draft } from '../support/events'

const frames = (): DraftEvent[] => [
  draft('wire', 'frame', { time: 10.5, data: 'plain ascii', size: 11 }),
  draft('wire', 'frame', { time: 11, dir: 'out', transport: 'polling', data: '한국어 🎉 ünïcode', size: 17 }),
  // Starts with U+FEFF, which a default TextDecoder would drop.
  draft('wire', 'frame', { time: 11.25, data: '\uFEFFbom first', size: 10 }),
  draft('wire', 'frame', { time: 12, data: new Uint8Array([7, 0, 255, 128, 0xc3]).buffer, size: 5 }),
  draft('wire', 'frame', { time: 13, data: '', size: 0 }),
  draft('wire', 'frame', { time: 14, dir: 'out', data: new ArrayBuffer(0), size: 0 }),
  draft('wire', 'frame', { time: 15, transport: 'webtransport', data: 'last', size: 4 }),
]

function add(builder: FramePackBuilder, events: DraftEvent[]): void {
  for (const event of events) builder.add(event as never, compactMeta(event as never))
}

function packOf(events: DraftEvent[], builder = new FramePackBuilder()): FramePack {
  add(builder, events)
  return builder.finish()
}

/** Events with binary payloads as byte lists, and the seq left out, to compare by value. */
const comparable = (events: readonly { seq?: number, data?: unknown }[]) => events.map(({ seq: _, ...e }) => ({
  ...e, data: e.data instanceof ArrayBuffer ? [...new Uint8Array(e.data)] : e.data,
}))

/** What crosses a postMessage: the pack cloned, its buffers transferred. */
function sent(pack: FramePack): FramePack {
  return structuredClone(pack, { transfer: packTransfer(pack) })
}

describe('FramePack: one buffer, aligned columns', () => {
  it('round-trips ASCII, non-ASCII UTF-8, a leading U+FEFF, binary and empty payloads through a transfer into appendPack and unpackEvents', () => {
    const oneByOne = new Timeline()
    for (const event of frames()) oneByOne.append(event)

    const pack = packOf(frames())
    const received = sent(pack)
    // Transferred, not copied: the Worker's views are detached.
    expect(pack.bytes.byteLength).toBe(0)
    expect(received.times.buffer).toBe(received.bytes.buffer)
    const timeline = new Timeline()
    const cursor = packCursor(received)
    timeline.appendPack(cursor, 2)
    timeline.appendPack(cursor, frames().length - 2)
    expect(comparable(timeline.toArray())).toEqual(comparable(oneByOne.toArray()))
    expect(cursor).toEqual({ pack: received, index: frames().length, offset: received.bytes.length })
    expect([timeline.bytes, timeline.count('wire', 'in'), timeline.count('wire', 'out')]).toEqual([oneByOne.bytes, 5, 2])

    const unpacked = unpackEvents(packCursor(sent(packOf(frames()))), frames().length)
    expect(comparable(unpacked)).toEqual(comparable(frames()))
    expect((unpacked[2]!.data as string).charCodeAt(0)).toBe(0xfeff)
  })

  it('is one ArrayBuffer of the exact size, which packTransfer returns alone', () => {
    const pack = packOf(frames())
    const buffers = packTransfer(pack)
    expect(buffers).toHaveLength(1)
    const payload = frames().reduce((sum, e) => sum + (typeof e.data === 'string' ? new TextEncoder().encode(e.data).length : (e.data as ArrayBuffer).byteLength), 0)
    expect(buffers[0]!.byteLength).toBe(37 * pack.n + payload)
    for (const column of [pack.times, pack.sizes, pack.held, pack.meta, pack.lengths, pack.nameRefs, pack.namespaceRefs, pack.bytes]) expect(column.buffer).toBe(buffers[0])
  })

  it.each([1, 3, 7, 65, 129])('keeps every column aligned, apart and in bounds for %i frames', (n) => {
    const events = Array.from({ length: n }, (_, i) => draft('wire', 'frame', { time: i + 0.5, data: 'x'.repeat(i % 5), size: i % 5 }))
    const pack = packOf(events)
    const { times, sizes, held, lengths, nameRefs, namespaceRefs, meta, bytes } = pack
    for (const column of [times, sizes, held]) {
      expect(column.byteOffset % 8).toBe(0)
      expect(column.length).toBe(n)
    }
    for (const column of [lengths, nameRefs, namespaceRefs]) expect(column.byteOffset % 4).toBe(0)
    expect([lengths.length, nameRefs.length, namespaceRefs.length, meta.length]).toEqual([n, n, n, n])
    // End to end without overlap: times, sizes, held, lengths, nameRefs, namespaceRefs, meta, bytes.
    const spans = [times, sizes, held, lengths, nameRefs, namespaceRefs, meta, bytes].map(c => [c.byteOffset, c.byteOffset + c.byteLength])
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1])
    expect(spans.at(-1)![1]).toBe(times.buffer.byteLength)
    expect([...times]).toEqual(events.map(e => e.time))
    expect([...lengths]).toEqual(events.map(e => (e.data as string).length))
    expect(unpackEvents(packCursor(pack), n).map(e => e.data)).toEqual(events.map(e => e.data))
  })

  it('packTransfer gives each distinct buffer once for a pack made by hand', () => {
    const shared = new ArrayBuffer(64)
    const own = (n: number) => ({
      times: new Float64Array(n), sizes: new Float64Array(n), held: new Float64Array(n), meta: new Uint8Array(n), lengths: new Uint32Array(n),
      nameRefs: new Uint32Array(n), namespaceRefs: new Uint32Array(n), bytes: new Uint8Array(4), names: [],
    })
    const separate: FramePack = { n: 1, ...own(1) }
    const buffers = packTransfer(separate)
    expect(buffers).toHaveLength(8)
    expect(new Set(buffers).size).toBe(8)
    const mixed: FramePack = { ...separate, times: new Float64Array(shared, 0, 1), sizes: new Float64Array(shared, 8, 1), bytes: new Uint8Array(shared, 16, 4) }
    expect(packTransfer(mixed)).toEqual([shared, separate.held.buffer, separate.meta.buffer, separate.lengths.buffer, separate.nameRefs.buffer, separate.namespaceRefs.buffer])
    // The list is one a transfer takes (a buffer listed twice would throw).
    expect(() => structuredClone(mixed, { transfer: packTransfer(mixed) })).not.toThrow()
  })
})

describe('FramePackBuilder.addFrameIn: a raw WebSocket frame received, without its event', () => {
  // Sized as the raw WebSocket driver sizes them: UTF-8 bytes of text, bytes of binary.
  const received = () => frames().filter(e => e.dir === 'in' && e.transport === 'websocket')
    .map(e => ({ ...e, size: typeof e.data === 'string' ? utf8Length(e.data) : (e.data as ArrayBuffer).byteLength }))

  it('packs exactly what add() packs for the frame\'s event', () => {
    const byEvent = packOf(received())
    const builder = new FramePackBuilder()
    for (const event of received()) {
      expect(payloadFits(event.data as string | ArrayBuffer)).toBe(true)
      builder.addFrameIn(event.time, event.data as string | ArrayBuffer)
    }
    const direct = builder.finish()
    expect(direct.n).toBe(received().length)
    for (const column of ['times', 'sizes', 'held', 'meta', 'lengths', 'nameRefs', 'namespaceRefs', 'bytes'] as const)
      expect([...direct[column]], column).toEqual([...byEvent[column]])
  })

  it('payloadFits, which the host asks before it packs a frame, refuses what compactMeta refuses: a lone surrogate, text or bytes past MAX_ARENA_UNITS', () => {
    for (const data of ['a\uD800b', 'x'.repeat(MAX_ARENA_UNITS + 1), new ArrayBuffer(MAX_ARENA_UNITS + 1)]) {
      expect(compactMeta(draft('wire', 'frame', { data, size: 1 }) as never)).toBe(-1)
      expect(payloadFits(data)).toBe(false)
    }
    for (const data of ['x'.repeat(MAX_ARENA_UNITS), new ArrayBuffer(MAX_ARENA_UNITS)]) {
      expect(compactMeta(draft('wire', 'frame', { data, size: 1 }) as never)).toBeGreaterThan(0)
      expect(payloadFits(data)).toBe(true)
    }
  })
})

describe('FramePackBuilder reused', () => {
  it('starts each pack empty after finish(): no frame or byte of the earlier pack, which stays intact', () => {
    const builder = new FramePackBuilder()
    // A first pack large enough to grow the scratch arrays past their start (64 frames, 16 KiB).
    const big = Array.from({ length: 300 }, (_, i) => draft('wire', 'frame', { time: i, data: `frame ${i} `.repeat(20), size: 1 }))
    const first = packOf(big, builder)
    expect(first.n).toBe(300)
    expect(builder.byteLength).toBe(0)
    const second = packOf(frames(), builder)
    expect(second.n).toBe(frames().length)
    expect(second.bytes.length).toBe(second.times.buffer.byteLength - 37 * second.n)
    expect(comparable(unpackEvents(packCursor(second), second.n))).toEqual(comparable(frames()))
    // The first pack is its own buffer: building the second changed nothing in it.
    expect(unpackEvents(packCursor(first), first.n).map(e => e.data)).toEqual(big.map(e => e.data))
    const empty = builder.finish()
    expect([empty.n, empty.bytes.length, packTransfer(empty)[0]!.byteLength]).toEqual([0, 0, 0])
  })

  it('finishes into a buffer given back when it holds the pack (old bytes past the pack left alone), else a new exact one', () => {
    const builder = new FramePackBuilder()
    const used = new ArrayBuffer(4096)
    new Uint8Array(used).fill(0xee)
    add(builder, frames())
    const bytes = builder.packBytes
    const pack = builder.finish(used)
    expect(pack.times.buffer).toBe(used)
    expect(packTransfer(pack)).toEqual([used])
    expect(comparable(unpackEvents(packCursor(sent(pack)), frames().length))).toEqual(comparable(frames()))
    add(builder, frames())
    const small = new ArrayBuffer(bytes - 1)
    const fresh = builder.finish(small)
    expect(fresh.times.buffer).not.toBe(small)
    expect(fresh.times.buffer.byteLength).toBe(bytes)
  })
})

/**
 * What the Worker's host does with each event (src/protocol/worker/host.ts `record`): a plain frame, a packet event
 * that `compactPacket` takes or an application event that `compactAppText` takes goes into the pack (PACKED stands
 * in for it), anything else stays an object. A pack is
 * finished every `perPack` events, so runs and name tables span several packs; each pack crosses as a postMessage
 * would carry it, and the page takes it as `ThreadDriver.take` does: runs of PACKED to `appendPack`, objects to
 * `append`.
 */
function throughPacks(timeline: Timeline, events: DraftEvent[], perPack: number): number {
  const builder = new FramePackBuilder()
  let packed = 0
  for (let start = 0; start < events.length; start += perPack) {
    const slice = events.slice(start, start + perPack)
    const marks: (DraftEvent | typeof PACKED)[] = slice.map((event) => {
      const meta = compactMeta(event as never)
      const text = compactAppText(event as never)
      if (meta >= 0) builder.add(event as never, meta)
      else if (compactPacket(event as never)) builder.addPacket(event as never)
      else if (text !== undefined) builder.addApp(event as never, text)
      else return structuredClone(event)
      packed++
      return PACKED
    })
    const cursor = packCursor(sent(builder.finish()))
    for (let i = 0; i < marks.length; i++) {
      const mark = marks[i]!
      if (mark !== PACKED) {
        timeline.append(mark)
        continue
      }
      let count = 1
      while (marks[i + count] === PACKED) count++
      i += count - 1
      timeline.appendPack(cursor, count)
    }
    expect(cursor.index).toBe(cursor.pack.n)
    expect(cursor.offset).toBe(cursor.pack.bytes.length)
  }
  return packed
}

/** Frames in and out (ASCII, UTF-8, binary, empty), packet events with and without ack ids in several names and namespaces, and objects between them. */
const mixed = (): DraftEvent[] => [
  draft('lifecycle', 'open'),
  // Both names new: with one entry left in the table the name takes it (then a packet named so on / is compact).
  draft('socketio', 'packet', { time: 0.5, dir: 'in', name: 'NOOP', namespace: '/first' }),
  draft('wire', 'frame', { time: 1, data: '42["m",1]' }),
  draft('socketio', 'packet', { time: 1, dir: 'in', name: 'EVENT', namespace: '/' }),
  draft('app', 'event', { time: 1, name: 'm', detail: { args: [1] } }),
  draft('wire', 'frame', { time: 2, dir: 'out', transport: 'polling', data: '42/chat,7["안녕 🎉"]' }),
  draft('socketio', 'packet', { time: 2, dir: 'out', name: 'EVENT', namespace: '/chat', ackId: 7 }),
  draft('wire', 'frame', { time: 3, data: new Uint8Array([1, 0, 255, 0xc3]).buffer }),
  draft('socketio', 'packet', { time: 3, dir: 'in', name: 'BINARY_EVENT', namespace: '/chat', detail: { attachments: 1 } }),
  draft('socketio', 'packet', { time: 3.5, dir: 'in', name: 'ACK', namespace: '/chat', ackId: 0 }),
  draft('socketio', 'packet', { time: 4, dir: 'in', name: 'CONNECT', namespace: '/admin', detail: { data: { sid: 'x' } } }),
  draft('socketio', 'packet', { time: 4.5, dir: 'out', name: 'ACK', namespace: '/admin', ackId: 12345 }),
  draft('wire', 'frame', { time: 5, dir: 'out', data: '' }),
  draft('socketio', 'packet', { time: 5, dir: 'in', name: 'EVENT', namespace: '/ünï' }),
  draft('socketio', 'packet', { time: 5.5, dir: 'in', name: 'DISCONNECT', namespace: '/admin' }),
  draft('wire', 'frame', { time: 6, data: 'detail', detail: { note: 'kept whole' } as never }),
  draft('socketio', 'packet', { time: 6, dir: 'in', name: 'EVENT', namespace: '/' }),
  draft('app', 'event', { time: 6, name: 'm', detail: { args: [2, { 'ü': ['🎉', null, true, 0.1] }], ackRequested: true } }),
  // Binary: stays an object.
  draft('app', 'event', { time: 6.5, name: 'bin', detail: { args: [new Uint8Array([1, 2]).buffer] } }),
  draft('socketio', 'packet', { time: 7, dir: 'out', name: 'EVENT', namespace: '/late' }),
  draft('socketio', 'packet', { time: 7.5, dir: 'in', name: 'NOOP', namespace: '/' }),
  draft('wire', 'frame', { time: 8, data: '\uFEFFend' }),
]

const LAYERS = ['lifecycle', 'wire', 'engine', 'socketio', 'app'] as const
const DIRS = ['in', 'out', 'local'] as const

/** Everything a reader can ask a timeline, index by index. */
function observed(t: Timeline) {
  const facts = { dir: 'in' as 'in' | 'out', size: 0, time: 0 }
  return {
    length: t.length,
    bytes: t.bytes,
    dropped: t.dropped,
    seqNext: t.seqNext,
    firstSeq: t.firstSeq,
    eventsIn: t.eventsIn,
    counts: LAYERS.flatMap(layer => DIRS.map(dir => t.count(layer, dir))),
    events: comparable(Array.from({ length: t.length }, (_, i) => ({ ...t.get(i)!, seq: t.seqAt(i) }))),
    seqs: Array.from({ length: t.length }, (_, i) => t.get(i)!.seq),
    objects: Array.from({ length: t.length }, (_, i) => t.objectAt(i) !== undefined),
    frames: Array.from({ length: t.length }, (_, i) => t.frameFactsAt(i, facts) ? { ...facts } : false),
  }
}

/** A timeline whose table of names holds `names` entries (packets `EVENT` on namespaces /, /pre1, /pre2, ...). */
function prefilled(names: number, options?: ConstructorParameters<typeof Timeline>[0]): Timeline {
  const t = new Timeline(options)
  for (let i = 0; i < names - 1; i++) t.append(draft('socketio', 'packet', { time: 0, dir: 'in', name: 'EVENT', namespace: i === 0 ? '/' : `/pre${i}` }))
  return t
}

describe('FramePack: Socket.IO packet events', () => {
  it('packs a packet as a slot without bytes: its ack id in sizes (NaN: none), held 0, its names once in the pack', () => {
    const builder = new FramePackBuilder()
    builder.add(frames()[0] as never, compactMeta(frames()[0] as never))
    builder.addPacket(draft('socketio', 'packet', { time: 2, dir: 'out', name: 'EVENT', namespace: '/chat', ackId: 3 }) as never)
    builder.addPacket(draft('socketio', 'packet', { time: 3, dir: 'in', name: 'EVENT', namespace: '/' }) as never)
    builder.addPacket(draft('socketio', 'packet', { time: 4, dir: 'in', name: 'ACK', namespace: '/chat', ackId: 0 }) as never)
    const pack = sent(builder.finish())
    expect(pack.names).toEqual(['EVENT', '/chat', '/', 'ACK'])
    expect([...pack.sizes].slice(1)).toEqual([3, Number.NaN, 0])
    expect([...pack.held].slice(1)).toEqual([0, 0, 0])
    expect([...pack.lengths].slice(1)).toEqual([0, 0, 0])
    expect([...pack.nameRefs]).toEqual([0, 0, 0, 3])
    expect([...pack.namespaceRefs]).toEqual([0, 1, 2, 1])
    expect([...pack.meta].slice(1)).toEqual([COMPACT | PACKET | OUT, COMPACT | PACKET, COMPACT | PACKET])
    expect(pack.bytes.length).toBe(11)
    // Held as the timeline's own append charges it.
    expect(payloadBytes(draft('socketio', 'packet', { ackId: 3 }))).toBe(0)
    // The next pack has its own table.
    builder.addPacket(draft('socketio', 'packet', { time: 5, dir: 'in', name: 'ACK', namespace: '/x' }) as never)
    expect(builder.finish().names).toEqual(['ACK', '/x'])
    expect(comparable(unpackEvents(packCursor(pack), 4))).toEqual([
      comparable(frames().slice(0, 1))[0],
      { time: 2, layer: 'socketio', kind: 'packet', dir: 'out', name: 'EVENT', namespace: '/chat', ackId: 3 },
      { time: 3, layer: 'socketio', kind: 'packet', dir: 'in', name: 'EVENT', namespace: '/' },
      { time: 4, layer: 'socketio', kind: 'packet', dir: 'in', name: 'ACK', namespace: '/chat', ackId: 0 },
    ])
  })

  it.each([
    ['an empty name table', 0, 5, {}],
    ['a name table with one entry left', 4095, 5, {}],
    ['a name table with three entries left', 4093, 3, {}],
    ['a full name table', 4096, 7, {}],
    ['one pack, a cap dropping events', 0, 100, { maxEvents: 6 }],
    ['a byte budget dropping events', 0, 4, { maxBytes: 40 }],
  ] as const)('gives, through packs, the timeline append gives one by one: %s', (_, names, perPack, options) => {
    const oneByOne = prefilled(names, options)
    const packed = prefilled(names, options)
    const events = [...mixed(), ...mixed().map(e => ({ ...e, time: e.time + 100 }))]
    for (const event of events) oneByOne.append(structuredClone(event))
    const packedCount = throughPacks(packed, events, perPack)
    // Frames, packets and JSON application events crossed packed: all but the objects (lifecycle, the binary
    // application event, detail-carrying ones).
    expect(packedCount).toBe(events.length - 2 * 5)
    // The same answers to every question, but one: application events that crossed packed are kept compact too
    // (unless the table of names is full), where append keeps the object it is given.
    const { objects, ...rest } = observed(packed)
    const { objects: objectsOneByOne, ...restOneByOne } = observed(oneByOne)
    expect(rest).toEqual(restOneByOne)
    const json = (i: number) => packed.get(i)!.layer === 'app' && packed.get(i)!.name === 'm'
    const differ = objects.flatMap((object, i) => object === objectsOneByOne[i] ? [] : [i])
    // Only application events with JSON arguments differ, kept compact (all of them when their names fit), and,
    // in a table nearly full, packets whose names found it full because such an event's name took an entry.
    expect(differ.every(i => (json(i) && !objects[i]) || (names > 0 && packed.get(i)!.kind === 'packet' && objects[i]))).toBe(true)
    if (names === 0) expect(differ.length).toBe(objects.filter((_, i) => json(i)).length)
    if (names === 4096) expect(differ).toEqual([])
  })

  it('keeps a packet as an exact object when its names do not fit the table, as append does', () => {
    const oneByOne = prefilled(4096)
    const packed = prefilled(4096)
    const events = mixed()
    for (const event of events) oneByOne.append(structuredClone(event))
    throughPacks(packed, events, 100)
    const chat = events.findIndex(e => e.namespace === '/chat' && e.kind === 'packet')
    const at = packed.length - events.length + chat
    expect(packed.objectAt(at)).toEqual({ seq: packed.seqAt(at), time: 2, layer: 'socketio', kind: 'packet', dir: 'out', name: 'EVENT', namespace: '/chat', ackId: 7 })
    expect(packed.get(at)).toEqual(oneByOne.get(at))
    // One already in the table stays compact.
    const root = at - 3
    expect(packed.get(root)).toMatchObject({ kind: 'packet', namespace: '/' })
    expect(packed.objectAt(root)).toBeUndefined()
    expect([packed.count('socketio', 'in'), packed.count('socketio', 'out'), packed.count('wire', 'in')])
      .toEqual([oneByOne.count('socketio', 'in'), oneByOne.count('socketio', 'out'), oneByOne.count('wire', 'in')])
  })
})

/** An application event as the Socket.IO drivers record it (session.ts `recordEvent`), keys in their order. */
function appEventOf(time: number, name: string, namespace: string, args: unknown[], ackRequested = false): AppEventEvent {
  return { seq: 0, time, layer: 'app', kind: 'event', dir: 'in', name, namespace, detail: ackRequested ? { args, ackRequested: true } : { args } }
}

/** Arguments whose JSON text `JSON.parse` gives back exactly. */
const exactArgs = (): unknown[][] => [
  [],
  ['plain', 'ünïcode 한국어 🎉', '\ud800 lone surrogate', '\u2028\u2029', '\uFEFFbom', ''],
  [0, -5, 0.1, 1e21, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2],
  [null, true, false, { nested: { deeper: [1, [2, [3, { four: 4 }]]] }, empty: {}, list: [] }],
  [JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "toJSON": "not a function"}')],
]

describe('FramePack: Socket.IO application events', () => {
  it('compactAppText takes events whose arguments JSON gives back exactly, with or without an ack asked', () => {
    for (const args of exactArgs()) {
      const text = compactAppText(appEventOf(1, 'e', '/', args))
      expect(text).toBe(JSON.stringify(args))
      expect(JSON.parse(text!)).toEqual(args)
    }
    expect(compactAppText(appEventOf(1, 'e', '/chat', [1], true))).toBe('[1]')
  })

  class Point {
    x = 1
  }
  let deep: unknown = 'bottom'
  for (let i = 0; i < 40; i++) deep = [deep]
  const holes = [1, , 3] // eslint-disable-line no-sparse-arrays
  it.each([
    ['-0, which JSON writes as 0', [-0]],
    ['NaN', [Number.NaN]],
    ['Infinity', [{ a: Number.POSITIVE_INFINITY }]],
    ['undefined', [undefined]],
    ['an undefined field', [{ a: undefined }]],
    ['binary', [new Uint8Array([1]).buffer]],
    ['a typed array', [new Uint8Array([1])]],
    ['a date', [new Date(0)]],
    ['a map', [new Map()]],
    ['an array with a hole', [holes]],
    ['a class instance', [new Point()]],
    ['an object without a prototype', [Object.create(null)]],
    ['a bigint', [1n]],
    ['a function', [() => 1]],
    ['a symbol', [Symbol('s')]],
    ['nesting deeper than 32 levels', [deep]],
    ['more than 512 values', [Array.from({ length: 600 }, (_, i) => i)]],
    ['a text over MAX_APP_TEXT', ['x'.repeat(MAX_APP_TEXT)]],
  ])('compactAppText leaves an event with %s an object', (_, args) => {
    expect(compactAppText(appEventOf(1, 'e', '/', args as unknown[]))).toBeUndefined()
  })

  it.each([
    ['an ack (kind)', { ...appEventOf(1, 'e', '/', [1]), kind: 'ack', rttMs: 3 }],
    ['an emit (direction)', { ...appEventOf(1, 'e', '/', [1]), kind: 'emit', dir: 'out' }],
    ['another detail key', { ...appEventOf(1, 'e', '/', [1]), detail: { args: [1], extra: 1 } }],
    ['ackRequested false', { ...appEventOf(1, 'e', '/', [1]), detail: { args: [1], ackRequested: false } }],
    ['args not an array', { ...appEventOf(1, 'e', '/', [1]), detail: { args: { 0: 1 } } }],
    ['no detail', { ...appEventOf(1, 'e', '/', [1]), detail: undefined }],
    ['a reason', { ...appEventOf(1, 'e', '/', [1]), reason: 'why' }],
    ['an ack id', { ...appEventOf(1, 'e', '/', [1]), ackId: 3 }],
    ['no namespace', { ...appEventOf(1, 'e', '/', [1]), namespace: undefined }],
  ])('compactAppText leaves %s an object', (_, event) => {
    expect(compactAppText(event as never)).toBeUndefined()
  })

  it('packs an event as its arguments\' text, its names in the table, and unpacks and appends it as it was, keys in order', () => {
    const events = [
      draft('wire', 'frame', { time: 1, data: '42["e",1]', size: 9 }),
      ...exactArgs().map((args, i) => appEventOf(2 + i, i % 2 ? 'e' : 'ünï', i % 3 ? '/' : '/chat', args, i === 1)),
      draft('wire', 'frame', { time: 9, data: 'after', size: 5 }),
    ]
    const builder = new FramePackBuilder()
    const marks = events.map((event) => {
      const meta = compactMeta(event as never)
      if (meta >= 0) builder.add(event as never, meta)
      else builder.addApp(event as AppEventEvent, compactAppText(event as never)!)
      return PACKED
    })
    const pack = sent(builder.finish())
    expect(pack.names).toEqual(['ünï', '/chat', 'e', '/'])
    expect([...pack.meta].slice(1, 3)).toEqual([COMPACT | APP | ASCII, COMPACT | APP | ASKS_ACK])
    expect([...pack.held]).toEqual([18, 0, 0, 0, 0, 0, 10])
    // The application events' keys in the drivers' order (the frames here are drafts, in another).
    const order = (list: readonly { layer: string }[]) => list.filter(e => e.layer === 'app').map(e => JSON.stringify(e))
    const unpacked = unpackEvents(packCursor(pack), marks.length)
    expect(order(unpacked)).toEqual(order(events))
    expect(comparable(unpacked)).toEqual(comparable(events))

    const oneByOne = new Timeline()
    for (const event of events) oneByOne.append(structuredClone(event))
    const timeline = new Timeline()
    const again = sent((() => {
      for (const event of events) {
        const meta = compactMeta(event as never)
        if (meta >= 0) builder.add(event as never, meta)
        else builder.addApp(event as AppEventEvent, compactAppText(event as never)!)
      }
      return builder.finish()
    })())
    timeline.appendPack(packCursor(again), events.length)
    const read = timeline.toArray()
    expect(order(read)).toEqual(order(events.map((event, i) => ({ ...event, seq: i + 1 }))))
    expect(read).toEqual(oneByOne.toArray())
    // The lone surrogate survives (JSON escapes it; the pack's text is well-formed UTF-8).
    expect(((read[2] as AppEventEvent).detail.args[2] as string).charCodeAt(0)).toBe(0xd800)
    expect([timeline.eventsIn, timeline.count('app', 'in'), timeline.bytes]).toEqual([oneByOne.eventsIn, oneByOne.count('app', 'in'), oneByOne.bytes])
    expect(timeline.eventsIn).toBe(exactArgs().length)
    const facts = { dir: 'in' as 'in' | 'out', size: 0, time: 0 }
    for (let i = 1; i <= exactArgs().length; i++) {
      expect(timeline.objectAt(i)).toBeUndefined()
      expect(timeline.frameFactsAt(i, facts)).toBe(false)
      expect(timeline.matchCompactText(i, byteNeedle('e', false)!)).toBeUndefined()
      // Made once while on screen: the same object again.
      expect(timeline.get(i)).toBe(timeline.get(i))
    }
    // The frames on either side read whole: the read-ahead stops at an application event's text.
    expect(timeline.get(0)!.data).toBe('42["e",1]')
    expect(timeline.get(events.length - 1)!.data).toBe('after')
  })

  it('frees an event\'s text with it: a stream of them past the cap holds the arena steady', () => {
    const timeline = new Timeline({ maxEvents: 1000 })
    const builder = new FramePackBuilder()
    const args = [{ text: 'x'.repeat(200), n: 1 }]
    const text = compactAppText(appEventOf(0, 'tick', '/', args))!
    const peak: number[] = []
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 1000; i++) builder.addApp(appEventOf(round * 1000 + i, 'tick', '/', args), text)
      timeline.appendPack(packCursor(sent(builder.finish())), 1000)
      peak.push(timeline.arenaBytes)
    }
    expect(timeline.length).toBe(1000)
    expect(timeline.dropped).toBe(39_000)
    expect(Math.max(...peak.slice(10))).toBeLessThanOrEqual(Math.max(...peak.slice(0, 10)))
    expect((timeline.get(999) as AppEventEvent).detail.args).toEqual(args)
    expect(timeline.eventsIn).toBe(40_000)
  })

  it('keeps an event as an exact object when its names do not fit the table', () => {
    const timeline = prefilled(4096)
    const builder = new FramePackBuilder()
    const event = appEventOf(5, 'new name', '/', [{ a: [1, 'ü'] }], true)
    builder.addApp(event, compactAppText(event)!)
    timeline.appendPack(packCursor(sent(builder.finish())), 1)
    const at = timeline.length - 1
    expect(timeline.objectAt(at)).toEqual({ ...event, seq: timeline.seqAt(at) })
    expect(timeline.eventsIn).toBe(1)
  })
})

/**
 * A FramePack as the driver Worker makes and sends it (src/timeline/framePack.ts): one exact-size ArrayBuffer whose
 * aligned views are the columns, transferred whole through the structured clone, then read by the page's
 * `Timeline.appendPack` or `unpackFrames`; and the builder, reused across packs.
 */
import { describe, expect, it } from 'vitest'
import type { DraftEvent } from '../../src/protocol/types'
import { compactMeta, FramePackBuilder, packCursor, packTransfer, unpackFrames, type FramePack } from '../../src/timeline/framePack'
import { Timeline } from '../../src/timeline/timeline'
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
  it('round-trips ASCII, non-ASCII UTF-8, a leading U+FEFF, binary and empty payloads through a transfer into appendPack and unpackFrames', () => {
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

    const unpacked = unpackFrames(packCursor(sent(packOf(frames()))), frames().length)
    expect(comparable(unpacked)).toEqual(comparable(frames()))
    expect((unpacked[2]!.data as string).charCodeAt(0)).toBe(0xfeff)
  })

  it('is one ArrayBuffer of the exact size, which packTransfer returns alone', () => {
    const pack = packOf(frames())
    const buffers = packTransfer(pack)
    expect(buffers).toHaveLength(1)
    const payload = frames().reduce((sum, e) => sum + (typeof e.data === 'string' ? new TextEncoder().encode(e.data).length : (e.data as ArrayBuffer).byteLength), 0)
    expect(buffers[0]!.byteLength).toBe(29 * pack.n + payload)
    for (const column of [pack.times, pack.sizes, pack.held, pack.meta, pack.lengths, pack.bytes]) expect(column.buffer).toBe(buffers[0])
  })

  it.each([1, 3, 7, 65, 129])('keeps every column aligned, apart and in bounds for %i frames', (n) => {
    const events = Array.from({ length: n }, (_, i) => draft('wire', 'frame', { time: i + 0.5, data: 'x'.repeat(i % 5), size: i % 5 }))
    const pack = packOf(events)
    const { times, sizes, held, lengths, meta, bytes } = pack
    for (const column of [times, sizes, held]) {
      expect(column.byteOffset % 8).toBe(0)
      expect(column.length).toBe(n)
    }
    expect(lengths.byteOffset % 4).toBe(0)
    expect([lengths.length, meta.length]).toEqual([n, n])
    // End to end without overlap: times, sizes, held, lengths, meta, bytes.
    const spans = [times, sizes, held, lengths, meta, bytes].map(c => [c.byteOffset, c.byteOffset + c.byteLength])
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1])
    expect(spans.at(-1)![1]).toBe(times.buffer.byteLength)
    expect([...times]).toEqual(events.map(e => e.time))
    expect([...lengths]).toEqual(events.map(e => (e.data as string).length))
    expect(unpackFrames(packCursor(pack), n).map(e => e.data)).toEqual(events.map(e => e.data))
  })

  it('packTransfer gives each distinct buffer once for a pack made by hand', () => {
    const shared = new ArrayBuffer(64)
    const own = (n: number) => ({ times: new Float64Array(n), sizes: new Float64Array(n), held: new Float64Array(n), meta: new Uint8Array(n), lengths: new Uint32Array(n), bytes: new Uint8Array(4) })
    const separate: FramePack = { n: 1, ...own(1) }
    const buffers = packTransfer(separate)
    expect(buffers).toHaveLength(6)
    expect(new Set(buffers).size).toBe(6)
    const mixed: FramePack = { ...separate, times: new Float64Array(shared, 0, 1), sizes: new Float64Array(shared, 8, 1), bytes: new Uint8Array(shared, 16, 4) }
    expect(packTransfer(mixed)).toEqual([shared, separate.held.buffer, separate.meta.buffer, separate.lengths.buffer])
    // The list is one a transfer takes (a buffer listed twice would throw).
    expect(() => structuredClone(mixed, { transfer: packTransfer(mixed) })).not.toThrow()
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
    expect(second.bytes.length).toBe(second.times.buffer.byteLength - 29 * second.n)
    expect(comparable(unpackFrames(packCursor(second), second.n))).toEqual(comparable(frames()))
    // The first pack is its own buffer: building the second changed nothing in it.
    expect(unpackFrames(packCursor(first), first.n).map(e => e.data)).toEqual(big.map(e => e.data))
    const empty = builder.finish()
    expect([empty.n, empty.bytes.length, packTransfer(empty)[0]!.byteLength]).toEqual([0, 0, 0])
  })
})

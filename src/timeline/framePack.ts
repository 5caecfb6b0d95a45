/**
 * Plain wire frames in the form the timeline keeps them (./timeline.ts): which frames qualify (`compactMeta`), and
 * a `FramePack`, a run of such frames as typed arrays and UTF-8 bytes, which the driver Worker hands the page
 * instead of one cloned object per frame. The page's `Timeline.appendPack` copies the bytes into its arena without
 * ever making a string or an object, so a flood costs the UI thread a few array writes per frame.
 *
 * A finished pack is ONE ArrayBuffer of the exact size, its columns laid out in it aligned for their types (the three
 * Float64 columns first, at offsets that are multiples of 8, then the Uint32 lengths, then meta, then the payload
 * bytes), so a batch transfers one buffer per pack rather than six. The builder is reused: `finish()` copies into
 * that buffer and resets it, keeping its grown scratch arrays for the next pack.
 */
import type { FrameEvent, PacketEvent } from '../protocol/events'
import type { TimelineEvent, TransportName } from '../protocol/types'
import { copyAscii, MAX_ARENA_UNITS, roundTripsUtf8 } from './payloadArena'

// A compact frame's `meta` byte (0 is never one).
export const COMPACT = 1
export const OUT = 2
export const BINARY = 4
const TRANSPORT_SHIFT = 3
const TRANSPORT_MASK = 3
/** Text that is all ASCII: its bytes are its code units, so a run of such frames decodes in one call. */
export const ASCII = 32
/**
 * A compact slot holding a Socket.IO packet event (no payload: the timeline keeps its name and namespace as indexes
 * into a table of names, its ack id in the size column).
 */
export const PACKET = 64
const TRANSPORTS: readonly TransportName[] = ['websocket', 'polling', 'webtransport']

export function transportOf(meta: number): TransportName {
  return TRANSPORTS[(meta >> TRANSPORT_SHIFT) & TRANSPORT_MASK]!
}

function transportCode(transport: TransportName | undefined): number {
  return transport === 'websocket' ? 0 : transport === 'polling' ? 1 : transport === 'webtransport' ? 2 : -1
}

/** None of the fields a compact slot has no column for: a round trip, an attempt, a delay, a code, a reason, words. */
function noOtherFields(event: TimelineEvent): boolean {
  return event.rttMs === undefined && event.attempt === undefined && event.delayMs === undefined && event.code === undefined
    && event.reason === undefined && event.explain === undefined
}

/**
 * The `meta` byte `event` is kept compact with (without ASCII, which the copy finds out), or -1: only a plain wire
 * frame (in or out, a known transport, a number for its size, no detail or other field) whose payload is binary or
 * text that survives UTF-8, and not longer than MAX_ARENA_UNITS. Anything else it may carry keeps it an object, so
 * nothing is lost.
 */
export function compactMeta(event: TimelineEvent): number {
  if (event.layer !== 'wire' || event.kind !== 'frame' || event.detail !== undefined) return -1
  if (event.name !== undefined || event.namespace !== undefined || event.ackId !== undefined || !noOtherFields(event)) return -1
  const transport = transportCode(event.transport)
  if (transport < 0 || typeof event.size !== 'number' || (event.dir !== 'in' && event.dir !== 'out')) return -1
  const meta = COMPACT | (event.dir === 'out' ? OUT : 0) | transport << TRANSPORT_SHIFT
  const data = event.data
  if (typeof data === 'string') return data.length <= MAX_ARENA_UNITS && roundTripsUtf8(data) ? meta : -1
  if (data instanceof ArrayBuffer) return data.byteLength <= MAX_ARENA_UNITS ? meta | BINARY : -1
  return -1
}

/**
 * Whether `event` is a Socket.IO packet event that a compact slot can hold whole: a name and a namespace, maybe a
 * finite ack id, nothing else (a CONNECT's data or a binary packet's attachments are a detail: an object).
 */
export function compactPacket(event: TimelineEvent): event is PacketEvent {
  return event.layer === 'socketio' && event.kind === 'packet' && event.detail === undefined
    && (event.dir === 'in' || event.dir === 'out') && typeof event.name === 'string' && typeof event.namespace === 'string'
    && (event.ackId === undefined || Number.isFinite(event.ackId))
    && event.data === undefined && event.size === undefined && event.transport === undefined && noOtherFields(event)
}

/** `n` frames: their fields in columns, their payloads end to end in `bytes` (plain data, transferable). */
export interface FramePack {
  n: number
  times: Float64Array
  sizes: Float64Array
  /** `payloadBytes` of each frame (UTF-16 for text), for the timeline's byte budget. */
  held: Float64Array
  meta: Uint8Array
  /** Each payload's length in `bytes` (UTF-8 for text). */
  lengths: Uint32Array
  bytes: Uint8Array
}

/** Where a reader of a pack is: the next frame, and where its bytes start. */
export interface PackCursor {
  pack: FramePack
  index: number
  offset: number
}

export function packCursor(pack: FramePack): PackCursor {
  return { pack, index: 0, offset: 0 }
}

/**
 * The buffers a pack owns, to transfer rather than copy: each once (a built pack's columns share one buffer; a pack
 * made otherwise may have several, or views sharing some).
 */
export function packTransfer(pack: FramePack): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = []
  for (const column of [pack.times, pack.sizes, pack.held, pack.meta, pack.lengths, pack.bytes]) {
    const buffer = column.buffer as ArrayBuffer
    if (!buffers.includes(buffer)) buffers.push(buffer)
  }
  return buffers
}

const encoder = new TextEncoder()
// ignoreBOM: a frame that starts with U+FEFF keeps it (the default decoder drops a leading BOM).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

/** The next `count` frames of a pack as drafts, for a sink that takes events one by one (the cursor moves on). */
export function unpackFrames(cursor: PackCursor, count: number): FrameEvent[] {
  const { pack } = cursor
  const frames: FrameEvent[] = []
  for (let n = 0; n < count; n++) {
    const i = cursor.index++
    const meta = pack.meta[i]!
    const bytes = pack.bytes.subarray(cursor.offset, cursor.offset += pack.lengths[i]!)
    frames.push(frameEvent(meta, 0, pack.times[i]!, pack.sizes[i]!, meta & BINARY ? bytes.slice().buffer : decoder.decode(bytes)))
  }
  return frames
}

/** The frame a compact `meta` byte and its fields stand for, in the key order the drivers write. */
export function frameEvent(meta: number, seq: number, time: number, size: number, data: string | ArrayBuffer): FrameEvent {
  return { seq, time, layer: 'wire', kind: 'frame', dir: meta & OUT ? 'out' : 'in', transport: transportOf(meta), size, data }
}

/** Payload scratch a builder starts with, and goes back to after a pack that used little of a larger one. */
const START_BYTES = 16 * 1024
/** Payload scratch a builder keeps whatever the next pack needs (a flood of 64-byte frames needs ~150 KiB a batch). */
const KEEP_BYTES = 1024 * 1024

/**
 * Builds FramePacks frame by frame, growing its scratch arrays by doubling. Reusable: `finish()` resets it and keeps
 * the arrays, so a flood's batches stop allocating (payload scratch past KEEP_BYTES is let go after a pack that used
 * under a quarter of it, so one burst of large frames is not held for good).
 */
export class FramePackBuilder {
  private n = 0
  private capacity = 64
  private times = new Float64Array(this.capacity)
  private sizes = new Float64Array(this.capacity)
  private held = new Float64Array(this.capacity)
  private meta = new Uint8Array(this.capacity)
  private lengths = new Uint32Array(this.capacity)
  private bytes = new Uint8Array(START_BYTES)
  private used = 0

  /** Payload bytes written so far. */
  get byteLength(): number {
    return this.used
  }

  /** Add `event`, whose `compactMeta` is `meta` (≥ 0). */
  add(event: TimelineEvent, meta: number): void {
    if (this.n === this.capacity) this.grow()
    const data = event.data!
    const i = this.n++
    this.times[i] = event.time
    this.sizes[i] = event.size!
    this.meta[i] = meta
    if (typeof data === 'string') {
      this.room(data.length * 3)
      const written = this.copyText(data)
      if (written === data.length) this.meta[i] = meta | ASCII
      this.lengths[i] = written
      this.used += written
      this.held[i] = data.length * 2
    }
    else {
      this.room(data.byteLength)
      this.bytes.set(new Uint8Array(data), this.used)
      this.lengths[i] = data.byteLength
      this.used += data.byteLength
      this.held[i] = data.byteLength
    }
  }

  /**
   * The frames added since the last `finish()` as a pack: one ArrayBuffer of the exact size, the columns views into
   * it (times, sizes, held at 0, 8n, 16n; lengths at 24n; meta at 28n; bytes at 29n). The builder is then empty,
   * ready for the next pack.
   */
  finish(): FramePack {
    const n = this.n
    const used = this.used
    const buffer = new ArrayBuffer(29 * n + used)
    const pack: FramePack = {
      n,
      times: new Float64Array(buffer, 0, n),
      sizes: new Float64Array(buffer, 8 * n, n),
      held: new Float64Array(buffer, 16 * n, n),
      lengths: new Uint32Array(buffer, 24 * n, n),
      meta: new Uint8Array(buffer, 28 * n, n),
      bytes: new Uint8Array(buffer, 29 * n, used),
    }
    pack.times.set(this.times.subarray(0, n))
    pack.sizes.set(this.sizes.subarray(0, n))
    pack.held.set(this.held.subarray(0, n))
    pack.lengths.set(this.lengths.subarray(0, n))
    pack.meta.set(this.meta.subarray(0, n))
    pack.bytes.set(this.bytes.subarray(0, used))
    this.n = 0
    this.used = 0
    if (this.bytes.length > KEEP_BYTES && used < this.bytes.length / 4) this.bytes = new Uint8Array(START_BYTES)
    return pack
  }

  /** Copy `text` as UTF-8 at `used` (ASCII by a plain loop: see PayloadArena.writeText); bytes written. */
  private copyText(text: string): number {
    return copyAscii(text, this.bytes, this.used) ? text.length : encoder.encodeInto(text, this.bytes.subarray(this.used)).written
  }

  private grow(): void {
    this.capacity *= 2
    this.times = resized(this.times, this.capacity)
    this.sizes = resized(this.sizes, this.capacity)
    this.held = resized(this.held, this.capacity)
    this.meta = resized(this.meta, this.capacity)
    this.lengths = resized(this.lengths, this.capacity)
  }

  /** Make sure `bytes` has `more` free bytes. */
  private room(more: number): void {
    if (this.used + more <= this.bytes.length) return
    this.bytes = resized(this.bytes, Math.max(this.bytes.length * 2, this.used + more))
  }
}

function resized<T extends Float64Array | Uint32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length)
  next.set(array)
  return next
}

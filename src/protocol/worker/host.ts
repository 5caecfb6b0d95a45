/**
 * The driver Worker's side: it builds the drivers the page asks for (`buildDriver`, the same code as on the page),
 * runs their sockets, and hands the page their events in batches. Receiving a frame, parsing it (Engine.IO,
 * Socket.IO, msgpack) and timestamping it all happen here, so a render or a garbage collection on the page never
 * delays a frame's timestamp, and a flood's receive tasks never block a click.
 *
 * Batching: the first event after a batch was sent arms a timer; the batch goes when it fires, when it holds
 * MAX_BATCH events or MAX_PACKED_BYTES of packed payloads, or at once before anything else is told (a state, a send's
 * result, a disposal), so the page always has a send's own events before its result.
 *
 * The timer is adaptive. It waits BATCH_MS (4 ms) for a trickle, and STREAM_MS (16 ms) while events stream: a batch
 * its timer sent holding at least STREAM_RATE events per ms of its wait (8 after 4 ms, 32 after 16 ms: 2,000 events/s
 * or more), or a batch sent full, makes the next wait STREAM_MS; a batch its timer sent holding fewer makes it
 * BATCH_MS again; a batch sent early (a state, a send's result, a disposal) leaves it as it was. So a flood makes ~60
 * posts a second rather than 250, and no event ever waits more than STREAM_MS (the timer is armed by the first event
 * of a batch); once a stream stops, only the first batch after it waits the longer time.
 *
 * Each batch says whether the host is mid-stream (`streaming`), and STREAM_MS after a streaming batch with no event
 * since, an `idle` message says the stream paused. The page's UI tick waits for that word before it takes a lull for
 * the end of a flood: on two busy cores a batch often reaches the page more than 25 ms after the one before (the
 * Worker's timer runs late, the page's tasks queue), and every such lull taken for the end drew the timeline again,
 * ~5 times a second in a trace where the update budget asked for once (src/composables/useTimelineTick.ts).
 *
 * Events are copied by the structured clone (never transferred: a Socket.IO binary argument may share its
 * ArrayBuffer with the frame that carried it, in a later batch).
 *
 * Plain frames, Socket.IO packet events without a detail and application events whose arguments JSON holds exactly
 * (what floods are made of: a Socket.IO message is a frame, a packet event and an application event) go packed when
 * the page asked for it: a segment's such events become one FramePack (typed arrays and UTF-8 bytes, an application
 * event's arguments as their JSON text, names and namespaces as indexes into the pack's small table of names;
 * ../../timeline/framePack.ts) whose buffer is transferred, not cloned, each one's place among the segment's events
 * marked by PACKED; the page's timeline takes them without making an object per event. A raw WebSocket's frames
 * received do not even become events here: the driver hands over their time and data (DriverHooks.onFrameIn) and they
 * go into the pack at once (`recordFrameIn`). A pack is
 * one buffer; the builders that make them are kept (a few spare) and reused, so a flood's batches do not allocate
 * growing scratch arrays each time, and the page gives each pack's buffer back once it has taken the pack in
 * (`recycle`), so a flood's packs are written into memory already touched.
 *
 * Pure TypeScript with no Worker globals: `post` is the worker's `postMessage`, or a MessagePort's in tests.
 */
import type { DriverEnv, DriverSpec } from '../driverSpec'
import { buildDriver } from '../driverSpec'
import type { AppEventEvent, DraftEvent, PacketEvent } from '../events'
import type { ConnectionState, Driver } from '../types'
import type { SocketIoDriver } from '../socketio-core/types'
import { PACKED, type FromHost, type Segment, type ToHost } from './messages'
import { cloneable, restoreDeep, type DeepValue } from './cloneable'
import { message as messageRef } from '../message'
import type { TimelineEvent } from '../types'
import { compactAppText, compactMeta, compactPacket, FramePackBuilder, packTransfer, payloadFits } from '../../timeline/framePack'

/** How long events wait for company before they go (ms) when they trickle: a few per frame at most, little delay. */
export const BATCH_MS = 4
/** How long they wait while events stream (see the top comment): one batch per display frame, at most. */
export const STREAM_MS = 16
/** Events per ms of a timer's wait (2,000 a second) from which the events count as streaming. */
export const STREAM_RATE = 2
/** Spare pack builders kept for the next batches (a batch needs one per segment with plain frames). */
const SPARE_BUILDERS = 4
/** Pack buffers the page gave back, kept for the next packs. */
const SPARE_BUFFERS = 4
/** The smallest pack buffer made: packs of a trickle share a few of this size rather than each getting its own. */
const MIN_BUFFER = 64 * 1024
/** The most events in one batch: a flood's batch is sent when full, so the page's task to take it stays short. */
export const MAX_BATCH = 2048
/** A batch is also sent once its packed payloads reach this many bytes, so large frames do not pile up. */
export const MAX_PACKED_BYTES = 4 * 1024 * 1024

type Post = (message: FromHost, transfer?: Transferable[]) => void

interface Hosted {
  driver?: Driver
  /** Messages that arrived while the driver was being built, replayed in order once it exists. */
  waiting: ToHost[]
  namespacesKey: string
  bufferedAmount: number
}

export class DriverHost {
  private readonly hosted = new Map<number, Hosted>()
  private segments: Segment[] = []
  private pending = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Armed by a streaming batch: tells the page `idle` if nothing was recorded STREAM_MS after it. */
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  /** The packs being filled, one per segment of the batch that has plain frames. */
  private packs = new Map<Segment, FramePackBuilder>()
  /** Builders the last batches finished with, reused (each keeps its grown arrays). */
  private spare: FramePackBuilder[] = []
  /** Buffers of earlier packs the page sent back, for the next packs. */
  private buffers: ArrayBuffer[] = []
  /** Pack buffers made here (not given back): a flood's should stop growing after its first batches. */
  buffersMade = 0
  private packedBytes = 0
  /** The timer's next wait: BATCH_MS, or STREAM_MS while events stream. */
  private wait = BATCH_MS

  constructor(private readonly post: Post, private readonly env: DriverEnv = {}) {}

  receive(message: ToHost): void {
    if (message.t === 'recycle') {
      for (const buffer of message.buffers) {
        if (this.buffers.length === SPARE_BUFFERS) this.buffers.shift()
        this.buffers.push(buffer)
      }
      return
    }
    if (message.t === 'create') {
      void this.create(message.id, message.spec, message.packs === true)
      return
    }
    const hosted = this.hosted.get(message.id)
    if (!hosted) {
      // A call for a driver that failed to build or is gone: a send still gets its answer.
      if (message.t === 'send') this.post({ t: 'sent', id: message.id, call: message.call, result: { ok: false, error: messageRef('protocol.send.closed') } })
      return
    }
    if (!hosted.driver) hosted.waiting.push(message)
    else this.apply(message.id, hosted, message)
  }

  private async create(id: number, spec: DriverSpec, packs: boolean): Promise<void> {
    const hosted: Hosted = { waiting: [], namespacesKey: '', bufferedAmount: 0 }
    this.hosted.set(id, hosted)
    let driver: Driver
    try {
      driver = await buildDriver(spec, event => this.record(id, event, packs), {
        onState: state => this.state(id, state),
        onFrameIn: packs ? (time, data) => this.recordFrameIn(id, time, data) : undefined,
      }, this.env)
    }
    catch (err) {
      this.hosted.delete(id)
      this.post({ t: 'created', id, state: 'closed', error: String((err as Error)?.message ?? err) })
      return
    }
    hosted.driver = driver
    this.post({ t: 'created', id, state: driver.state })
    for (const message of hosted.waiting.splice(0)) this.apply(id, hosted, message)
  }

  private apply(id: number, hosted: Hosted, message: ToHost): void {
    const driver = hosted.driver!
    if (message.t === 'send') {
      if (message.deep) restoreDeep([message.message], message.deep)
      void driver.send(message.message).then(
        result => result,
        (err: unknown) => ({ ok: false, error: messageRef('protocol.send.failed', { error: String((err as Error)?.message ?? err) }) }),
      ).then((result) => {
        // The send's own events (the frame out, the ack) reach the page before its result.
        this.flush()
        this.post({ t: 'sent', id, call: message.call, result })
      })
      return
    }
    if (message.t !== 'call') return
    const target = driver as unknown as Record<string, (...args: unknown[]) => void>
    target[message.method]?.(...message.args)
    if (message.method === 'dispose') {
      // Gone from the map: its states are not told any more (`state`), and calls for it are refused (`receive`).
      this.hosted.delete(id)
      this.flush()
      this.post({ t: 'disposed', id })
    }
    else if (driver.type === 'socketio' && (message.method === 'addNamespace' || message.method === 'removeNamespace')) {
      // Leaving a namespace may record nothing: its removal is still news for the page's mirror.
      this.segmentOf(id)
      this.armTimer()
    }
  }

  /** The driver's segment at the end of the batch, opened when the last one is another driver's or ends in a state. */
  private segmentOf(id: number): Segment {
    let last = this.segments[this.segments.length - 1]
    if (!last || last.id !== id || last.state !== undefined) {
      last = { id, events: [] }
      this.segments.push(last)
    }
    return last
  }

  private armTimer(): void {
    this.timer ??= setTimeout(this.timed, this.wait)
  }

  /** The timer fired: send the batch, and wait longer next time if it was a stream's. */
  private readonly timed = (): void => {
    this.timer = undefined
    const streaming = this.pending >= STREAM_RATE * this.wait
    this.wait = streaming ? STREAM_MS : BATCH_MS
    this.flush()
  }

  /** STREAM_MS after a streaming batch: nothing recorded since means the stream paused. */
  private readonly idleCheck = (): void => {
    this.idleTimer = undefined
    if (this.segments.length === 0) this.post({ t: 'idle' })
  }

  /** The drivers' sink; `packs`: the page takes this driver's plain frames, packet and application events packed. */
  private record(id: number, event: DraftEvent, packs = false): void {
    const segment = this.segmentOf(id)
    if (!packs || !this.pack(segment, event as TimelineEvent)) segment.events.push(event)
    this.recorded()
  }

  /**
   * A raw WebSocket's frame received (DriverHooks.onFrameIn), packed without an event object; false leaves it to the
   * sink (a payload a pack does not hold, `payloadFits`: asked before a pack is opened for it).
   */
  private recordFrameIn(id: number, time: number, data: string | ArrayBuffer): boolean {
    if (!payloadFits(data)) return false
    const segment = this.segmentOf(id)
    const builder = this.builderOf(segment)
    const before = builder.byteLength
    builder.addFrameIn(time, data)
    this.packedBytes += builder.byteLength - before
    segment.events.push(PACKED)
    this.recorded()
    return true
  }

  /** One more event in the batch: send it when full, else make sure the timer runs. */
  private recorded(): void {
    if (++this.pending >= MAX_BATCH || this.packedBytes >= MAX_PACKED_BYTES) {
      this.wait = STREAM_MS
      this.flush()
    }
    else {
      this.armTimer()
    }
  }

  /**
   * Add `event` to the pack of `segment` (PACKED stands in its events) when it is a plain frame, a packet event or an
   * application event that a pack holds (framePack.ts `compactMeta`, `compactPacket`, `compactAppText`); false when
   * it is none of these and goes as an object.
   */
  private pack(segment: Segment, event: TimelineEvent): boolean {
    const meta = compactMeta(event)
    let text: string | undefined
    if (meta < 0 && !compactPacket(event) && (text = compactAppText(event)) === undefined) return false
    const builder = this.builderOf(segment)
    const before = builder.byteLength
    if (meta >= 0) builder.add(event, meta)
    else if (text === undefined) builder.addPacket(event as PacketEvent)
    else builder.addApp(event as AppEventEvent, text)
    // A packet adds no bytes.
    this.packedBytes += builder.byteLength - before
    segment.events.push(PACKED)
    return true
  }

  /** The pack being filled for `segment`, a spare builder when it has none yet. */
  private builderOf(segment: Segment): FramePackBuilder {
    let builder = this.packs.get(segment)
    if (builder === undefined) this.packs.set(segment, builder = this.spare.pop() ?? new FramePackBuilder())
    return builder
  }

  private state(id: number, state: ConnectionState): void {
    const hosted = this.hosted.get(id)
    if (!hosted) return
    this.segmentOf(id).state = state
    // A state is news: the page's onState (the fan-out joins its room on open) should not wait for the timer.
    this.flush()
  }

  /** Send what was recorded, with each driver's mirrored fields where they changed. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.segments.length === 0) return
    const segments = this.segments
    this.segments = []
    this.pending = 0
    const transfer: ArrayBuffer[] = []
    for (const [segment, builder] of this.packs) {
      // finish() copies the frames into the pack's own buffer and empties the builder for another segment.
      segment.frames = builder.finish(this.bufferFor(builder.packBytes))
      transfer.push(...packTransfer(segment.frames))
      if (this.spare.length < SPARE_BUILDERS) this.spare.push(builder)
    }
    this.packs.clear()
    this.packedBytes = 0
    const told = new Set<number>()
    for (let i = segments.length - 1; i >= 0; i--) {
      const segment = segments[i]!
      if (told.has(segment.id)) continue
      told.add(segment.id)
      this.mirror(segment)
    }
    const streaming = this.wait === STREAM_MS
    const batch: FromHost = { t: 'batch', segments, streaming }
    if (streaming) {
      clearTimeout(this.idleTimer)
      this.idleTimer = setTimeout(this.idleCheck, STREAM_MS)
    }
    try {
      this.post(batch, transfer)
    }
    catch {
      // A value the structured clone refuses: nested deeper than this thread's stack lets it go, or a function a
      // server's library left in an argument. Such events go as copies, their deep values as JSON text beside them.
      for (const segment of segments) {
        const deep: DeepValue[] = []
        segment.events = segment.events.map((event, i) => event === PACKED ? event : cloneable(event, i, deep))
        if (deep.length > 0) segment.deep = deep
      }
      this.post(batch, transfer)
    }
  }

  /**
   * A buffer for a pack of `bytes`: one the page gave back that holds it (the smallest such, and not more than 8 times
   * too large, so the buffer of one burst of large frames does not keep circulating under small packs: unused, it
   * leaves the pool as newer buffers come back), or a new one rounded up to a power of two (at least MIN_BUFFER), so
   * that the packs of a stream, of about the same size, fit the buffers of the packs before them. Reuse matters: a
   * new buffer's memory is faulted in page by page as the pack is written into it, measured at ~280 µs for 40 KB in
   * a Chromium Worker on two cores, against ~2 µs for one already written (bench/freshBuffers.ts).
   */
  private bufferFor(bytes: number): ArrayBuffer {
    let best = -1
    for (let i = 0; i < this.buffers.length; i++) {
      const size = this.buffers[i]!.byteLength
      if (size >= bytes && size <= Math.max(MIN_BUFFER, 8 * bytes) && (best < 0 || size < this.buffers[best]!.byteLength)) best = i
    }
    if (best >= 0) return this.buffers.splice(best, 1)[0]!
    this.buffersMade++
    let size = MIN_BUFFER
    while (size < bytes) size *= 2
    return new ArrayBuffer(size)
  }

  /** Put the driver's namespaces and queued bytes on its last segment of the batch, when they changed. */
  private mirror(segment: Segment): void {
    const hosted = this.hosted.get(segment.id)
    const driver = hosted?.driver
    if (!hosted || !driver) return
    if (driver.type === 'socketio') {
      const namespaces = [...(driver as SocketIoDriver).namespaces]
      const key = namespaces.map(([name, state]) => `${name}\u0000${state}`).join('\u0001')
      if (key !== hosted.namespacesKey) {
        hosted.namespacesKey = key
        segment.namespaces = namespaces
      }
    }
    else {
      const buffered = (driver as Driver & { bufferedAmount?: number }).bufferedAmount ?? 0
      if (buffered !== hosted.bufferedAmount) {
        hosted.bufferedAmount = buffered
        segment.bufferedAmount = buffered
      }
    }
  }
}

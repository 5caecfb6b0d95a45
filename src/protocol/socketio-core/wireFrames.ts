/**
 * The `wire` layer of both Socket.IO drivers: one timeline frame per raw Engine.IO packet, labelled the same way
 * whichever client (socket.io-client 4 or 2) and Engine.IO protocol (4 or 3) carried it. The drivers' taps find the
 * packets (they differ: transport subclasses in v4, instance overrides in v2; `\x1e` or length-prefixed polling
 * bodies); this labels and records them. Hot path: a few character comparisons per frame, no allocation beyond
 * the event itself (labels without counters are frozen constants).
 */
import { binaryAttachmentCount } from '../codec'
import { now, utf8Length } from '../types'
import type { DraftEvent, TransportName } from '../types'
import type { FrameDetail, FrameDirection } from '../events'

/** Where recorded events go: the driver's single exit to the timeline (nothing after dispose). */
export interface TimelineRecorder {
  record: (event: DraftEvent) => void
}

type Label = Readonly<FrameDetail>

// Engine.IO upgrade (https://socket.io/docs/v4/engine-io-protocol/#upgrade): the probe ping/pong on the WebSocket
// being tested, the upgrade packet that switches to it, and the noop that ends the paused poll.
const PROBE: Label = Object.freeze({ label: 'probe' })
const UPGRADE: Label = Object.freeze({ label: 'upgrade' })
const NOOP: Label = Object.freeze({ label: 'noop' })

const NON_ASCII = /[\u0080-\uffff]/

/**
 * Bytes of a text frame on the wire. Most Socket.IO traffic is ASCII JSON, where the UTF-8 length is the string
 * length; the native regex scan is several times faster than counting code units in JS, so count only otherwise.
 */
export function textSize(frame: string): number {
  return NON_ASCII.test(frame) ? utf8Length(frame) : frame.length
}

/** A plain ArrayBuffer of exactly the bytes of a binary frame (Buffer in Node, or any view the user passed). */
export function toArrayBuffer(data: unknown): ArrayBuffer | undefined {
  if (data instanceof ArrayBuffer) return data
  if (ArrayBuffer.isView(data)) {
    const copy = new Uint8Array(data.byteLength)
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    return copy.buffer
  }
  return undefined
}

/** A frame as the timeline keeps it: text as it is, binary as a plain ArrayBuffer, anything else as text. */
export function asArrayBuffer(data: unknown): string | ArrayBuffer {
  if (typeof data === 'string') return data
  return toArrayBuffer(data) ?? String(data)
}

/**
 * Labels and records wire frames for one driver. Per-engine state (the binary attachments announced by a
 * BINARY_EVENT/BINARY_ACK header, which arrive as the next frames) starts over with `reset()` on each engine.
 */
export class WireFrames {
  /** Attachments announced by the last BINARY_EVENT / BINARY_ACK received (the socketio packet's detail). */
  attachmentsInOf = 0
  private attachmentsIn = 0
  private attachmentsOut = 0
  private attachmentsOutOf = 0

  constructor(private readonly out: TimelineRecorder) {}

  reset(): void {
    this.attachmentsIn = this.attachmentsInOf = this.attachmentsOut = this.attachmentsOutOf = 0
  }

  /**
   * One wire frame. `batch` > 0: the frame is packet `index` of a polling body holding `batch` packets.
   * `time`: when it arrived, if the driver already read the clock for it (undefined: now).
   */
  frame(dir: FrameDirection, transport: TransportName, frame: string | ArrayBuffer, batch: number, index: number, time: number | undefined): void {
    let label: Label | undefined
    let size: number
    if (typeof frame === 'string') {
      size = textSize(frame)
      const type = frame.charCodeAt(0)
      if (type === 52 /* 4: message */) {
        const socketIoType = frame.charCodeAt(1)
        // BINARY_EVENT (5) / BINARY_ACK (6): the next frames are its attachments.
        if (socketIoType === 53 || socketIoType === 54) this.expectAttachments(dir, binaryAttachmentCount(frame, 1))
      }
      else if (type === 98 /* b: base64 binary in a polling body */) {
        label = this.attachmentLabel(dir)
      }
      else if (frame.length === 6 && (frame === '2probe' || frame === '3probe')) {
        label = PROBE
      }
      else if (frame.length === 1) {
        if (type === 53 /* 5 */) label = UPGRADE
        else if (type === 54 /* 6 */) label = NOOP
      }
    }
    else {
      size = frame.byteLength
      label = this.attachmentLabel(dir)
    }
    let detail = label
    if (batch > 0) detail = label ? { batch, index, ...label } : { batch, index }
    this.out.record({ seq: 0, time: time ?? now(), layer: 'wire', kind: 'frame', dir, transport, size, data: frame, detail })
  }

  /** The packets of one polling body, one frame each; a body of several carries {batch, index} on each. */
  pollingBody(dir: FrameDirection, packets: readonly (string | ArrayBuffer)[], time: number | undefined): void {
    const batch = packets.length === 1 ? 0 : packets.length
    for (let i = 0; i < packets.length; i++) this.frame(dir, 'polling', packets[i] as string | ArrayBuffer, batch, i, time)
  }

  private expectAttachments(dir: FrameDirection, count: number): void {
    if (dir === 'in') this.attachmentsIn = this.attachmentsInOf = count
    else this.attachmentsOut = this.attachmentsOutOf = count
  }

  private attachmentLabel(dir: FrameDirection): Label | undefined {
    if (dir === 'in') {
      if (this.attachmentsIn === 0) return undefined
      return { label: 'attachment', attachment: this.attachmentsInOf - --this.attachmentsIn, of: this.attachmentsInOf }
    }
    if (this.attachmentsOut === 0) return undefined
    return { label: 'attachment', attachment: this.attachmentsOutOf - --this.attachmentsOut, of: this.attachmentsOutOf }
  }
}

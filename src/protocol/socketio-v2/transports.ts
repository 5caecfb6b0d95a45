/**
 * Taps on engine.io-client 3's transports: every raw Engine.IO packet sent or received becomes a `wire` frame
 * (driver.ts describes the events). engine.io-client 3 exports no transport classes to subclass and builds its
 * transports from a fixed table by name, so the taps are instance overrides, installed as each transport is built:
 * the engine's first transport right after the engine's constructor (before any I/O completes), upgrade probes
 * through the engine's createTransport.
 *
 * What is raw: a WebSocket frame is exactly what the socket received or was handed to send (`ws.send` is wrapped),
 * including the packet type byte (4) that starts an Engine.IO 3 binary frame. A polling body is split on its length
 * prefixes (framing.ts), so each frame is one packet as in v4.
 */
import type { EngineSocket, EngineTransport } from 'socket.io-client-v2'
import { binaryAttachmentCount } from '../codec'
import { closeEventDetail, MAX_HTTP_BODY } from '../socketio-core/failure'
import { now, utf8Length } from '../types'
import type { Direction, DraftEvent, TransportName } from '../types'
import { splitEngineIo3BinaryPayload, splitEngineIo3Payload } from './framing'

const PROBE: Readonly<Record<string, unknown>> = Object.freeze({ label: 'probe' })
const UPGRADE: Readonly<Record<string, unknown>> = Object.freeze({ label: 'upgrade' })
const NOOP: Readonly<Record<string, unknown>> = Object.freeze({ label: 'noop' })

const NON_ASCII = /[\u0080-\uffff]/

/** Bytes of a text frame on the wire (ASCII fast path, as in the v4 driver). */
function textSize(frame: string): number {
  return NON_ASCII.test(frame) ? utf8Length(frame) : frame.length
}

/** A plain ArrayBuffer of exactly the bytes of whatever binary the client handled (Buffer in Node, views). */
export function toArrayBuffer(data: unknown): ArrayBuffer | undefined {
  if (data instanceof ArrayBuffer) return data
  if (ArrayBuffer.isView(data)) {
    const copy = new Uint8Array(data.byteLength)
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    return copy.buffer
  }
  return undefined
}

/** A failed polling request, as the XMLHttpRequest saw it (engine.io-client 3 only passes the status on). */
export interface PollingFailure {
  status?: unknown
  statusText?: unknown
  responseText?: unknown
}

/** The wire taps of one driver; per-engine state starts over with each engine. */
export class WireTap {
  /** The WebSocket's close code, reason and wasClean, when the engine's WebSocket closed (engine.io-client 3 drops them). */
  closeDetail: Record<string, unknown> = {}
  /** What the XMLHttpRequest of the last failed poll or post saw. */
  pollingFailure: PollingFailure | undefined
  /** Attachments announced by the last BINARY_EVENT / BINARY_ACK received. */
  attachmentsInOf = 0
  private attachmentsIn = 0
  private attachmentsOut = 0
  private attachmentsOutOf = 0
  private engine: EngineSocket | undefined
  private readonly tapped = new WeakSet<object>()

  constructor(private readonly record: (event: DraftEvent) => void) {}

  /** A new engine (one per connect attempt): tap its first transport now, and each upgrade probe as it is built. */
  attach(engine: EngineSocket): void {
    this.engine = engine
    this.closeDetail = {}
    this.pollingFailure = undefined
    this.attachmentsIn = this.attachmentsInOf = this.attachmentsOut = this.attachmentsOutOf = 0
    if (engine.transport) this.tap(engine.transport)
    const createTransport = engine.createTransport as (name: string, ...rest: unknown[]) => EngineTransport
    engine.createTransport = (name: string, ...rest: unknown[]): EngineTransport => {
      const transport = createTransport.call(engine, name, ...rest)
      this.tap(transport)
      return transport
    }
  }

  /** Instance overrides on one transport (the engine's first, or an upgrade probe). */
  private tap(transport: EngineTransport): void {
    if (this.tapped.has(transport)) return
    this.tapped.add(transport)
    const onData = transport.onData
    if (transport.name === 'polling') {
      transport.onData = (data: unknown): void => {
        this.pollingIn(data)
        onData.call(transport, data)
      }
      const doWrite = transport.doWrite
      if (doWrite) {
        transport.doWrite = (data: unknown, callback: () => void): void => {
          this.pollingOut(data)
          doWrite.call(transport, data, callback)
        }
      }
      const onError = transport.onError
      transport.onError = (message: string, description?: unknown): EngineTransport => {
        this.pollingFailed(transport, message)
        return onError.call(transport, message, description)
      }
    }
    else if (transport.name === 'websocket') {
      transport.onData = (data: unknown): void => {
        this.wire('in', 'websocket', typeof data === 'string' ? data : toArrayBuffer(data) ?? String(data), 0, 0)
        onData.call(transport, data)
      }
      if (transport.ws) {
        this.tapWebSocket(transport)
      }
      else {
        const doOpen = transport.doOpen
        transport.doOpen = (): void => {
          doOpen.call(transport)
          this.tapWebSocket(transport)
        }
      }
    }
  }

  /** The platform WebSocket: what it is handed to send, and the close event engine.io-client 3 ignores. */
  private tapWebSocket(transport: EngineTransport): void {
    const ws = transport.ws
    if (!ws) return
    const send = ws.send
    // Rest arguments: Safari throws when the browser WebSocket's send gets a second argument.
    ws.send = (...args: unknown[]): void => {
      const data = args[0]
      this.wire('out', 'websocket', typeof data === 'string' ? data : toArrayBuffer(data) ?? String(data), 0, 0)
      Reflect.apply(send, ws, args)
    }
    const onclose = ws.onclose
    ws.onclose = (event: unknown): void => {
      if (this.engine?.transport === transport && event && typeof event === 'object') this.closeDetail = closeEventDetail(event, {})
      onclose?.call(ws, event)
    }
  }

  /** A failed poll or post: keep what the XMLHttpRequest saw, which engine.io-client 3 reduces to a status. */
  private pollingFailed(transport: EngineTransport, message: string): void {
    const request = message === 'xhr post error' ? transport.sendXhr : transport.pollXhr
    const xhr = request?.xhr as PollingFailure | null | undefined
    if (!xhr) return
    const body = typeof xhr.responseText === 'string' ? xhr.responseText.slice(0, MAX_HTTP_BODY) : undefined
    this.pollingFailure = { status: xhr.status, statusText: xhr.statusText, responseText: body }
  }

  private pollingIn(body: unknown): void {
    if (typeof body === 'string') this.pollingText('in', body)
    else this.pollingBinary('in', body)
  }

  private pollingOut(body: unknown): void {
    if (typeof body === 'string') {
      this.pollingText('out', body)
    }
    else if (typeof Blob !== 'undefined' && body instanceof Blob) {
      // Chromium posts a binary payload as a Blob, which can only be read asynchronously.
      body.arrayBuffer().then(buffer => this.pollingBinary('out', buffer), () => {})
    }
    else {
      this.pollingBinary('out', body)
    }
  }

  private pollingText(dir: Direction, body: string): void {
    const packets = splitEngineIo3Payload(body)
    if (!packets) {
      this.wire(dir, 'polling', body, 0, 0)
      return
    }
    if (packets.length === 1) {
      this.wire(dir, 'polling', packets[0] as string, 0, 0)
      return
    }
    for (let i = 0; i < packets.length; i++) this.wire(dir, 'polling', packets[i] as string, packets.length, i)
  }

  private pollingBinary(dir: Direction, body: unknown): void {
    const buffer = toArrayBuffer(body)
    if (!buffer) return
    const packets = splitEngineIo3BinaryPayload(buffer)
    if (!packets) {
      this.wire(dir, 'polling', buffer, 0, 0)
      return
    }
    const batch = packets.length === 1 ? 0 : packets.length
    for (let i = 0; i < packets.length; i++) this.wire(dir, 'polling', packets[i] as string | ArrayBuffer, batch, i)
  }

  /** One wire frame. `batch` > 0: the frame is packet `index` of a polling body holding `batch` packets. */
  private wire(dir: Direction, transport: TransportName, frame: string | ArrayBuffer, batch: number, index: number): void {
    let label: Readonly<Record<string, unknown>> | undefined
    let size: number
    if (typeof frame === 'string') {
      size = textSize(frame)
      const type = frame.charCodeAt(0)
      if (type === 52 /* 4: message */) {
        const socketIoType = frame.charCodeAt(1)
        // BINARY_EVENT (5) / BINARY_ACK (6): the next frames are its attachments.
        if (socketIoType === 53 || socketIoType === 54) this.expectAttachments(dir, binaryAttachmentCount(frame, 1))
      }
      else if (type === 98 /* b: base64 binary (polling without XHR2) */) {
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
    this.record({ time: now(), layer: 'wire', kind: 'frame', dir, transport, size, data: frame, detail })
  }

  private expectAttachments(dir: Direction, count: number): void {
    if (dir === 'in') this.attachmentsIn = this.attachmentsInOf = count
    else this.attachmentsOut = this.attachmentsOutOf = count
  }

  private attachmentLabel(dir: Direction): Record<string, unknown> | undefined {
    if (dir === 'in') {
      if (this.attachmentsIn === 0) return undefined
      return { label: 'attachment', attachment: this.attachmentsInOf - --this.attachmentsIn, of: this.attachmentsInOf }
    }
    if (this.attachmentsOut === 0) return undefined
    return { label: 'attachment', attachment: this.attachmentsOutOf - --this.attachmentsOut, of: this.attachmentsOutOf }
  }
}

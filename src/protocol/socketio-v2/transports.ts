/**
 * Taps on engine.io-client 3's transports: every raw Engine.IO packet sent or received becomes a `wire` frame
 * (driver.ts describes the events), labelled by the same WireFrames as in v4 (../socketio-core/wireFrames.ts); what
 * is particular to v2 is where the packets are found. engine.io-client 3 exports no transport classes to subclass and builds its
 * transports from a fixed table by name, so the taps are instance overrides, installed as each transport is built:
 * the engine's first transport right after the engine's constructor (before any I/O completes), upgrade probes
 * through the engine's createTransport.
 *
 * What is raw: a WebSocket frame is exactly what the socket received or was handed to send (`ws.send` is wrapped),
 * including the packet type byte (4) that starts an Engine.IO 3 binary frame. A polling body is split on its length
 * prefixes (framing.ts), so each frame is one packet as in v4.
 */
import type { EngineSocket, EngineTransport } from 'socket.io-client-v2'
import { closeEventDetail, MAX_HTTP_BODY } from '../socketio-core/failure'
import { asArrayBuffer, toArrayBuffer } from '../socketio-core/wireFrames'
import type { WireFrames } from '../socketio-core/wireFrames'
import type { EngineCloseDetail, FrameDirection } from '../events'
import { splitEngineIo3BinaryPayload, splitEngineIo3Payload } from './framing'

/** A failed polling request, as the XMLHttpRequest saw it (engine.io-client 3 only passes the status on). */
export interface PollingFailure {
  status?: unknown
  statusText?: unknown
  responseText?: unknown
}

/** The wire taps of one driver; per-engine state starts over with each engine. */
export class WireTap {
  /** The WebSocket's close code, reason and wasClean, when the engine's WebSocket closed (engine.io-client 3 drops them). */
  closeDetail: EngineCloseDetail = {}
  /** What the XMLHttpRequest of the last failed poll or post saw. */
  pollingFailure: PollingFailure | undefined
  private engine: EngineSocket | undefined
  private readonly tapped = new WeakSet<object>()

  constructor(private readonly frames: WireFrames) {}

  /**
   * A new engine (one per connect attempt): tap its first transport now, and each upgrade probe as it is built.
   * (The driver's core starts the labeller's per-engine state over.)
   */
  attach(engine: EngineSocket): void {
    this.engine = engine
    this.closeDetail = {}
    this.pollingFailure = undefined
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
        this.frames.frame('in', 'websocket', asArrayBuffer(data), 0, 0, undefined)
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
      this.frames.frame('out', 'websocket', asArrayBuffer(data), 0, 0, undefined)
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

  /** An Engine.IO 3 body: length-prefixed packets; one that does not follow the framing is kept whole. */
  private pollingText(dir: FrameDirection, body: string): void {
    const packets = splitEngineIo3Payload(body)
    if (packets) this.frames.pollingBody(dir, packets, undefined)
    else this.frames.frame(dir, 'polling', body, 0, 0, undefined)
  }

  private pollingBinary(dir: FrameDirection, body: unknown): void {
    const buffer = toArrayBuffer(body)
    if (!buffer) return
    const packets = splitEngineIo3BinaryPayload(buffer)
    if (packets) this.frames.pollingBody(dir, packets, undefined)
    else this.frames.frame(dir, 'polling', buffer, 0, 0, undefined)
  }
}

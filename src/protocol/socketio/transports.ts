import { encodePacket } from 'engine.io-parser'
import type { Packet } from 'engine.io-parser'
import { NodeWebSocket, NodeXHR, WebTransport } from 'socket.io-client'
import { asArrayBuffer } from '../socketio-core/wireFrames'
import type { TransportName } from '../types'

/**
 * Transports that report every raw frame. Subclassing the transports socket.io-client exports is the only place
 * the upgrade probe (`2probe`/`3probe`/`5`) and polling batches are visible (docs/architecture.md); this is also
 * why socket.io-client is pinned to an exact version: `onData`/`doWrite` are internal methods.
 *
 * `NodeXHR`/`NodeWebSocket` are the names engine.io-client exports for its `*.node.js` transports; its
 * package.json `browser` field maps those files to the browser implementations (XMLHttpRequest, the platform
 * WebSocket), so the same import is right in the browser bundle and in Node tests (xmlhttprequest-ssl, `ws`).
 */

/** Where the tapped transports report; one per driver, handed down through the engine options as `wireTap`. */
export interface WireTap {
  /**
   * A transport was built for this engine. The engine builds its first transport inside its own constructor,
   * before the Manager subscribes to it, so a listener attached here runs before the Manager's (engine `open` is
   * recorded before the CONNECT packets the Manager sends in response).
   */
  transportCreated: (engine: unknown) => void
  /** One raw Engine.IO packet received (a WebSocket/WebTransport frame). */
  frameIn: (transport: TransportName, frame: string | ArrayBuffer) => void
  /** One raw Engine.IO packet about to be written. */
  frameOut: (transport: TransportName, frame: string | ArrayBuffer) => void
  /** A whole HTTP long-polling response body (packets separated by `\x1e`). */
  pollingIn: (body: string) => void
  /** A whole HTTP long-polling request body. */
  pollingOut: (body: string) => void
  /** The frame or body reported by frameIn/pollingIn has been decoded and handled. */
  frameDone: () => void
  /**
   * A transport failed (a polling request answered with an HTTP error, a WebSocket that would not open). Reported
   * even when the engine then quietly tries the next transport (`tryAllTransports`), which emits nothing itself.
   */
  transportError: (transport: TransportName, reason: string, description: unknown, context: unknown) => void
}

export interface WireTapOptions {
  wireTap?: WireTap
}

interface EngineLike {
  binaryType: string
}

/**
 * What every tapped transport does as it is built for an engine: returns the driver's tap, after telling it about
 * the engine. Binary arrives as ArrayBuffer in the browser (the engine's default there); Node's default is Buffer:
 * ask for ArrayBuffer everywhere so the timeline and the app see the same type. Done in the transport constructor
 * because the engine builds its first transport and opens its WebSocket inside its own constructor.
 */
function tapFor(engine: unknown, opts: WireTapOptions): WireTap | undefined {
  const settings = engine as EngineLike | undefined
  if (settings && settings.binaryType !== 'arraybuffer') settings.binaryType = 'arraybuffer'
  opts.wireTap?.transportCreated(engine)
  return opts.wireTap
}

/** HTTP long-polling over XMLHttpRequest (keeps the HTTP status and body of failed requests). */
export class TappedPolling extends NodeXHR {
  private readonly tap: WireTap | undefined

  constructor(opts: WireTapOptions & Record<string, unknown>) {
    super(opts)
    this.tap = tapFor(this.socket, opts)
  }

  override onData(data: unknown): void {
    if (typeof data === 'string') this.tap?.pollingIn(data)
    else this.tap?.frameIn('polling', asArrayBuffer(data))
    try {
      super.onData(data)
    }
    finally {
      this.tap?.frameDone()
    }
  }

  override doWrite(data: string, fn: () => void): void {
    this.tap?.pollingOut(data)
    super.doWrite(data, fn)
  }

  protected override onError(reason: string, description: unknown, context?: unknown): this {
    this.tap?.transportError('polling', reason, description, context)
    return super.onError(reason, description, context)
  }
}

export class TappedWebSocket extends NodeWebSocket {
  private readonly tap: WireTap | undefined

  constructor(opts: WireTapOptions & Record<string, unknown>) {
    super(opts)
    this.tap = tapFor(this.socket, opts)
  }

  protected override onData(data: unknown): void {
    this.tap?.frameIn('websocket', typeof data === 'string' || data instanceof ArrayBuffer ? data : asArrayBuffer(data))
    try {
      super.onData(data)
    }
    finally {
      this.tap?.frameDone()
    }
  }

  override doWrite(packet: Packet, data: unknown): void {
    this.tap?.frameOut('websocket', asArrayBuffer(data))
    super.doWrite(packet, data)
  }

  protected override onError(reason: string, description: unknown, context?: unknown): this {
    this.tap?.transportError('websocket', reason, description, context)
    return super.onError(reason, description, context)
  }
}

/**
 * WebTransport frames packets itself (a length header per packet on one bidirectional stream), so the transport
 * only ever sees decoded packets: the timeline shows them re-encoded as Engine.IO text/binary packets.
 */
export class TappedWebTransport extends WebTransport {
  private readonly tap: WireTap | undefined

  constructor(opts: WireTapOptions & Record<string, unknown>) {
    super(opts)
    this.tap = tapFor(this.socket, opts)
  }

  // Bound once: encodePacket reports through a callback, and per-packet closures are kept off the hot path.
  private readonly reportIn = (encoded: unknown): void => this.tap?.frameIn('webtransport', asArrayBuffer(encoded))
  private readonly reportOut = (encoded: unknown): void => this.tap?.frameOut('webtransport', asArrayBuffer(encoded))

  protected override onPacket(packet: Packet): void {
    if (this.tap) encodePacket(packet, true, this.reportIn)
    try {
      super.onPacket(packet)
    }
    finally {
      this.tap?.frameDone()
    }
  }

  override write(packets: Packet[]): void {
    if (this.tap) for (const packet of packets) encodePacket(packet, true, this.reportOut)
    super.write(packets)
  }

  protected override onError(reason: string, description: unknown, context?: unknown): this {
    this.tap?.transportError('webtransport', reason, description, context)
    return super.onError(reason, description, context)
  }
}

/** The tapped implementation for each transport name, in the form engine.io-client accepts in `transports`. */
export const TAPPED_TRANSPORTS = {
  polling: TappedPolling,
  websocket: TappedWebSocket,
  webtransport: TappedWebTransport,
} as const

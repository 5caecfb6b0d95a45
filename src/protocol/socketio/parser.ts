import { Decoder, Encoder } from 'socket.io-parser'
import type { Packet } from 'socket.io-parser'

/** Where the tapped parser reports decoded and encoded Socket.IO packets. */
export interface PacketTap {
  /**
   * A packet fully decoded (for binary packets: after the last attachment). `binary` is true when the header was
   * a BINARY_EVENT/BINARY_ACK: the official decoder re-types those as EVENT/ACK once reassembled.
   */
  packetIn: (packet: Packet, binary: boolean) => void
  /** A packet handed to the engine; `attachments` > 0 means the encoder sent it as BINARY_EVENT/BINARY_ACK. */
  packetOut: (packet: Packet, attachments: number) => void
}

export interface SocketIoParser {
  Encoder: new () => Encoder
  Decoder: new () => Decoder
}

/**
 * The official socket.io-parser (or another parser of the same shape: socket.io-msgpack-parser), passed to the
 * Manager as its `parser` option, with a tap on both directions.
 * Decoding happens synchronously as each frame arrives, so the socketio-layer event lands right after its wire
 * frame (the Manager's own `packet` event fires a tick later).
 */
export function createTappedParser(tap: PacketTap, base: SocketIoParser = { Encoder, Decoder }): SocketIoParser {
  // Only another parser in Node (tests) needs it: the browser has no Buffer, and socket.io-parser takes ArrayBuffers.
  const nodeBuffer = (globalThis as { Buffer?: { from: (data: ArrayBuffer) => unknown } }).Buffer
  const toNodeBuffer = base.Decoder !== Decoder && nodeBuffer ? (data: ArrayBuffer) => nodeBuffer.from(data) : undefined
  // socket.io-msgpack-parser's classes have the same shape (encode → chunks; add → 'decoded'); its packets are
  // never re-typed as binary, and its frames are binary, so `binaryHeader` stays false for it.
  class TappedEncoder extends (base.Encoder as typeof Encoder) {
    override encode(packet: Packet): unknown[] {
      const encoded = super.encode(packet) as unknown[]
      tap.packetOut(packet, encoded.length - 1)
      return encoded
    }
  }

  class TappedDecoder extends (base.Decoder as typeof Decoder) {
    /** The last text frame was a BINARY_EVENT (`5`) or BINARY_ACK (`6`) header. */
    private binaryHeader = false
    private readonly report = (packet: Packet): void => tap.packetIn(packet, this.binaryHeader)

    constructor() {
      super()
      this.on('decoded', this.report)
    }

    override add(obj: unknown): void {
      if (typeof obj === 'string') {
        const type = obj.charCodeAt(0)
        this.binaryHeader = type === 53 || type === 54
      }
      else if (toNodeBuffer && obj instanceof ArrayBuffer) {
        // The transports ask for ArrayBuffers (one type on the timeline); notepack.io's Node build reads Buffers.
        obj = toNodeBuffer(obj)
      }
      super.add(obj)
    }
  }

  return { Encoder: TappedEncoder, Decoder: TappedDecoder }
}

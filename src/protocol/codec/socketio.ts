import { Decoder, PacketType } from 'socket.io-parser'
import type { Packet } from 'socket.io-parser'

/**
 * Socket.IO packet labels, read with the official `socket.io-parser` (Socket.IO protocol v5:
 * https://socket.io/docs/v4/socket-io-protocol/).
 */

export type SocketIoPacketTypeName =
  | 'CONNECT' | 'DISCONNECT' | 'EVENT' | 'ACK' | 'CONNECT_ERROR' | 'BINARY_EVENT' | 'BINARY_ACK'

/** `PacketType` number → its protocol name ('EVENT', 'BINARY_ACK', ...). */
export function socketIoPacketTypeName(type: number): SocketIoPacketTypeName | undefined {
  return PacketType[type] as SocketIoPacketTypeName | undefined
}

export interface SocketIoPacketHeader {
  type: SocketIoPacketTypeName
  namespace: string
  ackId?: number
  /** Binary attachments that follow as separate frames (BINARY_EVENT / BINARY_ACK only). */
  attachments: number
  /** The decoded JSON payload (placeholders `{_placeholder: true, num}` stand for the attachments). */
  data?: unknown
}

/**
 * Decode the text of one Socket.IO packet (the Engine.IO message body, without the leading `4`).
 * Returns undefined for text the official decoder rejects. Lazy use only: it parses the JSON payload.
 */
export function decodeSocketIoPacket(text: string): SocketIoPacketHeader | undefined {
  const decoder = new Decoder()
  let decoded: Packet | undefined
  decoder.on('decoded', (packet: Packet) => {
    decoded = packet
  })
  try {
    decoder.add(text)
  }
  catch {
    return undefined
  }
  const type = text.charCodeAt(0) - 48
  // A binary header waits for its attachments inside the decoder; read the header from the text instead.
  const attachments = type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK ? binaryAttachmentCount(text, 0) : 0
  decoder.destroy()
  if (decoded) {
    return { type: socketIoPacketTypeName(type) ?? 'EVENT', namespace: decoded.nsp, ackId: decoded.id, attachments, data: decoded.data }
  }
  if (attachments > 0) {
    const header = /^\d\d+-(\/[^,]*,)?(\d+)?/.exec(text)
    return {
      type: socketIoPacketTypeName(type) ?? 'BINARY_EVENT',
      namespace: header?.[1] ? header[1].slice(0, -1) : '/',
      ackId: header?.[2] ? Number(header[2]) : undefined,
      attachments,
    }
  }
  return undefined
}

/**
 * Number of binary attachments announced by a BINARY_EVENT/BINARY_ACK header (`51-...`, `62-...`), reading
 * digits from `typeIndex + 1` up to the `-`. Cheap enough for the per-frame path: no allocation.
 */
export function binaryAttachmentCount(text: string, typeIndex: number): number {
  let count = 0
  for (let i = typeIndex + 1; i < text.length && i < typeIndex + 8; i++) {
    const c = text.charCodeAt(i)
    if (c === 45 /* - */) return count
    if (c < 48 || c > 57) return 0
    count = count * 10 + (c - 48)
  }
  return 0
}

/**
 * The header of a Socket.IO packet (type, namespace, ack id, attachments) read from its first characters without
 * parsing the payload: for packets too big to decode on a click. Undefined when the text does not start like one.
 */
export function readSocketIoHeader(text: string): SocketIoPacketHeader | undefined {
  // <type>[<attachments>-][<namespace>,][<ack id>]<data> (https://socket.io/docs/v4/socket-io-protocol/#format)
  const header = /^([0-6])(?:(\d+)-)?(\/[^,]*,)?(\d+)?/.exec(text.slice(0, 1024))
  if (!header) return undefined
  const type = socketIoPacketTypeName(Number(header[1]))
  if (!type) return undefined
  return {
    type,
    namespace: header[3] ? header[3].slice(0, -1) : '/',
    ackId: header[4] ? Number(header[4]) : undefined,
    attachments: header[2] ? Number(header[2]) : 0,
  }
}

/**
 * A room message's arguments, as "Send to room" (stores/socketIoSession.ts) and a fan-out (src/fanout/run.ts, and its
 * Artillery export) both emit it. Pure: no Vue.
 */

/**
 * The arguments a room message emits: `object` one `{ room, message }` (the study note's server), `args` the room then
 * the text as two arguments, `argsReversed` the text then the room, `text` only the text (a server that knows the
 * socket's room itself).
 */
export type RoomSendShape = 'object' | 'args' | 'argsReversed' | 'text'
export const ROOM_SEND_SHAPES: readonly RoomSendShape[] = ['object', 'args', 'argsReversed', 'text']

/** What the shape reads: the shape, and the object shape's keys (`room`, `message` when left empty). */
export interface RoomMessageShape {
  sendShape: RoomSendShape
  roomKey: string
  messageKey: string
}

/** The object shape's keys as sent: the ones set, or `room` and `message` when left empty. */
export function roomShapeKeys(settings: Pick<RoomMessageShape, 'roomKey' | 'messageKey'>): { roomKey: string, messageKey: string } {
  return { roomKey: settings.roomKey.trim() || 'room', messageKey: settings.messageKey.trim() || 'message' }
}

/**
 * The arguments of a room message in `settings`' shape, with `value` (a text, or a fan-out's tagged message) as the
 * message. No room (a fan-out client that joined none): the value alone.
 */
export function roomMessageArgs(settings: RoomMessageShape, room: string | undefined, value: unknown): unknown[] {
  if (room === undefined) return [value]
  switch (settings.sendShape) {
    case 'args': return [room, value]
    case 'argsReversed': return [value, room]
    case 'text': return [value]
    default: {
      const { roomKey, messageKey } = roomShapeKeys(settings)
      // A null-prototype object: a key such as `__proto__` is an ordinary key, as the server's JSON will have it.
      const payload = Object.create(null) as Record<string, unknown>
      payload[roomKey] = room
      payload[messageKey] = value
      return [{ ...payload }]
    }
  }
}

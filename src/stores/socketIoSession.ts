/**
 * A Socket.IO session's namespaces, listeners and ack replies, kept on the session and handed to its driver: the
 * implementation of the sessions store's actions (sessions.ts), which are the only way components change them.
 * Problems are messages (src/i18n, socketio.errors) the panels show in the person's language.
 */
import type { Session } from './session'
import { message, type MessageRef } from '@/protocol/message'
import { roomMessageArgs, roomShapeKeys } from '@/sending/roomMessage'
import type { SocketIoDriver } from '@/protocol/socketio/driver'
import { parseJsonObject } from './session'

/** How a namespace's auth is named in an error: "Auth of /admin". */
function namespaceAuth(namespace: string): MessageRef {
  return message('socketio.namespaces.authOf', { namespace })
}

/** The session's driver when it is a Socket.IO one. */
export function socketIoDriverOf(session: Session): SocketIoDriver | undefined {
  const driver = session.driver
  return driver?.type === 'socketio' ? driver as SocketIoDriver : undefined
}

/** A namespace as the server expects it: with a leading slash, without a trailing one. */
export function normalizeNamespaceName(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '')
  if (trimmed === '') return '/'
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

/** Hand the session's listeners and extra namespaces to a freshly built driver, before it connects. */
export function applySocketIoSettings(session: Session): void {
  const driver = socketIoDriverOf(session)
  if (!driver) return
  driver.setCatchAll(session.listeners.catchAll)
  for (const { name, on } of session.listeners.names) driver.listen(name, on)
  const reply = parseAckReply(session.listeners.ackReply.args)
  driver.setServerAckReply(session.listeners.ackReply.on && reply.ok ? reply.value : undefined)
  for (const ns of session.namespaces) {
    const auth = parseJsonObject(ns.auth, namespaceAuth(ns.name))
    driver.addNamespace(ns.name, auth.ok ? auth.value : undefined)
  }
}

/** Join another namespace over the same Manager; the error is a message for the form. */
export function addNamespace(session: Session, name: string, authText: string): MessageRef | undefined {
  const namespace = normalizeNamespaceName(name)
  const auth = parseJsonObject(authText, namespaceAuth(namespace))
  if (!auth.ok) return auth.error
  if (session.namespaces.some(ns => ns.name === namespace)) return message('socketio.errors.namespaceListed', { namespace })
  session.namespaces.push({ name: namespace, auth: authText })
  socketIoDriverOf(session)?.addNamespace(namespace, auth.value)
  return undefined
}

export function removeNamespace(session: Session, name: string): void {
  session.namespaces = session.namespaces.filter(ns => ns.name !== name)
  socketIoDriverOf(session)?.removeNamespace(name)
}

export function setCatchAll(session: Session, on: boolean): void {
  session.listeners.catchAll = on
  socketIoDriverOf(session)?.setCatchAll(on)
}

/** Add, switch on or off a named listener. */
export function setListener(session: Session, name: string, on: boolean): void {
  const eventName = name.trim()
  if (!eventName) return
  const entry = session.listeners.names.find(l => l.name === eventName)
  if (entry) entry.on = on
  else session.listeners.names.push({ name: eventName, on })
  socketIoDriverOf(session)?.listen(eventName, on)
}

export function removeListener(session: Session, name: string): void {
  session.listeners.names = session.listeners.names.filter(l => l.name !== name)
  socketIoDriverOf(session)?.listen(name, false)
}

/** The arguments to answer a server's ack request with: a JSON array (`["ok"]`), or one JSON value. */
export function parseAckReply(text: string): { ok: true, value: unknown[] } | { ok: false, error: MessageRef } {
  if (text.trim() === '') return { ok: true, value: [] }
  try {
    const value = JSON.parse(text) as unknown
    return { ok: true, value: Array.isArray(value) ? value : [value] }
  }
  catch (e) {
    return { ok: false, error: message('socketio.errors.ackReplyNotJson', { detail: (e as Error).message }) }
  }
}

/** Switch automatic answers to server ack requests on or off, or change the arguments; the error is for the form. */
export function setAckReply(session: Session, on: boolean, args: string): MessageRef | undefined {
  session.listeners.ackReply = { on, args }
  const reply = parseAckReply(args)
  socketIoDriverOf(session)?.setServerAckReply(on && reply.ok ? reply.value : undefined)
  return on && !reply.ok ? reply.error : undefined
}

/** The rooms "Send to room" can send to: those joined, or asked to join without an ack to say so. */
export function joinedRooms(session: Session): string[] {
  return session.rooms.filter(r => r.status === 'joined' || r.status === 'unconfirmed').map(r => r.name)
}

/** The room "Send to room" sends to: the one chosen while it is still joined, else the last one joined. */
export function roomToSendTo(session: Session): string | undefined {
  const joined = joinedRooms(session)
  const chosen = session.roomSettings.sendRoom
  return joined.includes(chosen) ? chosen : joined.at(-1)
}

/** The arguments of a room message in the session's shape (src/sending/roomMessage.ts, shared with the fan-out). */
export { roomMessageArgs }

/** Why "Send to room" cannot send now, as a message; undefined when it can. */
export function roomSendBlocked(session: Session): MessageRef | undefined {
  if (session.readOnly || session.type !== 'socketio') return message('socketio.rooms.send.notSocketIo')
  if (!socketIoDriverOf(session) || (session.state !== 'open' && session.state !== 'reconnecting')) return message('socketio.rooms.send.notConnected')
  if (!roomToSendTo(session)) return message('socketio.rooms.send.noRoom')
  if (!session.roomSettings.sendEvent.trim()) return message('socketio.rooms.send.noEvent')
  return undefined
}

/**
 * The text "Send to room" sends: the Rooms panel's own "Text to send" when the person typed one, else the composer's
 * Message (what a person who typed a message and pressed "Send to room" means) — but only while the composer is on
 * the room's own event (a draft for another event belongs to that event), and not when that Message is already a
 * room message (a JSON object with the room key, as the study note's client writes it): "Send" sends that as it is,
 * and wrapping it again would address the room twice. Empty: nothing to send.
 */
export function roomSendText(session: Session): string {
  const settings = session.roomSettings
  if (settings.sendText !== '') return settings.sendText
  const { eventName, message: draft } = session.composer
  if (eventName.trim() !== settings.sendEvent.trim()) return ''
  return addressedToRoom(draft, roomShapeKeys(settings).roomKey) ? '' : draft
}

/** Whether a draft is a JSON object that already has the room key (looked at only when it is small enough to read). */
function addressedToRoom(text: string, roomKey: string): boolean {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') || trimmed.length > ROOM_DRAFT_READ_LIMIT) return false
  try {
    const value: unknown = JSON.parse(trimmed)
    return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, roomKey)
  }
  catch {
    return false
  }
}

const ROOM_DRAFT_READ_LIMIT = 64 * 1024

/** What "Send to room" came to: sent (to which room, as which event), or why not. */
export type RoomSendResult = { ok: true, room: string, event: string } | { ok: false, error: MessageRef }

/**
 * "Send to room": emit the room message (the session's event name and shape) to the chosen joined room, on the URL's
 * own namespace. The server does the rest: the study note's sends the others in the room `message` with the plain
 * text. No acknowledgement is asked for (that server sends none). `text`: the room text with its variables put in
 * (the sending store's `prepareText`); by default `roomSendText` as it is.
 */
export async function sendToRoom(session: Session, text = roomSendText(session)): Promise<RoomSendResult> {
  const blocked = roomSendBlocked(session)
  const room = roomToSendTo(session)
  const driver = socketIoDriverOf(session)
  if (blocked || room === undefined || !driver) return { ok: false, error: blocked ?? message('socketio.rooms.send.noRoom') }
  const event = session.roomSettings.sendEvent.trim()
  const result = await driver.send({ kind: 'event', name: event, args: roomMessageArgs(session.roomSettings, room, text) })
  return result.ok ? { ok: true, room, event } : { ok: false, error: result.error ?? message('composer.result.notSent') }
}

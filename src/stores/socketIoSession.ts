/**
 * A Socket.IO session's namespaces, listeners and ack replies, kept on the session and handed to its driver: the
 * implementation of the sessions store's actions (sessions.ts), which are the only way components change them.
 * Problems are messages (src/i18n, socketio.errors) the panels show in the person's language.
 */
import type { Session } from './session'
import { message, type MessageRef } from '@/protocol/message'
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

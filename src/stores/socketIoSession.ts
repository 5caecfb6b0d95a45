import type { Session } from './session'
import type { SocketIoDriver } from '@/protocol/socketio/driver'
import { parseJsonObject } from './session'

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
    const auth = parseJsonObject(ns.auth, `Auth of ${ns.name}`)
    driver.addNamespace(ns.name, auth.ok ? auth.value : undefined)
  }
}

/** Join another namespace over the same Manager; the error is a sentence for the form. */
export function addNamespace(session: Session, name: string, authText: string): string | undefined {
  const namespace = normalizeNamespaceName(name)
  const auth = parseJsonObject(authText, `Auth of ${namespace}`)
  if (!auth.ok) return auth.error
  if (session.namespaces.some(ns => ns.name === namespace)) return `${namespace} is already in the list.`
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
export function parseAckReply(text: string): { ok: true, value: unknown[] } | { ok: false, error: string } {
  if (text.trim() === '') return { ok: true, value: [] }
  try {
    const value = JSON.parse(text) as unknown
    return { ok: true, value: Array.isArray(value) ? value : [value] }
  }
  catch (e) {
    return { ok: false, error: `The ack reply is not valid JSON: ${(e as Error).message}` }
  }
}

/** Switch automatic answers to server ack requests on or off, or change the arguments; the error is for the form. */
export function setAckReply(session: Session, on: boolean, args: string): string | undefined {
  session.listeners.ackReply = { on, args }
  const reply = parseAckReply(args)
  socketIoDriverOf(session)?.setServerAckReply(on && reply.ok ? reply.value : undefined)
  return on && !reply.ok ? reply.error : undefined
}

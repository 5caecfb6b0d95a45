/**
 * How a session's form, composer and room settings change: the implementation of the sessions store's actions
 * (sessions.ts), which are the only way components change a session. Components call those actions or emit intents
 * to a parent that does; they never write into a session (`vue/no-mutating-props` is on). A read-only (imported)
 * session takes no edits.
 */
import type { ProtocolType, TransportName } from '@/protocol/types'
import type { ArgumentDraft, ComposerState, RoomSettings, Session, SocketIoSettings, WebSocketSettings } from './session'
import type { Preset } from './libraryDb'
import { defaultTypeFor } from '@/protocol/endpoint'
import { plain } from './libraryDb'

/** A connection is being made or is up: the endpoint is fixed until Disconnect. */
export function isBusy(session: Session): boolean {
  return session.state === 'connecting' || session.state === 'open' || session.state === 'reconnecting'
}

/** The endpoint as typed. A ws:// or http:// URL picks the matching type, as the deep link does (not while busy). */
export function setUrl(session: Session, url: string): void {
  if (session.readOnly) return
  session.url = url
  const guessed = defaultTypeFor(url)
  if (guessed && !isBusy(session)) session.type = guessed
}

/** The protocol, chosen by hand (overrides the guess from the scheme); fixed while busy. */
export function setType(session: Session, type: ProtocolType): void {
  if (session.readOnly || isBusy(session)) return
  session.type = type
}

/** An endpoint picked whole (from the recent ones): URL and type together. */
export function setEndpoint(session: Session, url: string, type: ProtocolType): void {
  if (session.readOnly || isBusy(session)) return
  session.url = url
  session.type = type
}

/** A saved connection preset: its endpoint and every connection setting (they apply on the next Connect). */
export function applyPreset(session: Session, preset: Preset): void {
  if (session.readOnly) return
  session.url = preset.url
  session.type = preset.type
  Object.assign(session.ws, plain(preset.ws))
  Object.assign(session.sio, plain(preset.sio))
}

/** Change raw WebSocket settings; they apply on the next Connect. */
export function updateWebSocketSettings(session: Session, change: Partial<WebSocketSettings>): void {
  if (session.readOnly) return
  Object.assign(session.ws, change)
}

/** Change Socket.IO settings; they apply on the next Connect. */
export function updateSocketIoSettings(session: Session, change: Partial<SocketIoSettings>): void {
  if (session.readOnly) return
  const { transports, ...rest } = change
  Object.assign(session.sio, rest)
  if (transports) session.sio.transports = TRANSPORT_ORDER.filter(t => transports.includes(t))
}

/** The order the client tries transports in, first to last; the list always keeps it. */
export const TRANSPORT_ORDER: readonly TransportName[] = ['polling', 'websocket', 'webtransport']

/** Switch one transport on or off, keeping the canonical order. */
export function setTransport(session: Session, name: TransportName, on: boolean): void {
  const list = session.sio.transports.filter(t => t !== name)
  if (on) list.push(name)
  updateSocketIoSettings(session, { transports: list })
}

export function updateRoomSettings(session: Session, change: Partial<RoomSettings>): void {
  if (session.readOnly) return
  Object.assign(session.roomSettings, change)
}

/** The composer's draft fields (not its arguments list, not its result: those have their own actions). */
export type ComposerDraft = Omit<ComposerState, 'extraArgs' | 'result'>

export function updateComposer(session: Session, change: Partial<ComposerDraft>): void {
  if (session.readOnly) return
  Object.assign(session.composer, change)
}

export function addArgument(session: Session): void {
  if (session.readOnly) return
  session.composer.extraArgs.push({ text: '', type: 'auto' })
}

/** Change the extra argument at `index` (0 is argument 2: argument 1 is the Message). */
export function updateArgument(session: Session, index: number, change: Partial<ArgumentDraft>): void {
  const arg = session.composer.extraArgs[index]
  if (session.readOnly || !arg) return
  Object.assign(arg, change)
}

export function removeArgument(session: Session, index: number): void {
  if (session.readOnly || index < 0 || index >= session.composer.extraArgs.length) return
  session.composer.extraArgs.splice(index, 1)
}

/**
 * What a diagnosis offers to retry with (socketio-core/types.ts DriverOffer): another client version, parser or
 * Socket.IO path (with the URL it was found at), or WebSocket only (a server's nodes without sticky sessions).
 */
export type RetryChoice =
  | { choice: 'version', value: 'v2' | 'v4' }
  | { choice: 'parser', value: 'default' | 'msgpack' }
  | { choice: 'path', value: string, url?: string }
  | { choice: 'transports', value: 'websocket' }

export function applyRetryChoice(session: Session, offer: RetryChoice): void {
  if (session.readOnly) return
  if (offer.choice === 'version') session.sio.version = offer.value
  else if (offer.choice === 'parser') session.sio.parser = offer.value
  else if (offer.choice === 'transports') updateSocketIoSettings(session, { transports: [offer.value] })
  else {
    session.sio.path = offer.value
    if (offer.url) session.url = offer.url
  }
}

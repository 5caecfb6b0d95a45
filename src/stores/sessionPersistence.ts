import type { Session } from './session'
import type { ProtocolType } from '@/protocol/types'
import { argumentDraftsFrom, argumentTypeFrom, isRecord, settingsLike, socketIoSettingsFrom, webSocketSettingsFrom } from './savedSettings'

/**
 * The open tabs survive a reload: their endpoints, connection settings, rooms and listener settings and composer
 * drafts (never their timelines, which can be gigabytes, nor a live connection: a reload starts disconnected).
 */
export const SESSIONS_STORAGE_KEY = 'socketlens.sessions.v1'

export interface SavedSession {
  name: string
  url: string
  type: ProtocolType
  ws: Session['ws']
  sio: Session['sio']
  roomSettings: Session['roomSettings']
  namespaces: Session['namespaces']
  listeners: Session['listeners']
  composer: Omit<Session['composer'], 'result'>
}

export interface SavedSessions {
  sessions: SavedSession[]
  active: number
}

export function snapshotSessions(sessions: readonly Session[], activeId: string | undefined): SavedSessions {
  return {
    active: Math.max(0, sessions.findIndex(s => s.id === activeId)),
    sessions: sessions.filter(s => !s.readOnly).map(s => ({
      name: s.name,
      url: s.url,
      type: s.type,
      ws: { ...s.ws },
      sio: { ...s.sio, transports: [...s.sio.transports] },
      roomSettings: { ...s.roomSettings },
      namespaces: s.namespaces.map(ns => ({ ...ns })),
      listeners: { catchAll: s.listeners.catchAll, names: s.listeners.names.map(l => ({ ...l })), ackReply: { ...s.listeners.ackReply } },
      composer: {
        message: s.composer.message,
        format: s.composer.format,
        eventName: s.composer.eventName,
        extraArgs: s.composer.extraArgs.map(a => ({ ...a })),
        firstArgType: s.composer.firstArgType,
        expectAck: s.composer.expectAck,
        ackTimeoutMs: s.composer.ackTimeoutMs,
        volatile: s.composer.volatile,
        compress: s.composer.compress,
        namespace: s.composer.namespace,
      },
    })),
  }
}

/** Put a saved tab's settings into a fresh session. A damaged entry loses its odd fields, never the app start. */
export function applySavedSession(session: Session, saved: unknown): void {
  if (!isRecord(saved)) return
  if (typeof saved.name === 'string') session.name = saved.name
  if (typeof saved.url === 'string') session.url = saved.url
  if (saved.type === 'ws' || saved.type === 'socketio') session.type = saved.type
  session.ws = webSocketSettingsFrom(saved.ws)
  session.sio = socketIoSettingsFrom(saved.sio)
  session.roomSettings = settingsLike(session.roomSettings, saved.roomSettings)
  if (Array.isArray(saved.namespaces))
    session.namespaces = saved.namespaces.filter(isRecord).filter(ns => typeof ns.name === 'string').map(ns => ({ name: ns.name as string, auth: typeof ns.auth === 'string' ? ns.auth : '' }))
  if (isRecord(saved.listeners)) {
    const l = saved.listeners
    session.listeners = {
      catchAll: l.catchAll !== false,
      names: Array.isArray(l.names) ? l.names.filter(isRecord).filter(n => typeof n.name === 'string').map(n => ({ name: n.name as string, on: n.on !== false })) : [],
      ackReply: settingsLike(session.listeners.ackReply, l.ackReply),
    }
  }
  const composer = settingsLike(session.composer, saved.composer)
  composer.firstArgType = argumentTypeFrom(composer.firstArgType)
  composer.extraArgs = argumentDraftsFrom(composer.extraArgs)
  session.composer = { ...composer, result: undefined }
}

export function loadSavedSessions(storage: Storage | undefined = globalThis.localStorage): SavedSessions | undefined {
  try {
    const raw = storage?.getItem(SESSIONS_STORAGE_KEY)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as unknown
    if (!isRecord(parsed) || !Array.isArray(parsed.sessions) || parsed.sessions.length === 0) return undefined
    return { sessions: parsed.sessions as SavedSession[], active: typeof parsed.active === 'number' ? parsed.active : 0 }
  }
  catch {
    return undefined
  }
}

export function saveSessions(snapshot: SavedSessions, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(SESSIONS_STORAGE_KEY, JSON.stringify(snapshot))
  }
  catch {
    // Storage full or disabled: the tabs simply do not come back after a reload.
  }
}

import type { ArgumentDraft, ArgumentType, BinaryInput, SocketIoSettings, WebSocketSettings } from './session'
import type { TransportName } from '@/protocol/types'
import { defaultSocketIoSettings, defaultWebSocketSettings } from './sessionDefaults'

/**
 * Settings read back from storage or a file (saved tabs, library presets) are untrusted: a field is taken only
 * when it has the type of its default, so a damaged or foreign entry loses its odd fields, never the app.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Copy the fields of `saved` that have the type of the default's (any array for an array); the rest keep it. */
export function settingsLike<T extends object>(defaults: T, saved: unknown): T {
  if (!isRecord(saved)) return defaults
  const out = { ...defaults } as Record<string, unknown>
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = saved[key]
    if (value === undefined) continue
    if (Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback && value !== null) out[key] = value
  }
  return out as T
}

const TRANSPORTS: readonly unknown[] = ['polling', 'websocket', 'webtransport'] satisfies TransportName[]

export function webSocketSettingsFrom(saved: unknown): WebSocketSettings {
  return settingsLike(defaultWebSocketSettings(), saved)
}

/** Socket.IO settings, with the client version and the transports checked against what exists. */
export function socketIoSettingsFrom(saved: unknown): SocketIoSettings {
  const sio = settingsLike(defaultSocketIoSettings(), saved)
  if (sio.version !== 'auto' && sio.version !== 'v4' && sio.version !== 'v2') sio.version = 'auto'
  if (sio.parser !== 'default' && sio.parser !== 'msgpack') sio.parser = 'default'
  sio.transports = sio.transports.filter(t => TRANSPORTS.includes(t))
  return sio
}

const ARGUMENT_TYPES: readonly unknown[] = ['auto', 'json', 'string', 'number', 'boolean', 'null', 'binary'] satisfies ArgumentType[]
const BINARY_INPUTS: readonly unknown[] = ['hex', 'base64', 'file'] satisfies BinaryInput[]

/** How a binary field is entered, else hex. */
export function binaryInputFrom(value: unknown): BinaryInput {
  return BINARY_INPUTS.includes(value) ? value as BinaryInput : 'hex'
}

/** An argument type the composer knows, else `auto`. */
export function argumentTypeFrom(value: unknown): ArgumentType {
  return ARGUMENT_TYPES.includes(value) ? value as ArgumentType : 'auto'
}

/** The composer's extra Socket.IO arguments; entries that are not objects are dropped. */
export function argumentDraftsFrom(value: unknown): ArgumentDraft[] {
  if (!Array.isArray(value)) return []
  return value.filter(isRecord).map(a => ({
    text: typeof a.text === 'string' ? a.text : '',
    type: argumentTypeFrom(a.type),
    ...(a.binaryInput === undefined ? {} : { binaryInput: binaryInputFrom(a.binaryInput) }),
  }))
}

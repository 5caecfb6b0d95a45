/**
 * The history of sent messages, per session: what the composer held before its variables were expanded, newest first,
 * at most HISTORY_LIMIT entries. Pure (no Vue): the sending store keeps it on the session, the tab's save writes it
 * (bounded by HISTORY_SAVED_CHARS), and the composer recalls it with Up/Down (`historyStep`) or from its menu.
 */
import type { UserVariable } from './variables'
import { isValidVariableName } from './variables'

export const HISTORY_LIMIT = 50
/** What a tab's saved history may hold in all (characters of text): localStorage is small and shared by every tab. */
export const HISTORY_SAVED_CHARS = 200_000
/** The session variables a tab saves, at most. */
export const VARIABLES_LIMIT = 200

export type HistoryFormat = 'text' | 'json' | 'binary'

export interface HistoryEntry {
  /** The session's type when it was sent. */
  type: 'ws' | 'socketio'
  message: string
  /** Raw WebSocket: the payload format. */
  format: HistoryFormat
  /**
   * Socket.IO: the event name, the first argument's type and the other arguments (types as the composer names them;
   * the store checks them when it recalls an entry). A binary Message's way of entry (hex, base64), when it had one.
   */
  eventName: string
  firstArgType: string
  extraArgs: { text: string, type: string }[]
  binaryInput?: string
  /** Epoch ms of the (last) send. */
  time: number
}

function sameDraft(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.type === b.type && a.message === b.message && a.format === b.format && a.eventName === b.eventName
    && a.firstArgType === b.firstArgType && a.binaryInput === b.binaryInput && a.extraArgs.length === b.extraArgs.length
    && a.extraArgs.every((arg, i) => arg.text === b.extraArgs[i]!.text && arg.type === b.extraArgs[i]!.type)
}

/** The history with `entry` as its newest: the same draft sent again moves up rather than being listed twice. */
export function pushHistory(history: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  return [entry, ...history.filter(e => !sameDraft(e, entry))].slice(0, limit)
}

/**
 * Up (older) or Down (newer) from `cursor` (-1: not in the history, the person's own draft). Returns the new cursor,
 * or undefined when there is nowhere to go (Up past the oldest, Down with nothing recalled). Down from the newest
 * goes back to -1: an empty Message.
 */
export function historyStep(length: number, cursor: number, key: 'up' | 'down'): number | undefined {
  if (key === 'up') return cursor + 1 < length ? cursor + 1 : undefined
  return cursor >= 0 ? cursor - 1 : undefined
}

function entryChars(entry: HistoryEntry): number {
  return entry.message.length + entry.eventName.length + entry.extraArgs.reduce((sum, a) => sum + a.text.length, 0)
}

/** The newest entries that fit in HISTORY_SAVED_CHARS: a huge payload is used, and recalled, but not saved. */
export function historyForSaving(history: readonly HistoryEntry[], budget = HISTORY_SAVED_CHARS): HistoryEntry[] {
  const out: HistoryEntry[] = []
  let used = 0
  for (const entry of history.slice(0, HISTORY_LIMIT)) {
    const chars = entryChars(entry)
    if (used + chars > budget) continue
    used += chars
    out.push({ ...entry, extraArgs: entry.extraArgs.map(a => ({ ...a })) })
  }
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const FORMATS: readonly unknown[] = ['text', 'json', 'binary']
const typeOf = (value: unknown): string => (typeof value === 'string' ? value : 'auto')

/** A saved history read back (untrusted): entries of the wrong shape are dropped, at most HISTORY_LIMIT kept. */
export function historyFrom(saved: unknown): HistoryEntry[] {
  if (!Array.isArray(saved)) return []
  const out: HistoryEntry[] = []
  for (const e of saved.slice(0, HISTORY_LIMIT)) {
    if (!isRecord(e) || typeof e.message !== 'string') continue
    out.push({
      type: e.type === 'socketio' ? 'socketio' : 'ws',
      message: e.message,
      format: FORMATS.includes(e.format) ? e.format as HistoryFormat : 'text',
      eventName: typeof e.eventName === 'string' ? e.eventName : '',
      firstArgType: typeOf(e.firstArgType),
      extraArgs: Array.isArray(e.extraArgs)
        ? e.extraArgs.filter(isRecord).map(a => ({ text: typeof a.text === 'string' ? a.text : '', type: typeOf(a.type) }))
        : [],
      ...(typeof e.binaryInput === 'string' ? { binaryInput: e.binaryInput } : {}),
      time: typeof e.time === 'number' && Number.isFinite(e.time) ? e.time : 0,
    })
  }
  return out
}

/** Saved variables read back (untrusted): valid names with string values, each name once (the last wins). */
export function variablesFrom(saved: unknown): UserVariable[] {
  if (!Array.isArray(saved)) return []
  const byName = new Map<string, string>()
  for (const v of saved.slice(0, VARIABLES_LIMIT)) {
    if (isRecord(v) && typeof v.name === 'string' && typeof v.value === 'string' && isValidVariableName(v.name)) byName.set(v.name, v.value)
  }
  return [...byName].map(([name, value]) => ({ name, value }))
}

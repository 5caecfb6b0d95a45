/**
 * A session's sending state as its saved tab holds it (src/stores/sessionPersistence.ts): the session variables, the
 * history within its character budget and the repeat fields; the counter is not saved (it starts at 1 in every page).
 * What comes back from storage is untrusted and checked field by field.
 */
import type { HistoryEntry } from './history'
import type { UserVariable } from './variables'
import { historyForSaving, historyFrom, VARIABLES_LIMIT, variablesFrom } from './history'

export interface SendingFields {
  variables: UserVariable[]
  history: HistoryEntry[]
  counter: number
  repeatCount: number
  repeatIntervalMs: number
}

export interface SavedSending {
  variables: UserVariable[]
  history: HistoryEntry[]
  repeatCount: number
  repeatIntervalMs: number
}

export function savedSending(state: SendingFields): SavedSending {
  return {
    variables: state.variables.slice(0, VARIABLES_LIMIT).map(v => ({ name: v.name, value: v.value })),
    history: historyForSaving(state.history),
    repeatCount: state.repeatCount,
    repeatIntervalMs: state.repeatIntervalMs,
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback
}

export function sendingStateFrom(saved: Record<string, unknown>): SendingFields {
  return {
    variables: variablesFrom(saved.variables),
    history: historyFrom(saved.history),
    counter: 1,
    repeatCount: Math.max(1, Math.floor(numberOr(saved.repeatCount, 10))),
    repeatIntervalMs: numberOr(saved.repeatIntervalMs, 1000),
  }
}

import type { ProtocolType, TimelineEvent } from '../protocol/types'

export interface ImportMeta {
  format: 'socketlens' | 'har'
  protocol: ProtocolType
  sessionName?: string
  endpoint?: string
  exportedAt?: string
  fileName?: string
  /** Events in the file. */
  count: number
}

export type ImportResult =
  | { ok: true, events: TimelineEvent[], meta: ImportMeta, warnings?: string[] }
  | { ok: false, error: string }

/** A problem with the file, in a sentence that names the line; `importTimeline` turns it into `{ ok: false }`. */
export class ImportError extends Error {}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (value === undefined) return 'nothing'
  const json = JSON.stringify(value)
  return json.length > 40 ? `${json.slice(0, 40)}…` : json
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

/** The line a JSON.parse error points at (V8 says "at position N" or "(line L column C)"). */
export function jsonErrorLine(text: string, error: unknown): number | undefined {
  const message = (error as Error).message
  const explicit = /line (\d+) column \d+/.exec(message)
  if (explicit) return Number(explicit[1])
  const position = /position (\d+)/.exec(message)
  return position ? lineAt(text, Number(position[1])) : undefined
}

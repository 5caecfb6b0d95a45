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

/** Progress of a long import: `done` of `total` units (entries, items) in the named phase. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'saving' | 'sorting' | 'opening'
  done: number
  total: number
}

export interface SliceOptions {
  /** Stops the work between two slices; the promise then rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal
  /**
   * Longest stretch of work before the browser gets the main thread back (input, rendering).
   * @default 8
   */
  budgetMs?: number
}

const now = (): number => globalThis.performance?.now() ?? Date.now()

/**
 * Give the main thread back for a moment: `scheduler.yield()` where the browser has it (Chromium 129+), else a
 * message-channel task (setTimeout(0) is clamped to 4 ms after a few nested calls).
 */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  if (typeof scheduler?.yield === 'function') return scheduler.yield()
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        resolve()
      }
      channel.port2.postMessage(undefined)
    })
  }
  return new Promise(resolve => setTimeout(resolve, 0))
}

/**
 * Run a generator of work in time slices: it `yield`s often (every few hundred items), and whenever the budget is
 * spent the browser gets the main thread back, so no task runs much past `budgetMs`. Returns what it returns.
 */
export async function runInSlices<T, P = unknown>(work: Iterator<P | undefined | void, T>, options: SliceOptions & { onProgress?: (progress: P) => void } = {}): Promise<T> {
  const budget = options.budgetMs ?? 8
  let sliceStart = now()
  let progress: P | undefined
  for (;;) {
    options.signal?.throwIfAborted()
    const step = work.next()
    if (step.done) return step.value
    if (step.value !== undefined) progress = step.value
    if (now() - sliceStart >= budget) {
      // Progress is told once a slice, when the page can show it.
      if (progress !== undefined) options.onProgress?.(progress)
      await yieldToBrowser()
      sliceStart = now()
    }
  }
}

/**
 * Merge sort as resumable work for `runInSlices`: native sort on short runs, then merges that yield every 1,024
 * items. Sorting 100,000 items by name is a few hundred milliseconds, far too long for one task.
 */
export function* sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, run = 1024): Generator<undefined, T[]> {
  const n = items.length
  let src = items.slice()
  for (let lo = 0; lo < n; lo += run) {
    const part = src.slice(lo, lo + run).sort(compare)
    for (let i = 0; i < part.length; i++) src[lo + i] = part[i]!
    yield
  }
  let dst = Array.from<T>({ length: n })
  for (let width = run; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n)
      const hi = Math.min(lo + 2 * width, n)
      let i = lo
      let j = mid
      for (let k = lo; k < hi; k++) {
        dst[k] = j >= hi || (i < mid && compare(src[i]!, src[j]!) <= 0) ? src[i++]! : src[j++]!
        if ((k & 1023) === 1023) yield
      }
    }
    [src, dst] = [dst, src]
  }
  return src
}

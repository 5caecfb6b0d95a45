import type { MessageParam, MessageRef } from '../protocol/message'
import { message } from '../protocol/message'
import type { ProtocolType, TimelineEvent } from '../protocol/types'
import type { TimelineOptions } from './timeline'
import { DEFAULT_MAX_EVENTS, Timeline } from './timeline'

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

/** Warnings and the error are messages (`timeline.import.*`): the UI puts them into the person's language. */
export type ImportResult =
  | { ok: true, events: TimelineEvent[], meta: ImportMeta, warnings?: MessageRef[] }
  | { ok: false, error: MessageRef }

/**
 * A problem with the file, as a message that names the line (`timeline.import.*`); `importTimeline` turns it into
 * `{ ok: false, error }`. `message` is the key only: the words are the UI's.
 */
export class ImportError extends Error {
  constructor(readonly ref: MessageRef) {
    super(ref.key)
    this.name = 'ImportError'
  }
}

/** Where in the file: "Line N". */
export const lineRef = (line: number): MessageRef => message('timeline.import.line', { line })

/** A value found in the file, as text (quoted and clipped); nothing there is the message "nothing". */
export function describe(value: unknown): MessageParam {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (value === undefined) return message('timeline.import.nothing')
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
  /**
   * Shortest time between two progress reports (each one renders the progress line).
   * @default PROGRESS_MS
   */
  progressEveryMs?: number
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
  const progressEvery = options.progressEveryMs ?? PROGRESS_MS
  let sliceStart = now()
  let progress: P | undefined
  let toldAt = -Infinity
  for (;;) {
    options.signal?.throwIfAborted()
    const step = work.next()
    if (step.done) return step.value
    if (step.value !== undefined) progress = step.value
    if (now() - sliceStart >= budget) {
      // Progress is told between slices, when the page can show it, and at most every `progressEveryMs`: each telling
      // renders the progress line, which costs the import time.
      if (progress !== undefined && sliceStart - toldAt >= progressEvery) {
        options.onProgress?.(progress)
        toldAt = sliceStart
      }
      await yieldToBrowser()
      sliceStart = now()
    }
  }
}

/** How often a long import tells its progress (a progress line needs no more). */
export const PROGRESS_MS = 100

/**
 * Merge sort as resumable work for `runInSlices`: native sort on short runs, then merges that yield every 1,024
 * items. Sorting 100,000 items by name is a few hundred milliseconds, far too long for one task.
 */
export function* sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, run = 1024): Generator<undefined, T[]> {
  const n = items.length
  // Already in order (a HAR file of one connection, a library read back): a copy, without the merges' garbage.
  let sorted = true
  for (let i = 1; i < n && sorted; i++) {
    if (compare(items[i - 1]!, items[i]!) > 0) sorted = false
    if ((i & 4095) === 4095) yield
  }
  if (sorted) return items.slice()
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

/**
 * `Timeline.from` as resumable work for `runInSlices`: the same timeline (the file's sequence numbers kept when they
 * run on one by one, as a whole timeline's export and every HAR import do; renumbered from 1 when they do not
 * increase), built a thousand events at a time, so opening a read file of a million events is no long task.
 * Numbers that increase with gaps (an export of a filtered view) can only be kept by `Timeline.from`, in one go.
 */
export function* timelineInSlices(events: readonly TimelineEvent[], options: TimelineOptions = {}): Generator<ImportProgress | undefined, Timeline> {
  const limits = { maxEvents: Math.max(options.maxEvents ?? DEFAULT_MAX_EVENTS, events.length), maxBytes: options.maxBytes ?? Number.MAX_SAFE_INTEGER }
  const total = events.length
  const first = events[0]?.seq
  let consecutive = first !== undefined && Number.isSafeInteger(first) && first > 0
  let increasing = true
  for (let i = 1; i < total && (consecutive || increasing); i++) {
    const seq = events[i]!.seq
    if (seq !== first! + i) consecutive = false
    if (!(seq > events[i - 1]!.seq)) increasing = false
    if ((i & 4095) === 4095) yield { phase: 'opening', done: 0, total }
  }
  if (!consecutive && increasing && total > 0) return Timeline.from(events, limits)
  // From here `append` numbers them: from the file's first number when they run on, else from 1 (as Timeline.from).
  const timeline = consecutive ? Timeline.from(events.slice(0, 1), limits) : new Timeline(limits)
  for (let i = consecutive ? 1 : 0; i < total; i++) {
    timeline.append(events[i]!)
    if ((i & 1023) === 1023) yield { phase: 'opening', done: i + 1, total }
  }
  // Nobody listens yet: the first listener is told of the next append, as with Timeline.from.
  timeline.acknowledge()
  return timeline
}

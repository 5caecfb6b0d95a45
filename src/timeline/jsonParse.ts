import type { ImportProgress } from './importCommon'
import { jsonErrorLine, PROGRESS_MS } from './importCommon'

export interface JsonWorkerRequest {
  file: Blob
  paths: string[][]
  /** Also send the line of every occurrence of this text (a key whose line error messages name). */
  linesOf?: string
}
export type JsonWorkerReply =
  | { type: 'error', message: string, line?: number }
  | { type: 'skeleton', value: unknown, lengths: number[], lines?: number[] }
  | { type: 'chunk', path: number, items: unknown[] }
  | { type: 'done' }

export type JsonParseResult = { ok: true, value: unknown, lines?: number[] } | { ok: false, message: string, line?: number }

function arrayAt(value: unknown, path: readonly string[]): unknown[] | undefined {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return Array.isArray(at) ? at : undefined
}

/**
 * Parse a JSON file without a long task on the main thread: a worker parses it and sends the arrays at `paths`
 * (the file's big lists: a library's items, a HAR file's entries) back a chunk at a time, each its own short task.
 * Where there is no Worker (Node, tests) or it cannot start, the file is parsed here in one go. `signal` stops it.
 */
export async function parseJsonOffThread(file: Blob, paths: string[][], options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void, linesOf?: string } = {}): Promise<JsonParseResult> {
  const { signal, onProgress, linesOf } = options
  signal?.throwIfAborted()
  let worker: Worker | undefined
  try {
    worker = typeof Worker === 'function' ? new Worker(new URL('./jsonParse.worker.ts', import.meta.url), { type: 'module' }) : undefined
  }
  catch {
    worker = undefined
  }
  if (!worker) return parseHere(await file.text(), linesOf)
  const running = worker
  return new Promise<JsonParseResult>((resolve, reject) => {
    let value: unknown
    let lines: number[] | undefined
    let total = 0
    let done = 0
    let toldAt = -Infinity
    const finish = (outcome: () => void) => {
      running.terminate()
      signal?.removeEventListener('abort', onAbort)
      outcome()
    }
    const onAbort = () => finish(() => reject(signal!.reason))
    signal?.addEventListener('abort', onAbort, { once: true })
    // A worker that cannot load (a policy, an old browser): parse here instead.
    running.onerror = (event) => {
      event.preventDefault()
      finish(() => void file.text().then(text => resolve(parseHere(text, linesOf)), reject))
    }
    running.onmessage = (event: MessageEvent<JsonWorkerReply>) => {
      const reply = event.data
      if (reply.type === 'error') finish(() => resolve({ ok: false, message: reply.message, ...(reply.line ? { line: reply.line } : {}) }))
      else if (reply.type === 'skeleton') {
        value = reply.value
        lines = reply.lines
        total = reply.lengths.reduce((a, b) => a + b, 0)
      }
      else if (reply.type === 'chunk') {
        const list = arrayAt(value, paths[reply.path]!)
        for (const item of reply.items) list?.push(item)
        done += reply.items.length
        // A chunk is a task of its own; the progress line is redrawn at most every PROGRESS_MS.
        const at = performance.now()
        if (at - toldAt >= PROGRESS_MS) {
          toldAt = at
          onProgress?.({ phase: 'reading', done, total })
        }
      }
      else {
        finish(() => resolve({ ok: true, value, ...(lines ? { lines } : {}) }))
      }
    }
    running.postMessage({ file, paths, ...(linesOf ? { linesOf } : {}) } satisfies JsonWorkerRequest)
  })
}

/** Parse in one go (where no worker runs), with the same answer as the worker's. */
export function parseHere(text: string, linesOf?: string): JsonParseResult {
  try {
    const value: unknown = JSON.parse(text)
    return linesOf ? { ok: true, value, lines: linesOfText(text, linesOf) } : { ok: true, value }
  }
  catch (error) {
    const line = jsonErrorLine(text, error)
    return { ok: false, message: (error as Error).message, ...(line ? { line } : {}) }
  }
}

/** The 1-based line of every occurrence of `needle`, in one pass over the text. */
export function linesOfText(text: string, needle: string): number[] {
  const lines: number[] = []
  let line = 1
  let from = 0
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    for (let nl = text.indexOf('\n', from); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) line++
    from = at
    lines.push(line)
  }
  return lines
}

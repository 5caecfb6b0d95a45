import type { ImportProgress } from './importCommon'

export interface JsonWorkerRequest { file: Blob, paths: string[][] }
export type JsonWorkerReply =
  | { type: 'error', message: string }
  | { type: 'skeleton', value: unknown, lengths: number[] }
  | { type: 'chunk', path: number, items: unknown[] }
  | { type: 'done' }

export type JsonParseResult = { ok: true, value: unknown } | { ok: false, message: string }

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
export async function parseJsonOffThread(file: Blob, paths: string[][], options: { signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void } = {}): Promise<JsonParseResult> {
  const { signal, onProgress } = options
  signal?.throwIfAborted()
  let worker: Worker | undefined
  try {
    worker = typeof Worker === 'function' ? new Worker(new URL('./jsonParse.worker.ts', import.meta.url), { type: 'module' }) : undefined
  }
  catch {
    worker = undefined
  }
  if (!worker) return parseHere(await file.text())
  const running = worker
  return new Promise<JsonParseResult>((resolve, reject) => {
    let value: unknown
    let total = 0
    let done = 0
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
      finish(() => void file.text().then(text => resolve(parseHere(text)), reject))
    }
    running.onmessage = (event: MessageEvent<JsonWorkerReply>) => {
      const reply = event.data
      if (reply.type === 'error') finish(() => resolve({ ok: false, message: reply.message }))
      else if (reply.type === 'skeleton') {
        value = reply.value
        total = reply.lengths.reduce((a, b) => a + b, 0)
      }
      else if (reply.type === 'chunk') {
        const list = arrayAt(value, paths[reply.path]!)
        for (const item of reply.items) list?.push(item)
        done += reply.items.length
        onProgress?.({ phase: 'reading', done, total })
      }
      else {
        finish(() => resolve({ ok: true, value }))
      }
    }
    running.postMessage({ file, paths } satisfies JsonWorkerRequest)
  })
}

function parseHere(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) }
  }
  catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}

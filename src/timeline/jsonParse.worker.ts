/**
 * Parses a big JSON file off the main thread (JSON.parse of 10 MB is a 100–500 ms task) and sends it back in
 * pieces: first the value with the big arrays emptied, then those arrays a chunk at a time, so the page receives
 * (and structured-clones) it in many short tasks. See parseJsonOffThread in jsonParse.ts.
 */
import type { JsonWorkerReply, JsonWorkerRequest } from './jsonParse'
import { parseHere } from './jsonParse'

const CHUNK = 250
const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<JsonWorkerRequest>) => void) | null, postMessage: (reply: JsonWorkerReply) => void }

function holderOf(value: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let at = value
  for (const key of path.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at !== null && typeof at === 'object' && !Array.isArray(at) ? at as Record<string, unknown> : undefined
}

scope.onmessage = async (event) => {
  const { file, paths, linesOf } = event.data
  const parsed = parseHere(await file.text(), linesOf)
  if (!parsed.ok) {
    scope.postMessage({ type: 'error', ...parsed })
    return
  }
  const value = parsed.value
  // Take the big arrays out, send what is left, then the arrays piece by piece.
  const arrays = paths.map((path) => {
    const holder = holderOf(value, path)
    const key = path[path.length - 1]!
    const list = holder?.[key]
    if (!holder || !Array.isArray(list)) return undefined
    holder[key] = []
    return list as unknown[]
  })
  scope.postMessage({ type: 'skeleton', value, lengths: arrays.map(a => a?.length ?? 0), ...(parsed.lines ? { lines: parsed.lines } : {}) })
  arrays.forEach((list, path) => {
    for (let i = 0; list && i < list.length; i += CHUNK) scope.postMessage({ type: 'chunk', path, items: list.slice(i, i + CHUNK) })
  })
  scope.postMessage({ type: 'done' })
}

/**
 * A copy of an event that the structured clone accepts, for the rare event it refuses: a value nested deeper than the
 * Worker's stack lets the serializer go (V8's serializer recurses: in a Chromium Worker a 2,000-level Socket.IO argument
 * overflows it), or a function a server library left among an emit's arguments. Called only after a batch failed to
 * post, so it may be slow; it is iterative and bounded: a server decides how deep its arguments nest.
 *
 * Nothing a server sent is lost: a value deeper than MAX_DEPTH travels as its JSON text (written without recursion,
 * codec/jsonText.ts) beside the event, with the path where it belongs, and `restoreDeep` puts it back on the page with
 * `JSON.parse`, which does not recurse. Only what JSON cannot hold inside such a value (binary, functions) and functions
 * anywhere become short texts.
 */
import { jsonText } from '../codec/jsonText'

/** Levels copied as structure; a deeper value goes as JSON text. Far below any Worker's stack. */
export const MAX_DEPTH = 64
/** At most this many values are copied per event; the rest are written as a short text. */
const MAX_VALUES = 1_000_000

/** A value that goes as JSON text: the event's index in its segment, where it belongs, and the text. */
export interface DeepValue {
  event: number
  path: (string | number)[]
  text: string
}

/** What stands for a value the clone cannot take. */
function stand(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value === 'symbol') return value.toString()
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `[binary, ${value.byteLength} bytes]`
  return `[${Object.prototype.toString.call(value).slice(8, -1)}]`
}

function leaf(value: unknown): value is string | number | boolean | bigint | undefined | null {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
}

/** Values the clone copies as they are (binary, dates, errors): kept whole. */
function cloneAsIs(value: object): boolean {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) || value instanceof Date || value instanceof Error
    || (typeof Blob !== 'undefined' && value instanceof Blob)
}

function plain(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return Array.isArray(value) || proto === Object.prototype || proto === null
}

/**
 * The event (or a message) as is when the clone takes it, else a copy that it takes, with its deep values in `deep`.
 * `force` copies without trying: the page's stack is deeper than a Worker's, so what the page can serialize the
 * Worker may not be able to read back.
 */
export function cloneable<T extends object>(event: T, index: number, deep: DeepValue[], force = false): T {
  if (!force) {
    try {
      structuredClone(event)
      return event
    }
    catch {
      // Copied below.
    }
  }
  let budget = MAX_VALUES
  const root: Record<string, unknown> = {}
  // [source, target, depth, path of target]: the walk is a stack, not recursion.
  const stack: [object, Record<string, unknown> | unknown[], number, (string | number)[]][] = [[event, root, 0, []]]
  while (stack.length > 0) {
    const [source, target, depth, path] = stack.pop()!
    const entries: [string | number, unknown][] = Array.isArray(source) ? source.map((v, i) => [i, v]) : Object.entries(source)
    for (const [key, value] of entries) {
      const put = (v: unknown) => {
        (target as Record<string | number, unknown>)[key] = v
      }
      if (--budget < 0) {
        put('[…]')
        continue
      }
      if (leaf(value)) put(value)
      else if (typeof value !== 'object') put(stand(value))
      else if (cloneAsIs(value)) put(value)
      else if (depth + 1 >= MAX_DEPTH && plain(value)) {
        put(null)
        deep.push({ event: index, path: [...path, key], text: jsonText(value, { replace: v => leaf(v) || (typeof v === 'object' && plain(v)) ? v : stand(v) }).text })
      }
      else if (plain(value)) {
        const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {}
        put(copy)
        stack.push([value, copy, depth + 1, [...path, key]])
      }
      else if (value instanceof Map || value instanceof Set) {
        const copy: unknown[] = []
        put(copy)
        stack.push([[...(value instanceof Map ? value.entries() : value.values())], copy, depth + 1, [...path, key]])
      }
      else put(stand(value))
    }
  }
  return root as unknown as T
}

/** Put the deep values back into the events (or the message) they came from. Paths are at most MAX_DEPTH long. */
export function restoreDeep(events: readonly unknown[], deep: readonly DeepValue[]): void {
  for (const { event, path, text } of deep) {
    let at: unknown = events[event]
    for (let i = 0; i < path.length - 1 && at !== null && typeof at === 'object'; i++) at = (at as Record<string | number, unknown>)[path[i]!]
    if (at !== null && typeof at === 'object') (at as Record<string | number, unknown>)[path[path.length - 1]!] = JSON.parse(text)
  }
}

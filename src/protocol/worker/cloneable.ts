/**
 * A copy of an event that the structured clone accepts, for the rare event that holds something it refuses (a
 * function a server library left among an emit's arguments, a class instance with a private slot). Called only after a
 * batch failed to post, so it is allowed to be slow; it is bounded in depth and in values, and iterative: a server
 * decides how deep its arguments nest.
 */
import type { DraftEvent } from '../events'

/** Deeper than this, a value is written as a short text instead. */
const MAX_DEPTH = 64
/** At most this many values are copied per event; the rest are written as a short text. */
const MAX_VALUES = 100_000

/** What stands for a value the clone cannot take. */
function stand(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value === 'symbol') return value.toString()
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

export function cloneable(event: DraftEvent): DraftEvent {
  let budget = MAX_VALUES
  const root: Record<string, unknown> = {}
  // [source, target, depth]: the walk is a stack, not recursion.
  const stack: [object, Record<string, unknown> | unknown[], number][] = [[event, root, 0]]
  while (stack.length > 0) {
    const [source, target, depth] = stack.pop()!
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
      else if (depth + 1 >= MAX_DEPTH) put(`[nested deeper than ${MAX_DEPTH} levels]`)
      else if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
        const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {}
        put(copy)
        stack.push([value, copy, depth + 1])
      }
      else if (value instanceof Map || value instanceof Set) {
        const copy: unknown[] = []
        put(copy)
        stack.push([[...(value instanceof Map ? value.entries() : value.values())], copy, depth + 1])
      }
      else put(stand(value))
    }
  }
  return root as unknown as DraftEvent
}

import { sortInSlices } from '@/timeline/importCommon'

/**
 * The library's lists as plain sorted arrays (never deep-reactive: a library can hold 100,000 items). Small
 * changes are linear; a big merge is resumable work for `runInSlices`, so it never holds the main thread.
 */
export interface NamedItem { id: string, name: string }

export const byName = (a: NamedItem, b: NamedItem): number => a.name.localeCompare(b.name)

export function sortInSlicesByName<T extends NamedItem>(items: readonly T[]): Generator<undefined, T[]> {
  return sortInSlices(items, byName)
}

/** `list` without the items whose ids are given, with `items` inserted in name order. */
export function withItems<T extends NamedItem>(list: readonly T[], items: readonly T[], removeIds: Iterable<string> = []): T[] {
  const drop = new Set(removeIds)
  for (const item of items) drop.add(item.id)
  const next = drop.size > 0 ? list.filter(item => !drop.has(item.id)) : list.slice()
  for (const item of items) {
    let lo = 0
    let hi = next.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (byName(next[mid]!, item) <= 0) lo = mid + 1
      else hi = mid
    }
    next.splice(lo, 0, item)
  }
  return next
}

/** All of `list` and `incoming` in name order, an incoming item replacing the listed one with its id. */
export function* mergeInSlices<T extends NamedItem>(list: readonly T[], incoming: readonly T[]): Generator<undefined, T[]> {
  const replaced = new Set<string>()
  for (let i = 0; i < incoming.length; i++) {
    replaced.add(incoming[i]!.id)
    if ((i & 1023) === 1023) yield
  }
  const kept: T[] = []
  for (let i = 0; i < list.length; i++) {
    if (!replaced.has(list[i]!.id)) kept.push(list[i]!)
    if ((i & 1023) === 1023) yield
  }
  const sorted = yield* sortInSlices(incoming, byName)
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < kept.length || j < sorted.length) {
    out.push(j >= sorted.length || (i < kept.length && byName(kept[i]!, sorted[j]!) <= 0) ? kept[i++]! : sorted[j++]!)
    if ((out.length & 1023) === 0) yield
  }
  return out
}

/** Items whose name or any of `fields` contains `query` (case-insensitive), as resumable work. */
export function* searchInSlices<T extends NamedItem>(list: readonly T[], query: string, fields: (item: T) => string): Generator<undefined, T[]> {
  const needle = query.trim().toLowerCase()
  if (!needle) return list.slice()
  const out: T[] = []
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!
    if (item.name.toLowerCase().includes(needle) || fields(item).toLowerCase().includes(needle)) out.push(item)
    if ((i & 511) === 511) yield
  }
  return out
}

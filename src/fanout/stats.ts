/** Latency figures: min / median / p95 / max (nearest rank) and equal-width histogram bins. */

export interface LatencySummary {
  count: number
  min: number
  median: number
  p95: number
  max: number
}

/** The value at percentile `p` (0–100) of sorted values, by nearest rank; undefined when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length)
  return sorted[Math.max(rank, 1) - 1]
}

/** Sorted ascending, as a typed array (numeric sort; the input is not changed). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values)
  copy.sort()
  return copy
}

export function summarize(values: ArrayLike<number>): LatencySummary | undefined {
  if (values.length === 0) return undefined
  const sorted = sortedCopy(values)
  return {
    count: sorted.length,
    min: sorted[0]!,
    median: percentile(sorted, 50)!,
    p95: percentile(sorted, 95)!,
    max: sorted[sorted.length - 1]!,
  }
}

export interface HistogramBin {
  /** Inclusive lower bound (ms). */
  from: number
  /** Exclusive upper bound, inclusive for the last bin (ms). */
  to: number
  count: number
}

/** A width that reads well: 1, 2 or 5 times a power of ten, at least `raw`. */
function niceWidth(raw: number): number {
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power
  return 10 * power
}

/**
 * At most `maxBins` bins of a round width (1, 2, 5 × 10ⁿ ms) from a round start at or below the minimum; every value
 * falls in exactly one bin. No values: no bins.
 */
export function histogram(values: ArrayLike<number>, maxBins = 10): HistogramBin[] {
  if (values.length === 0) return []
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v < min) min = v
    if (v > max) max = v
  }
  const bins = Math.max(1, Math.floor(maxBins))
  let width = niceWidth((max - min) / bins)
  let start = Math.floor(min / width) * width
  // The round start can push the top past the last bin: widen once more.
  while (start + width * bins <= max && max > min) {
    width = niceWidth(width * 1.0001)
    start = Math.floor(min / width) * width
  }
  const count = max === min ? 1 : Math.min(bins, Math.floor((max - start) / width) + 1)
  const out: HistogramBin[] = Array.from({ length: count }, (_, i) => ({ from: start + i * width, to: start + (i + 1) * width, count: 0 }))
  for (let i = 0; i < values.length; i++) {
    const index = Math.min(count - 1, Math.floor((values[i]! - start) / width))
    out[index]!.count++
  }
  return out
}

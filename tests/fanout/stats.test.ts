import { describe, expect, it } from 'vitest'
import { histogram, percentile, summarize } from '../../src/fanout/stats'

describe('latency figures', () => {
  it('takes percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(sorted, 50)).toBe(50)
    expect(percentile(sorted, 95)).toBe(95)
    expect(percentile(sorted, 100)).toBe(100)
    expect(percentile(sorted, 0)).toBe(1)
    expect(percentile([], 50)).toBeUndefined()
    expect(percentile([4], 95)).toBe(4)
  })

  it('summarizes unsorted values numerically (10 after 9, not before 2)', () => {
    expect(summarize([10, 2, 9, 1])).toEqual({ count: 4, min: 1, median: 2, p95: 10, max: 10 })
    expect(summarize([])).toBeUndefined()
  })

  it('puts every value in exactly one round-width bin', () => {
    const values = [0.4, 1, 3.2, 7.9, 12, 19.99, 20]
    const bins = histogram(values, 10)
    expect(bins.length).toBeLessThanOrEqual(10)
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length)
    expect(bins[0]!.from).toBeLessThanOrEqual(0.4)
    expect(bins.at(-1)!.to).toBeGreaterThan(20)
    const width = bins[0]!.to - bins[0]!.from
    expect([1, 2, 5, 10, 20, 50].some(w => Math.abs(w - width) < 1e-9)).toBe(true)
    for (const v of values) expect(bins.filter(b => v >= b.from && v < b.to).length).toBe(1)
  })

  it('gives one bin for equal values and none for no values', () => {
    expect(histogram([5, 5, 5])).toEqual([{ from: 5, to: 6, count: 3 }])
    expect(histogram([])).toEqual([])
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { navigationTarget } from '../../src/components/timeline/keyboard'
import { useTimelineWindow } from '../../src/composables/useTimelineWindow'

describe('useTimelineWindow', () => {
  it('renders the rows on screen plus overscan, at their offset', () => {
    const w = useTimelineWindow(ref(1000), ref(false), { rowHeight: 20, overscan: 2 })
    w.viewport.value = 200
    w.userTop.value = 1000 // row 50 at the top
    expect([w.first.value, w.last.value, w.offset.value]).toEqual([48, 62, 960])
    expect(w.totalPx.value).toBe(20_000)
  })

  it('renders the full overscan ahead of the scroll and a little behind it', () => {
    const w = useTimelineWindow(ref(1000), ref(false), { rowHeight: 20, overscan: 6, overscanBehind: 1 })
    w.viewport.value = 200
    w.userTop.value = 1000 // scrolling down: rows 50–59 on screen
    expect([w.first.value, w.last.value]).toEqual([49, 66])
    w.userTop.value = 900 // scrolling up: rows 45–54
    expect([w.first.value, w.last.value]).toEqual([39, 56])
    w.userTop.value = 900 // no move: the last direction holds
    expect([w.first.value, w.last.value]).toEqual([39, 56])
  })

  it('renders no overscan after a jump (a scroll of a screen or more), and the full overscan again after a small scroll', () => {
    const w = useTimelineWindow(ref(1000), ref(false), { rowHeight: 20, overscan: 6, overscanBehind: 1, overscanAfterJump: 0 })
    w.viewport.value = 200
    w.userTop.value = 1000 // a jump down: rows 50–59 on screen, nothing around them
    expect([w.first.value, w.last.value]).toEqual([50, 60])
    w.userTop.value = 1060 // 3 rows down: rows 53–62 on screen, 6 ahead, 1 behind
    expect([w.first.value, w.last.value]).toEqual([52, 69])
    w.userTop.value = 200 // a jump up: rows 10–19
    expect([w.first.value, w.last.value]).toEqual([10, 20])
    w.userTop.value = 180 // a row up: 6 ahead (above), 1 behind
    expect([w.first.value, w.last.value]).toEqual([3, 20])
  })

  it('follows the tail while following, whatever the scroll position', () => {
    const count = ref(1000)
    const w = useTimelineWindow(count, ref(true), { rowHeight: 20, overscan: 2 })
    w.viewport.value = 200
    // No overscan above the screen while following: those rows would be re-rendered on every tick of a flood.
    expect([w.effectiveTop.value, w.first.value, w.last.value]).toEqual([19_800, 990, 1000])
    count.value = 1010
    expect([w.effectiveTop.value, w.last.value]).toEqual([20_000, 1010])
  })

  it('maps a million rows onto a capped scroll height, reaching both ends', () => {
    const count = ref(1_000_000)
    const follow = ref(false)
    const w = useTimelineWindow(count, follow, { rowHeight: 22, overscan: 0, maxScrollPx: 15_000_000 })
    w.viewport.value = 440
    expect(w.totalPx.value).toBe(15_000_000)
    w.userTop.value = 0
    expect([w.first.value, w.last.value, w.offset.value]).toEqual([0, 20, 0])
    w.userTop.value = 15_000_000 - 440 // the bottom
    expect([w.first.value, w.last.value]).toEqual([999_980, 1_000_000])
    // Rows sit inside the viewport: offset within [scrollTop - rowHeight, scrollTop].
    expect(w.offset.value).toBeLessThanOrEqual(w.userTop.value)
    expect(w.offset.value).toBeGreaterThan(w.userTop.value - 22)
    w.userTop.value = (15_000_000 - 440) / 2 // the middle
    expect(w.topIndex()).toBe(499_990)
    // scrollTopFor is the inverse of topIndex.
    w.userTop.value = w.scrollTopFor(123_456)
    expect(w.topIndex()).toBe(123_456)
  })

  it('reveals a row by scrolling the least amount', () => {
    const w = useTimelineWindow(ref(1000), ref(false), { rowHeight: 20, overscan: 0 })
    w.viewport.value = 200
    w.userTop.value = 1000
    w.reveal(55) // already visible
    expect(w.userTop.value).toBe(1000)
    w.reveal(70) // below: scroll so it is the last row
    expect(w.userTop.value).toBe(71 * 20 - 200)
    w.reveal(3) // above: scroll so it is the first row
    expect(w.userTop.value).toBe(60)
  })
})

describe('navigationTarget', () => {
  it('moves by one, by a page, to the ends, and starts from the screen with nothing selected', () => {
    expect(navigationTarget('ArrowDown', 5, 100, 10, 1000)).toBe(6)
    expect(navigationTarget('ArrowUp', 5, 100, 10, 1000)).toBe(4)
    expect(navigationTarget('PageDown', 5, 100, 10, 1000)).toBe(15)
    expect(navigationTarget('PageUp', 5, 100, 10, 1000)).toBe(-5) // the list clamps
    expect(navigationTarget('Home', 5, 100, 10, 1000)).toBe(0)
    expect(navigationTarget('End', 5, 100, 10, 1000)).toBe(999)
    expect(navigationTarget('ArrowDown', -1, 100, 10, 1000)).toBe(100)
    expect(navigationTarget('ArrowUp', -1, 100, 10, 1000)).toBe(110)
    expect(navigationTarget('a', 5, 100, 10, 1000)).toBeUndefined()
  })
})

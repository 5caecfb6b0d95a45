import type { ComputedRef, Ref } from 'vue'
import { computed, ref, watch } from 'vue'

export interface UseTimelineWindowOptions {
  /**
   * Height of every row in px (rows are fixed-height: that is what makes the window O(1)).
   * @default 22
   */
  rowHeight?: number
  /**
   * Rows rendered beyond the edge of the viewport the list is scrolling towards (below only while following the
   * tail): they are on screen before the main thread renders the next step of a compositor-driven scroll.
   * @default 6
   */
  overscan?: number
  /**
   * Rows rendered beyond the edge the list is scrolling away from: rows there just left the screen, so a few
   * suffice for a scroll that turns back. Every row rendered costs each step its layout and paint.
   * @default 2 (at most `overscan`)
   */
  overscanBehind?: number
  /**
   * Rows rendered beyond each edge after a jump: a scroll that left no row of the screen on it (a scrollbar dragged,
   * Home, End, a row revealed far away). Rows ahead help only a scroll that continues from here, and the next step
   * of a drag lands as far away again: after a jump each overscan row is layout and paint for nobody (issue 12: a
   * step over a million events is mostly the rows' layout and paint). A scroll that stays within a screen of the
   * last one (a wheel, an arrow key) gets `overscan` again.
   * @default `overscan` (no difference)
   */
  overscanAfterJump?: number
  /**
   * Tallest scrollable height used; past it the scrollbar maps proportionally onto the rows. Browsers cap an
   * element's height (~17.9M px in Firefox, ~33.5M px in Chromium), and 1,000,000 rows of 22 px are 22M px.
   * @default 15_000_000
   */
  maxScrollPx?: number
  /**
   * Viewport height until the element is measured (and in DOM-less tests).
   * @default 480
   */
  fallbackViewport?: number
}

export interface UseTimelineWindowReturn {
  rowHeight: number
  /** Visible height of the scroller, px; set it from a ResizeObserver. */
  viewport: Ref<number>
  /** Where the person scrolled (scrollTop), px. */
  userTop: Ref<number>
  /** Height of the scrollable content, px. */
  totalPx: ComputedRef<number>
  /** The scrollTop the window is at: the bottom while following, else `userTop` (clamped). */
  effectiveTop: ComputedRef<number>
  /** `effectiveTop` in row space (differs from it once the content is taller than `maxScrollPx`). */
  virtualTop: ComputedRef<number>
  /** Rendered rows: indexes [first, last). */
  first: ComputedRef<number>
  last: ComputedRef<number>
  /** translateY of the first rendered row, px. */
  offset: ComputedRef<number>
  /** Index of the row at the top edge of the viewport. */
  topIndex: () => number
  /** The scrollTop that puts row `index` at the top (plus `within` px). */
  scrollTopFor: (index: number, within?: number) => number
  /** Scroll the least amount that shows row `index` (updates `userTop`). */
  reveal: (index: number) => void
}

/**
 * The list window over a timeline view with fixed-height rows. Not @tanstack/vue-virtual: its measurement pass is
 * O(count) on every count change (virtual-core 3.19 rebuilds its offsets array: ~15 ms for 1,000,000 rows in
 * Node), which during a flood would run once per tick. With fixed rows the window is plain arithmetic.
 */
export function useTimelineWindow(count: Readonly<Ref<number>>, follow: Readonly<Ref<boolean>>, options: UseTimelineWindowOptions = {}): UseTimelineWindowReturn {
  const { rowHeight = 22, overscan = 6, maxScrollPx = 15_000_000, fallbackViewport = 480 } = options
  const behind = Math.min(overscan, options.overscanBehind ?? 2)
  const afterJump = Math.min(overscan, options.overscanAfterJump ?? overscan)
  const viewport = ref(fallbackViewport)
  const userTop = ref(0)
  /** Which way the list last scrolled: the overscan goes ahead of the scroll (down at first). */
  const up = ref(false)
  /** Whether the last scroll moved by a screen or more (no row stayed on screen). */
  const jumped = ref(false)
  watch(userTop, (top, previous) => {
    if (top === previous) return
    up.value = top < previous
    jumped.value = Math.abs(top - previous) >= viewport.value
  }, { flush: 'sync' })
  const fullPx = computed(() => count.value * rowHeight)
  const totalPx = computed(() => Math.min(fullPx.value, maxScrollPx))
  const maxScrollTop = computed(() => Math.max(0, totalPx.value - viewport.value))
  const ratio = computed(() => totalPx.value > viewport.value ? (fullPx.value - viewport.value) / (totalPx.value - viewport.value) : 1)
  const effectiveTop = computed(() => follow.value ? maxScrollTop.value : Math.min(userTop.value, maxScrollTop.value))
  const virtualTop = computed(() => effectiveTop.value * ratio.value)
  // While following, nothing is scrolled into view from above before the next render: rows above the screen would
  // be rendered on every tick of a flood for nobody (a fifth of the rows), so the overscan is below only.
  const first = computed(() => Math.max(0, Math.floor(virtualTop.value / rowHeight) - (follow.value ? 0 : jumped.value ? Math.min(afterJump, up.value ? overscan : behind) : up.value ? overscan : behind)))
  const last = computed(() => Math.min(count.value, Math.ceil((virtualTop.value + viewport.value) / rowHeight) + (!follow.value && jumped.value ? Math.min(afterJump, up.value ? behind : overscan) : follow.value || !up.value ? overscan : behind)))
  const offset = computed(() => effectiveTop.value + first.value * rowHeight - virtualTop.value)

  const topIndex = () => Math.floor(virtualTop.value / rowHeight)
  const scrollTopFor = (index: number, within = 0) => Math.max(0, (index * rowHeight + within) / ratio.value)

  function reveal(index: number): void {
    const rowTop = index * rowHeight
    const top = virtualTop.value
    let next = top
    if (rowTop < top) next = rowTop
    else if (rowTop + rowHeight > top + viewport.value) next = rowTop + rowHeight - viewport.value
    if (next !== top) userTop.value = Math.max(0, next / ratio.value)
  }

  return { rowHeight, viewport, userTop, totalPx, effectiveTop, virtualTop, first, last, offset, topIndex, scrollTopFor, reveal }
}

import type { ComputedRef, MaybeRefOrGetter, Ref } from 'vue'
import { computed, onBeforeUnmount, onMounted, shallowRef, toValue, watch } from 'vue'
import { renderingBetweenFrames } from './useTimelineTick'
import { useTimelineWindow, type UseTimelineWindowReturn } from './useTimelineWindow'

/**
 * The list's height as the last list measured it: every list sits in about the same place, so a new one starts with
 * it rather than reading the layout while it mounts (`clientHeight` there laid out the whole new session view inside
 * the task that rendered it: a big imported session's first render was one long task, issue 11).
 */
let lastViewport: number | undefined
const FALLBACK_VIEWPORT = 480

/** How a list finds the row at the top of its screen again after old rows were dropped or a filter changed. */
export interface TimelineScrollerAnchor<A> {
  /** What is at row `index` (undefined: nothing to hold on to). */
  at: (index: number) => A | undefined
  /** Where that row is now. */
  find: (anchor: A) => number
}

export interface UseTimelineScrollerOptions<A> {
  /** The scrolling element (the component's `ref="scroller"`). */
  scroller: Readonly<Ref<HTMLElement | undefined>>
  /** Rows in the list. */
  count: Readonly<Ref<number>>
  /** Follow the tail (the list's model): turned off when the person scrolls up, on again at the bottom. */
  following: Ref<boolean>
  /** While true the list does not follow, whatever `following` says (a paused timeline). */
  paused?: MaybeRefOrGetter<boolean>
  /** Bumped whenever the rows changed: the anchor is looked up again then. */
  revision: () => number
  anchor: TimelineScrollerAnchor<A>
  /** Where a list that is not following starts, px (a saved scroll position). */
  initialTop?: () => number
}

export interface UseTimelineScrollerReturn extends UseTimelineWindowReturn {
  /** Following and not paused: the window sits at the bottom. */
  follow: ComputedRef<boolean>
  /** The scroller's `@scroll.passive`. */
  onScroll: () => void
  /** The scroller's `@wheel.passive`. */
  onWheel: (event: WheelEvent) => void
  /** Stop following the tail where the list is now (a click on a row, a key, a wheel up). */
  stopFollowing: () => void
  /** Note the row at the top of the screen, to keep it there when rows are dropped. */
  rememberAnchor: () => void
  /** Scroll the least amount that shows row `index`, after reading the list's height (it may have just changed). */
  revealRow: (index: number) => void
  /** The list's content width as last observed, px (0 until then): how many columns its rows can show. */
  width: Readonly<Ref<number>>
}

/**
 * The scrolling of a timeline list (the timeline's own and the side by side one): the fixed-row window
 * (`useTimelineWindow`), following the tail, keeping the top row in place while old rows are dropped, and telling
 * our own scrolls from the person's.
 *
 * After a render the list compares the window's position with the scrollTop it last wrote (or last saw in a scroll
 * event), not with the element's: reading `scrollTop` after the render changed the DOM lays the page out inside
 * the render even when nothing needs to move (a list that is not following, during a flood: every tick).
 */
export function useTimelineScroller<A>(options: UseTimelineScrollerOptions<A>): UseTimelineScrollerReturn {
  const { scroller, count, following, revision, anchor: anchors } = options
  const follow = computed(() => following.value && !toValue(options.paused ?? false))
  // No overscan after a jump (a scrollbar dragged, Home, End): each step of a drag lands a screen or more away.
  const win = useTimelineWindow(count, follow, { overscanAfterJump: 0 })
  const { rowHeight, viewport, userTop, effectiveTop, virtualTop, topIndex, scrollTopFor, reveal } = win

  let anchor: A | undefined
  let anchorOffset = 0
  function rememberAnchor(): void {
    const index = topIndex()
    anchor = anchors.at(index)
    anchorOffset = virtualTop.value - index * rowHeight
  }
  watch(revision, () => {
    if (follow.value || anchor === undefined) return
    const top = scrollTopFor(anchors.find(anchor), anchorOffset)
    if (Math.abs(top - userTop.value) >= 1) userTop.value = top
  })

  /**
   * Where our own recent scrolls put the list: their scroll events are echoes, not the person scrolling. Several are
   * kept because a busy main thread can deliver the events of a few programmatic scrolls late and together; an echo
   * taken for the person scrolling to the bottom would turn following back on under a click that just stopped it.
   */
  const echoes: number[] = []
  /** The scrollTop last written (or read from a scroll event): compared instead of reading the element's. */
  let written = -1
  function scrollTo(el: HTMLElement, top: number): void {
    // Writing scrollTop lays the page out anyway: reading it before and after costs nothing more, and gives the
    // clamped value.
    const before = el.scrollTop
    el.scrollTop = top
    written = el.scrollTop
    // A write that did not move the list (an empty list mounting at 0, a short list following its tail) fires no
    // scroll event: noted as an echo it would wait for one, and swallow the person's own scroll to that place (to
    // the top, right after a big batch arrived: the list stayed on the tail with scrollTop 0).
    if (written === before) return
    echoes.push(written)
    if (echoes.length > 8) echoes.shift()
  }

  /**
   * Whether the list has its layout and its scroll position (the resize observer's first call). Before that,
   * writing `scrollTop` would lay out the page inside the render that just changed it.
   */
  let placed = false

  /** The animation frame a scroll waits for (a render between frames), or undefined. */
  let pendingFrame: number | undefined
  /** Put the real scroll position where the window says it is now. */
  function showWindow(): void {
    const el = scroller.value
    const top = effectiveTop.value
    if (el && placed && Math.abs(written - top) >= 1) scrollTo(el, top)
  }
  // After each render, put the real scroll position where the window says it is. A render between frames (a busy
  // tick or a burst: useTimelineTick) leaves the scroll to the next frame's callbacks, which run before that
  // frame's own layout: writing scrollTop now would lay the page out inside the render's task as well.
  watch(effectiveTop, (top) => {
    if (!scroller.value || !placed || Math.abs(written - top) < 1) return
    if (!renderingBetweenFrames() || typeof requestAnimationFrame !== 'function') {
      showWindow()
      return
    }
    pendingFrame ??= requestAnimationFrame(() => {
      pendingFrame = undefined
      // A scroll made since the render (a script in an earlier callback of this frame; the person's arrive as scroll
      // events before the callbacks) is the person's, as it would have been after a write made at the render.
      // Reading scrollTop lays out the page, which the write below does anyway.
      const el = scroller.value
      if (el && Math.abs(el.scrollTop - written) >= 1) onScroll()
      showWindow()
    })
  }, { flush: 'post' })

  function onScroll(): void {
    const el = scroller.value
    if (!el) return
    const top = el.scrollTop
    written = top
    userTop.value = top
    rememberAnchor()
    // Scroll events arrive a frame late: the echo of following the tail must not undo a click that just stopped it.
    const echo = echoes.findIndex(at => Math.abs(top - at) < 1)
    if (echo >= 0) {
      echoes.splice(0, echo + 1)
      return
    }
    echoes.length = 0
    const atBottom = top + el.clientHeight >= el.scrollHeight - 2
    if (atBottom !== following.value) following.value = atBottom
  }

  function stopFollowing(): void {
    if (!following.value) return
    userTop.value = effectiveTop.value
    following.value = false
  }
  function onWheel(event: WheelEvent): void {
    // A wheel up while following would be undone by the next frame's auto-scroll before the scroll event: stop here.
    if (event.deltaY < 0) stopFollowing()
  }

  let resizeObserver: ResizeObserver | undefined
  const width = shallowRef(0)
  function measure(el: HTMLElement): number {
    const height = el.clientHeight
    if (height > 0) lastViewport = height
    return height || FALLBACK_VIEWPORT
  }
  /** Put the real scroll position where the window says it is (after mounting: once the layout exists). */
  function place(el: HTMLElement): void {
    placed = true
    scrollTo(el, follow.value ? effectiveTop.value : userTop.value)
    rememberAnchor()
  }
  onMounted(() => {
    const el = scroller.value!
    if (!follow.value && options.initialTop) userTop.value = options.initialTop()
    if (typeof ResizeObserver === 'function') {
      // The observer's first call comes after the browser's own layout of the frame: measure and scroll then.
      viewport.value = lastViewport ?? FALLBACK_VIEWPORT
      resizeObserver = new ResizeObserver((entries) => {
        viewport.value = measure(el)
        // The observer's own figure: reading the element's width would be a second read of the layout.
        const observed = entries[entries.length - 1]?.contentRect.width ?? 0
        if (observed > 0) width.value = observed
        if (!placed) place(el)
      })
      resizeObserver.observe(el)
    }
    else {
      viewport.value = measure(el)
      place(el)
    }
    rememberAnchor()
  })
  onBeforeUnmount(() => {
    resizeObserver?.disconnect()
    if (pendingFrame !== undefined) cancelAnimationFrame(pendingFrame)
  })

  function revealRow(index: number): void {
    const el = scroller.value
    if (el) viewport.value = el.clientHeight || FALLBACK_VIEWPORT
    reveal(index)
  }

  return { ...win, follow, onScroll, onWheel, stopFollowing, rememberAnchor, revealRow, width }
}

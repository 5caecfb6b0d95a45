import type { MaybeRefOrGetter, ShallowRef } from 'vue'
import { getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import type { Timeline } from '@/timeline/timeline'

export interface UseTimelineTickOptions {
  /**
   * While the timeline is busy (more than `busyEvents` appended between two ticks), tick at most this often.
   * Every tick re-renders and repaints what shows the timeline, and in a 10,000-frames-a-second flood that
   * rendering, not the appends, is what slows the browser's receive rate; nobody reads rows at 60 Hz anyway.
   * @default 100
   */
  busyIntervalMs?: number
  /**
   * Appends between two ticks above which a tick counts as busy.
   * @default 64
   */
  busyEvents?: number
  /**
   * The timeline is busy once at least 3 ticks in a row, over at least this long, were busy: a flood, not one
   * large batch (an import, a test appending synchronously).
   * @default 250
   */
  busySustainMs?: number
}

export interface UseTimelineTickReturn {
  /** Bumped at most once per animation frame after the timeline grew or was cleared. */
  tick: Readonly<ShallowRef<number>>
  /** Stop listening (also done when the calling scope is disposed). */
  stop: () => void
}

const schedule: (callback: () => void) => number = typeof requestAnimationFrame === 'function'
  ? callback => requestAnimationFrame(callback)
  : callback => setTimeout(callback, 16) as unknown as number
const cancel: (handle: number) => void = typeof cancelAnimationFrame === 'function'
  ? handle => cancelAnimationFrame(handle)
  : handle => clearTimeout(handle)

/**
 * The one bridge from the hot path to Vue: the timeline calls us once after an append, we wait for the next
 * animation frame, bump a single shallowRef and acknowledge, so a flood costs the UI at most one update per
 * frame — and, while it lasts, one per `busyIntervalMs` — never one per event. Everything that reads the timeline
 * depends on `tick`.
 */
export function useTimelineTick(timeline: MaybeRefOrGetter<Timeline>, options: UseTimelineTickOptions = {}): UseTimelineTickReturn {
  const { busyIntervalMs = 100, busyEvents = 64, busySustainMs = 250 } = options
  const tick = shallowRef(0)
  let frame: number | undefined
  let delay: ReturnType<typeof setTimeout> | undefined
  let unsubscribe: (() => void) | undefined
  let current: Timeline | undefined
  let seenVersion = 0
  let lastFlush = 0
  let busy = false
  /** Busy ticks in a row, and when the first of them was. */
  let busyTicks = 0
  let busySince = 0

  function flush(): void {
    frame = undefined
    const version = current?.version ?? 0
    lastFlush = performance.now()
    if (version - seenVersion > busyEvents) {
      if (busyTicks++ === 0) busySince = lastFlush
    }
    else {
      busyTicks = 0
    }
    busy = busyTicks >= 3 && lastFlush - busySince >= busySustainMs
    seenVersion = version
    // Acknowledge before bumping: appends made while Vue re-renders notify us again.
    current?.acknowledge()
    tick.value++
  }

  function onGrow(): void {
    if (frame !== undefined || delay !== undefined) return
    const wait = busy ? lastFlush + busyIntervalMs - performance.now() : 0
    if (wait > 1) {
      delay = setTimeout(() => {
        delay = undefined
        frame = schedule(flush)
      }, wait)
    }
    else {
      frame = schedule(flush)
    }
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = undefined
    if (frame !== undefined) cancel(frame)
    clearTimeout(delay)
    frame = undefined
    delay = undefined
  }

  const stopWatch = watch(() => toValue(timeline), (next) => {
    stop()
    current = next
    seenVersion = next.version
    busy = false
    busyTicks = 0
    unsubscribe = next.subscribe(onGrow)
    // Anything appended before we subscribed is shown on the next frame.
    onGrow()
  }, { immediate: true })

  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopWatch()
      stop()
    })
  }

  return { tick, stop }
}

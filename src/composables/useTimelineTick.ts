import type { MaybeRefOrGetter, ShallowRef } from 'vue'
import { getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import type { Timeline } from '@/timeline/timeline'

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
 * animation frame, bump a single shallowRef and acknowledge, so a flood of 10,000 frames a second costs the UI
 * at most 60 updates a second, never one per frame. Everything that reads the timeline depends on `tick`.
 */
export function useTimelineTick(timeline: MaybeRefOrGetter<Timeline>): UseTimelineTickReturn {
  const tick = shallowRef(0)
  let frame: number | undefined
  let unsubscribe: (() => void) | undefined
  let current: Timeline | undefined

  function flush(): void {
    frame = undefined
    // Acknowledge before bumping: appends made while Vue re-renders notify us again.
    current?.acknowledge()
    tick.value++
  }

  function onGrow(): void {
    if (frame === undefined) frame = schedule(flush)
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = undefined
    if (frame !== undefined) cancel(frame)
    frame = undefined
  }

  const stopWatch = watch(() => toValue(timeline), (next) => {
    stop()
    current = next
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

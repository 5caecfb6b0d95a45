import type { ComputedRef, MaybeRefOrGetter, Ref } from 'vue'
import type { Timeline } from '@/timeline/timeline'
import type { MessageRef } from '@/protocol/message'
import type { TimelineFilterSpec } from '@/timeline/viewState'
import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import { FilteredView } from '@/timeline/filter'

export interface UseTimelineFilterOptions {
  /**
   * Most time one update may spend testing events; a rebuild over more events than fit goes on in the next
   * animation frames (the view fills in and `progress` rises) instead of freezing the page.
   * @default 12
   */
  sliceMs?: number
}

export interface TimelineFilterState {
  /** Bumped every time the view changed; components key their reads on it. */
  revision: number
  /** Events that match ("N" in "N of M"); while `progress` < 1, those found so far. */
  matched: number
  /** Events retained ("M"). */
  total: number
  /** Share of the retained events tested, 0–1: below 1 while a new filter is still being applied. */
  progress: number
  /** Why the filter could not be applied (a bad regular expression), in words. */
  error: MessageRef | undefined
}

export interface UseTimelineFilterReturn {
  /** The filtered view itself: a plain object, read it only inside something that depends on `state`. */
  events: Readonly<Ref<FilteredView>>
  state: ComputedRef<TimelineFilterState>
}

const nextFrame: (callback: () => void) => unknown = typeof requestAnimationFrame === 'function'
  ? callback => requestAnimationFrame(callback)
  : callback => setTimeout(callback, 16)

/**
 * The filter bar's incremental index: on every tick only the new events are tested; a change to the filter
 * spec rebuilds the index, in time slices. Nothing here is deep-reactive: the FilteredView sits in a shallowRef.
 */
export function useTimelineFilter(
  timeline: MaybeRefOrGetter<Timeline>,
  spec: MaybeRefOrGetter<TimelineFilterSpec>,
  tick: Readonly<Ref<number>>,
  options: UseTimelineFilterOptions = {},
): UseTimelineFilterReturn {
  const { sliceMs = 12 } = options
  const events = shallowRef(new FilteredView(toValue(timeline)))
  watch(() => toValue(timeline), (next) => { events.value = new FilteredView(next) })
  /** Bumped to continue a rebuild that ran out of its slice. */
  const slice = shallowRef(0)
  let continuing = false
  let disposed = false
  if (getCurrentScope()) onScopeDispose(() => { disposed = true })
  let revision = 0

  const state = computed<TimelineFilterState>(() => {
    void tick.value
    void slice.value
    const view = events.value
    const deadline = performance.now() + sliceMs
    // setFilter reads every field of the spec, so editing the filter re-runs this computed.
    if (!view.setFilter(toValue(spec), deadline)) view.update(deadline)
    if (!view.complete && !continuing) {
      continuing = true
      nextFrame(() => {
        continuing = false
        if (!disposed) slice.value++
      })
    }
    revision++
    return { revision, matched: view.length, total: view.timeline.length, progress: view.progress, error: view.error }
  })

  return { events, state }
}

import type { ComputedRef, MaybeRefOrGetter, Ref } from 'vue'
import type { Timeline } from '@/timeline/timeline'
import type { TimelineFilterSpec } from '@/timeline/viewState'
import { computed, shallowRef, toValue, watch } from 'vue'
import { FilteredView } from '@/timeline/filter'

export interface TimelineFilterState {
  /** Bumped every time the view changed; components key their reads on it. */
  revision: number
  /** Events that match ("N" in "N of M"). */
  matched: number
  /** Events retained ("M"). */
  total: number
  /** Why the filter could not be applied (a bad regular expression), in words. */
  error: string | undefined
}

export interface UseTimelineFilterReturn {
  /** The filtered view itself: a plain object, read it only inside something that depends on `state`. */
  events: Readonly<Ref<FilteredView>>
  state: ComputedRef<TimelineFilterState>
}

/**
 * The filter bar's incremental index: on every tick only the new events are tested; a change to the filter
 * spec rebuilds the index once. Nothing here is deep-reactive: the FilteredView sits in a shallowRef.
 */
export function useTimelineFilter(
  timeline: MaybeRefOrGetter<Timeline>,
  spec: MaybeRefOrGetter<TimelineFilterSpec>,
  tick: Readonly<Ref<number>>,
): UseTimelineFilterReturn {
  const events = shallowRef(new FilteredView(toValue(timeline)))
  watch(() => toValue(timeline), (next) => { events.value = new FilteredView(next) })
  let revision = 0

  const state = computed<TimelineFilterState>(() => {
    void tick.value
    const view = events.value
    // setFilter reads every field of the spec, so editing the filter re-runs this computed.
    if (!view.setFilter(toValue(spec))) view.update()
    revision++
    return { revision, matched: view.length, total: view.timeline.length, error: view.error }
  })

  return { events, state }
}

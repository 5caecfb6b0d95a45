import type { ComputedRef, MaybeRefOrGetter, Ref } from 'vue'
import type { MessageRef } from '@/protocol/message'
import type { Session } from '@/stores/session'
import type { TimelineFilterSpec } from '@/timeline/viewState'
import { computed, effectScope, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import { useTimelineFilter, type UseTimelineFilterReturn } from '@/composables/useTimelineFilter'
import { useTimelineTick } from '@/composables/useTimelineTick'
import { filterKey } from '@/timeline/filter'
import { MergedIndex } from '@/timeline/merge'

export interface MergedTimelineState {
  /** Bumped every time the merged rows changed: the list keys its reads on it. */
  revision: number
  /** Merged rows (those matching the filter, in every session). */
  matched: number
  /** Events retained by all the sessions. */
  total: number
  /** 0–1: below 1 while a new filter is applied to the sessions or their rows are merged, in time slices. */
  progress: number
  error: MessageRef | undefined
}

export interface UseMergedTimelineReturn {
  /** The merge itself: a plain object, read it only inside something that depends on `state`. */
  index: Readonly<Ref<MergedIndex>>
  state: ComputedRef<MergedTimelineState>
}

const nextFrame: (callback: () => void) => unknown = typeof requestAnimationFrame === 'function'
  ? callback => requestAnimationFrame(callback)
  : callback => setTimeout(callback, 16)

/**
 * The side by side view's rows: each session's own tick and filtered view (the same `useTimelineTick` and
 * `useTimelineFilter` its timeline panel uses, so a session shown in both places is acknowledged once), merged by
 * time into one `MergedIndex` that each tick extends with only the new events. A new filter rebuilds the sessions'
 * views and then the merge, in time slices of `sliceMs`.
 */
export function useMergedTimeline(
  sessions: MaybeRefOrGetter<readonly Session[]>,
  spec: MaybeRefOrGetter<TimelineFilterSpec>,
  options: { sliceMs?: number, alignStarts?: MaybeRefOrGetter<boolean> } = {},
): UseMergedTimelineReturn {
  const { sliceMs = 12 } = options
  let scope: ReturnType<typeof effectScope> | undefined
  const parts = shallowRef<UseTimelineFilterReturn[]>([])
  const index = shallowRef(new MergedIndex([]))

  watch(() => toValue(sessions).map(s => s.id).join('\n'), () => {
    scope?.stop()
    scope = effectScope()
    const list = toValue(sessions)
    parts.value = scope.run(() => list.map((session) => {
      const { tick } = useTimelineTick(() => session.timeline)
      return useTimelineFilter(() => session.timeline, spec, tick, { sliceMs })
    }))!
  }, { immediate: true })
  // A new merge for other sessions or another alignment; aligned, each session starts at its first retained event.
  watch([parts, () => toValue(options.alignStarts) === true], ([made, align]) => {
    const list = toValue(sessions)
    index.value = new MergedIndex(made.map(part => part.events.value), {
      alignStarts: align,
      origin: source => list[source]?.timeline.get(0)?.time,
    })
  }, { immediate: true })

  /** Bumped to go on with a merge that ran out of its slice. */
  const slice = shallowRef(0)
  let continuing = false
  let disposed = false
  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true
      scope?.stop()
    })
  }
  let revision = 0
  let mergedKey = ''
  let mergedIndex: MergedIndex | undefined

  const state = computed<MergedTimelineState>(() => {
    void slice.value
    const merged = index.value
    // Each session's view catches up first (its ticks are read here): new events, or a new filter's rebuild.
    let total = 0
    let viewProgress = 1
    let error: MessageRef | undefined
    let matching = 0
    for (const part of parts.value) {
      const viewState = part.state.value
      total += viewState.total
      matching += viewState.matched
      viewProgress = Math.min(viewProgress, viewState.progress)
      error ??= viewState.error
    }
    // The views were rebuilt for another filter: what was merged no longer matches.
    const key = filterKey(toValue(spec))
    if (merged === mergedIndex && key !== mergedKey) merged.reset()
    mergedIndex = merged
    mergedKey = key
    merged.update(performance.now() + sliceMs)
    const busy = viewProgress < 1 || !merged.complete
    if (busy && !continuing) {
      continuing = true
      nextFrame(() => {
        continuing = false
        if (!disposed) slice.value++
      })
    }
    revision++
    const progress = viewProgress < 1 ? viewProgress / 2 : merged.complete ? 1 : 0.5 + (matching === 0 ? 0.5 : merged.length / matching / 2)
    return { revision, matched: merged.length, total, progress, error }
  })

  return { index, state }
}

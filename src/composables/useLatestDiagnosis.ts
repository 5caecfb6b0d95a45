import type { ComputedRef, MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { Timeline } from '@/timeline/timeline'
import { computed, shallowRef, toValue, watch } from 'vue'
import { DiagnosisTracker, failureIdentity, type LatestDiagnosis } from '@/timeline/diagnosisTracker'
import { useTimelineTick } from './useTimelineTick'

export type { LatestDiagnosis, Said } from '@/timeline/diagnosisTracker'

export interface UseLatestDiagnosisOptions {
  /**
   * The UI tick to read on; one is made with `useTimelineTick` when left out.
   * @default useTimelineTick(timeline).tick
   */
  tick?: Readonly<Ref<number>>
}

export interface UseLatestDiagnosisReturn {
  /** The failure to show, or undefined (none since the last success, or dismissed). */
  diagnosis: ComputedRef<LatestDiagnosis | undefined>
  /** The latest failure, shown or dismissed. */
  latest: Readonly<ShallowRef<LatestDiagnosis | undefined>>
  /** Whether the explaining event is still in the timeline (the buffer cap may have dropped it). */
  retained: ComputedRef<boolean>
  /** Hide the banner until the next run, or until a failure with another title. */
  dismiss: () => void
}

/** Dismissals outlive the banner (a tab switch remounts it); keyed by the timeline, so they go with the session. */
const dismissals = new WeakMap<Timeline, string>()

function dismissalKey(tracker: DiagnosisTracker, latest: LatestDiagnosis): string {
  return `${tracker.runStartSeq}\n${failureIdentity(latest)}`
}

/**
 * The latest failure worth explaining on a session's timeline, read on the UI tick. Incremental: each tick looks
 * only at the events appended since the last one, and not even those when no lifecycle event arrived (the
 * timeline's per-layer counters say so in O(1)), so a flood of frames costs nothing here.
 */
export function useLatestDiagnosis(timeline: MaybeRefOrGetter<Timeline>, options: UseLatestDiagnosisOptions = {}): UseLatestDiagnosisReturn {
  const tick = options.tick ?? useTimelineTick(timeline).tick
  const tracker = new DiagnosisTracker()
  const latest = shallowRef<LatestDiagnosis | undefined>()
  const dismissed = shallowRef<string | undefined>()
  let source: Timeline | undefined
  let epoch = -1
  /** Next seq to look at. */
  let scannedSeq = 0
  /** Lifecycle events ever appended, when last scanned. */
  let lifecycleSeen = -1

  function lifecycleCount(t: Timeline): number {
    return t.count('lifecycle', 'in') + t.count('lifecycle', 'out') + t.count('lifecycle', 'local')
  }

  function update(): void {
    const t = toValue(timeline)
    if (t !== source || t.epoch !== epoch) {
      // A new session, or the person cleared the timeline: what was explained is gone.
      if (t !== source) dismissed.value = dismissals.get(t)
      source = t
      epoch = t.epoch
      tracker.reset()
      scannedSeq = 0
      lifecycleSeen = -1
    }
    const lifecycle = lifecycleCount(t)
    if (lifecycle !== lifecycleSeen) {
      for (let i = t.lowerBound(scannedSeq); i < t.length; i++) tracker.observe(t.get(i)!)
      lifecycleSeen = lifecycle
    }
    scannedSeq = t.seqNext
    if (tracker.latest !== latest.value) latest.value = tracker.latest
  }

  watch([tick, () => toValue(timeline)], update, { immediate: true })

  const diagnosis = computed(() => {
    const current = latest.value
    if (!current || dismissed.value === dismissalKey(tracker, current)) return undefined
    return current
  })

  const retained = computed(() => {
    void tick.value
    const current = latest.value
    return current !== undefined && toValue(timeline).indexOfSeq(current.event.seq) >= 0
  })

  function dismiss(): void {
    const current = latest.value
    if (!current) return
    dismissed.value = dismissalKey(tracker, current)
    dismissals.set(toValue(timeline), dismissed.value)
  }

  return { diagnosis, latest, retained, dismiss }
}

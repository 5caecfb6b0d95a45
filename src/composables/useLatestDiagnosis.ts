import type { ComputedRef, MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { Timeline } from '@/timeline/timeline'
import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import { DiagnosisTracker, failureIdentity, type LatestDiagnosis } from '@/timeline/diagnosisTracker'
import { useTimelineTick } from './useTimelineTick'

export type { LatestDiagnosis, Said } from '@/timeline/diagnosisTracker'

export interface UseLatestDiagnosisOptions {
  /**
   * The UI tick to read on; one is made with `useTimelineTick` when left out.
   * @default useTimelineTick(timeline).tick
   */
  tick?: Readonly<Ref<number>>
  /**
   * The longest one tick reads a backlog before going on in a task of its own.
   * @default SCAN_SLICE_MS
   */
  sliceMs?: number
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

/**
 * How far the tracker has read a timeline. Kept per timeline, beside the dismissals, so a remount (a tab switch)
 * goes on from where the last banner stopped instead of reading a million events again.
 */
interface Scan {
  tracker: DiagnosisTracker
  /** `Timeline.epoch` the tracker read (a clear starts a new epoch). */
  epoch: number
  /** Next seq to look at. */
  seq: number
  /** Lifecycle events ever appended, when last caught up (-1: not yet). */
  lifecycleSeen: number
}
const scans = new WeakMap<Timeline, Scan>()

/**
 * The longest a tick reads events before it lets the page draw (and goes on in a task of its own): an imported
 * session of 100,000 events, or a long one a tab switch brings back, is read in slices (issue 11).
 */
export const SCAN_SLICE_MS = 6
/** Events between two looks at the clock. */
const CLOCK_EVERY = 1024

function dismissalKey(tracker: DiagnosisTracker, latest: LatestDiagnosis): string {
  return `${tracker.runStartSeq}\n${failureIdentity(latest)}`
}

function lifecycleCount(t: Timeline): number {
  return t.count('lifecycle', 'in') + t.count('lifecycle', 'out') + t.count('lifecycle', 'local')
}

function scanOf(t: Timeline): Scan {
  let scan = scans.get(t)
  if (!scan || scan.epoch !== t.epoch) {
    // A new session, or the person cleared the timeline: what was explained is gone.
    scan = { tracker: new DiagnosisTracker(), epoch: t.epoch, seq: 0, lifecycleSeen: -1 }
    scans.set(t, scan)
  }
  return scan
}

/**
 * Read what arrived since the last call, for at most `SCAN_SLICE_MS`. Whether it caught up: until then the tracker's
 * `latest` is a state part-way through the timeline (a failure a later event answers), not one to show.
 */
function advance(t: Timeline, scan: Scan, sliceMs: number): boolean {
  const lifecycle = lifecycleCount(t)
  if (lifecycle === scan.lifecycleSeen) {
    // Only frames and other layers since: nothing the tracker reads.
    scan.seq = t.seqNext
    return true
  }
  const deadline = performance.now() + sliceMs
  const { tracker } = scan
  const end = t.length
  for (let i = t.lowerBound(scan.seq); i < end; i++) {
    // The tracker reads lifecycle events only: a compact frame is skipped without being made an object.
    const event = t.objectAt(i)
    if (event !== undefined) tracker.observe(event)
    if (i % CLOCK_EVERY === CLOCK_EVERY - 1 && i + 1 < end && performance.now() >= deadline) {
      scan.seq = t.seqAt(i)! + 1
      return false
    }
  }
  scan.seq = t.seqNext
  scan.lifecycleSeen = lifecycle
  return true
}

/**
 * The latest failure worth explaining on a session's timeline, read on the UI tick. Incremental: each tick looks
 * only at the events appended since the last one, and not even those when no lifecycle event arrived (the
 * timeline's per-layer counters say so in O(1)), so a flood of frames costs nothing here. A long backlog (an
 * imported session, a remount) is read in time slices, and the banner shows its result once it caught up.
 */
export function useLatestDiagnosis(timeline: MaybeRefOrGetter<Timeline>, options: UseLatestDiagnosisOptions = {}): UseLatestDiagnosisReturn {
  const tick = options.tick ?? useTimelineTick(timeline).tick
  const latest = shallowRef<LatestDiagnosis | undefined>()
  const dismissed = shallowRef<string | undefined>()
  let source: Timeline | undefined
  let scan: Scan | undefined
  let more: ReturnType<typeof setTimeout> | undefined

  function update(): void {
    if (more !== undefined) {
      clearTimeout(more)
      more = undefined
    }
    const t = toValue(timeline)
    if (t !== source) {
      dismissed.value = dismissals.get(t)
      source = t
    }
    const current = scanOf(t)
    if (current !== scan) {
      // Another timeline, or this one cleared: what the last one explained is not this one's.
      scan = current
      latest.value = undefined
    }
    if (!advance(t, current, options.sliceMs ?? SCAN_SLICE_MS)) {
      // Not caught up: go on in a task of its own, so the page can draw in between.
      more = setTimeout(update, 0)
      return
    }
    if (current.tracker.latest !== latest.value) latest.value = current.tracker.latest
  }

  if (getCurrentScope()) onScopeDispose(() => clearTimeout(more))

  watch([tick, () => toValue(timeline)], update, { immediate: true })

  const diagnosis = computed(() => {
    const current = latest.value
    if (!current || !scan || dismissed.value === dismissalKey(scan.tracker, current)) return undefined
    return current
  })

  const retained = computed(() => {
    void tick.value
    const current = latest.value
    return current !== undefined && toValue(timeline).indexOfSeq(current.event.seq) >= 0
  })

  function dismiss(): void {
    const current = latest.value
    if (!current || !scan) return
    dismissed.value = dismissalKey(scan.tracker, current)
    dismissals.set(toValue(timeline), dismissed.value)
  }

  return { diagnosis, latest, retained, dismiss }
}

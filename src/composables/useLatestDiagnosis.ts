import type { ComputedRef, MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { TimelineEvent } from '@/protocol/types'
import type { Timeline } from '@/timeline/timeline'
import { computed, shallowRef, toValue, watch } from 'vue'
import { closeCodeInfo } from '@/protocol/closeCodes'
import { useTimelineTick } from './useTimelineTick'

/** The failure the diagnosis banner explains: the latest one since the last successful open/connect. */
export interface LatestDiagnosis {
  /** The event that explains it: lifecycle error, connect_timeout, connect_error, close, disconnect or reconnect_failed. */
  event: TimelineEvent
  /** `detail.diagnosis` of that event (diagnose.ts), when the driver gave one. */
  diagnosis?: string
  /** A few words for a heading: `detail.title`, else derived from the diagnosis, close code or reason. */
  title: string
  /** What most likely happened. Socket.IO joins explanation and next step into this one string. */
  explanation: string
  /** What to do about it (`detail.nextStep`), when the driver gave it separately. */
  nextStep?: string
  /** What the diagnosis rests on (`detail.evidence`, diagnose.ts): the "Why we think so" list. */
  evidence: string[]
  /** The driver said the evidence fits more than one cause (`detail.guess`). */
  guess: boolean
  /** The close that ended the failed WebSocket attempt, when it followed the error that explains it. */
  close?: TimelineEvent
  /** Attempts in a row that failed with this same title (1 = just this one). */
  repeats: number
  /** The `reconnect_failed` event, when reconnecting gave up after this failure. */
  gaveUp?: TimelineEvent
}

/**
 * Failures that carry their own explanation of why a connection attempt failed. `diagnosis`: a driver's second
 * look at the failure, once probes made after it came back (a Socket.IO server found at another path, ...).
 */
const CAUSES = new Set(['error', 'connect_timeout', 'connect_error', 'diagnosis'])

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** `detail.evidence` as lines of text; anything else (an old or hand-made file) as none. Bounded: files are untrusted. */
function linesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.slice(0, 40).filter((line): line is string => typeof line === 'string' && line !== '')
}

function titleOf(event: TimelineEvent): string {
  // Both drivers put diagnose.ts's title in detail.title; the rest is for events without a diagnosis.
  const given = text(event.detail?.title)
  if (given) return given
  switch (event.kind) {
    case 'close': return `Closed: ${closeCodeInfo(event.code ?? 1006).name}`
    case 'disconnect':
      return event.reason === 'io server disconnect' ? 'Disconnected by the server' : `Disconnected: ${event.reason ?? 'unknown reason'}`
    case 'connect_timeout': return 'No answer to the handshake'
    case 'reconnect_failed': return 'Gave up reconnecting'
    default: return 'Connection failed'
  }
}

function diagnosisOf(event: TimelineEvent): LatestDiagnosis {
  return {
    event,
    diagnosis: text(event.detail?.diagnosis),
    title: titleOf(event),
    explanation: text(event.explanation) ?? '',
    nextStep: text(event.detail?.nextStep),
    evidence: linesOf(event.detail?.evidence),
    guess: event.detail?.guess === true,
    repeats: 1,
  }
}

/**
 * The state machine behind the banner, fed one timeline event at a time (plain TypeScript: no Vue).
 *
 * - A successful `open`/`connect`, or the user's own Connect (`connecting` with no reconnect attempt), starts a new
 *   run and forgets the failure: it no longer describes the connection. A failure marked `untilStable` (connections
 *   that keep closing soon after they open) is kept through `open`/`connect` until the driver's `stable` event.
 * - Within one attempt the first cause (error, connect_timeout, connect_error) explains it; the WebSocket `close`
 *   that follows (1006 after a failed handshake) is kept beside it for its code, not in its place.
 * - A close the user asked for, or a clean 1000/1005 close (RFC 6455 §7.4.1: normal, or no code given), is no
 *   failure. Any other close, or a Socket.IO `disconnect` with an explanation, is one.
 * - `reconnect_failed` adds "gave up" to the failure it ends.
 */
export class DiagnosisTracker {
  latest: LatestDiagnosis | undefined
  /** Seq of the event that started the current run (0 before any): dismissing holds for one run. */
  runStartSeq = 0
  /** The current attempt already has its explanation (an error, timeout or connect_error). */
  private attemptExplained = false

  observe(event: TimelineEvent): void {
    if (event.layer !== 'lifecycle') return
    switch (event.kind) {
      case 'open':
        if (!this.heldUntilStable()) this.succeeded(event)
        return
      case 'connect':
        if (this.sameNamespace(event) && !this.heldUntilStable()) this.succeeded(event)
        return
      case 'stable':
        // The connection stayed up for the stable period: what kept closing it is over.
        this.succeeded(event)
        return
      case 'connecting':
        // attempt 0 (or none, Socket.IO) is the person pressing Connect; n > 0 is the driver's reconnect attempt n.
        if (!event.attempt && this.sameNamespace(event)) this.succeeded(event)
        this.attemptExplained = false
        return
      case 'reconnect_attempt':
        this.attemptExplained = false
        return
      case 'reconnect_failed':
        if (this.latest) this.latest = { ...this.latest, gaveUp: event }
        else if (event.explanation) this.latest = { ...diagnosisOf(event), gaveUp: event }
        return
      case 'close':
        if (event.detail?.byUser === true) return
        if (event.detail?.wasClean !== false && (event.code === 1000 || event.code === 1005)) return
        if (this.attemptExplained && this.latest && !this.latest.close && this.latest.event.kind !== 'close') {
          this.latest = { ...this.latest, close: event }
          return
        }
        this.failed(event)
        return
      case 'disconnect':
        if (event.explanation) this.failed(event)
        return
      default:
        if (CAUSES.has(event.kind) && (event.explanation || event.detail?.title)) {
          this.failed(event)
          this.attemptExplained = true
        }
    }
  }

  /** Forget everything (the timeline was cleared or replaced). */
  reset(): void {
    this.latest = undefined
    this.runStartSeq = 0
    this.attemptExplained = false
  }

  /**
   * A diagnosis about a run of connections (`detail.untilStable`: "closes every connection after about 1.5 s") stays
   * through the next open, which proves nothing yet; the driver's `stable` event or the user's Connect ends it.
   */
  private heldUntilStable(): boolean {
    return this.latest?.event.detail?.untilStable === true && !this.latest.gaveUp
  }

  /** Socket.IO namespaces connect separately: /admin connecting does not answer for a failure of /. */
  private sameNamespace(event: TimelineEvent): boolean {
    const failed = this.latest?.event.namespace
    return failed === undefined || event.namespace === undefined || failed === event.namespace
  }

  private succeeded(event: TimelineEvent): void {
    this.latest = undefined
    this.runStartSeq = event.seq
    this.attemptExplained = false
  }

  private failed(event: TimelineEvent): void {
    const next = diagnosisOf(event)
    const previous = this.latest
    // A reconnect loop failing the same way again: count it rather than announce it as new. Not by explanation,
    // which quotes the milliseconds each attempt took.
    if (previous && !previous.gaveUp && previous.event.kind === next.event.kind && previous.title === next.title
      && previous.diagnosis === next.diagnosis && previous.event.namespace === next.event.namespace)
      next.repeats = previous.repeats + 1
    this.latest = next
  }
}

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
  return `${tracker.runStartSeq}\n${latest.title}`
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

import type { Direction, Layer, TimelineEvent } from '../protocol/types'
import { kindLabel } from '../protocol/events'
import { message, type MessageRef } from '../protocol/message'
import { searchableText } from './payload'
import { type ByteNeedle, byteNeedle } from './payloadArena'
import type { Timeline } from './timeline'
import type { TimelineFilterSpec } from './viewState'

export type EventPredicate = (event: TimelineEvent) => boolean

export type CompiledFilter =
  | { ok: true, /** null: the filter lets everything through. */ predicate: EventPredicate | null }
  | { ok: false, /** `timeline.filter.invalidRegex` with the engine's own message. */ error: MessageRef }

/**
 * The filter's answer for the event at a timeline index, found without making the event, or undefined when it
 * cannot be found that way (then the event is made and the predicate decides).
 */
export type SlotTest = (timeline: Timeline, index: number) => boolean | undefined

/** What `searchableText` starts a plain wire frame with: its kind, then '\n' and the payload. */
const FRAME_LABEL = 'frame'

/** A stable key for a filter spec: the view rebuilds its index only when this changes. */
export function filterKey(spec: TimelineFilterSpec): string {
  return JSON.stringify([
    [...spec.directions].sort(),
    [...spec.layers].sort(),
    spec.name.trim(),
    spec.namespace.trim(),
    spec.text,
    spec.regex,
    spec.caseSensitive,
  ])
}

/** Turn the filter bar into one predicate (all conditions combined with AND), or a sentence saying what is wrong. */
export function compileFilter(spec: TimelineFilterSpec): CompiledFilter {
  const tests: EventPredicate[] = []
  if (spec.directions.length > 0 && spec.directions.length < 3) {
    const dirs = new Set<Direction>(spec.directions)
    tests.push(e => dirs.has(e.dir))
  }
  if (spec.layers.length > 0 && spec.layers.length < 5) {
    const layers = new Set<Layer>(spec.layers)
    tests.push(e => layers.has(e.layer))
  }
  const name = spec.name.trim().toLowerCase()
  if (name) tests.push(e => kindLabel(e).toLowerCase().includes(name) || (e.name?.toLowerCase().includes(name) ?? false))
  const namespace = spec.namespace.trim()
  if (namespace) tests.push(e => e.namespace === namespace)
  if (spec.text) {
    if (spec.regex) {
      let pattern: RegExp
      try {
        // 'm': `^` and `$` anchor at the payload's lines, not only at the kind that starts the searched text.
        pattern = new RegExp(spec.text, spec.caseSensitive ? 'mu' : 'imu')
      }
      catch (error) {
        return { ok: false, error: message('timeline.filter.invalidRegex', { detail: (error as Error).message }) }
      }
      tests.push(e => pattern.test(searchableText(e)))
    }
    else if (spec.caseSensitive) {
      const needle = spec.text
      tests.push(e => searchableText(e).includes(needle))
    }
    else {
      const needle = spec.text.toLowerCase()
      tests.push(e => searchableText(e).toLowerCase().includes(needle))
    }
  }
  if (tests.length === 0) return { ok: true, predicate: null }
  if (tests.length === 1) return { ok: true, predicate: tests[0]! }
  return { ok: true, predicate: e => tests.every(test => test(e)) }
}

/**
 * The filter of `spec` for the compact frames of a timeline (plain wire frames: layer 'wire', kind 'frame', in or
 * out, no name, namespace, arguments, reason or explanation), answered from the timeline's columns and payload bytes
 * without making a million objects and strings: the direction from the slot's bit, a text by a byte search
 * (`Timeline.matchCompactText`, exact or undefined). Gives the same answers as `compileFilter`'s predicate, and
 * undefined for every other event and wherever it could not be sure. Null when it would never answer.
 */
export function compileSlotTest(spec: TimelineFilterSpec): SlotTest | null {
  const facts = { dir: 'in' as 'in' | 'out', size: 0, time: 0 }
  // Conditions that are the same for every frame.
  const name = spec.name.trim().toLowerCase()
  const neverFrames = (spec.layers.length > 0 && spec.layers.length < 5 && !spec.layers.includes('wire'))
    || (name !== '' && !FRAME_LABEL.includes(name))
    || spec.namespace.trim() !== ''
  if (neverFrames) return (timeline, index) => timeline.frameFactsAt(index, facts) ? false : undefined
  const needle = payloadNeedle(spec)
  if (needle === undefined) return null
  const dirs = spec.directions.length > 0 && spec.directions.length < 3 ? new Set<Direction>(spec.directions) : null
  if (!dirs) {
    if (needle) return (timeline, index) => timeline.matchCompactText(index, needle)
    return (timeline, index) => timeline.frameFactsAt(index, facts) ? true : undefined
  }
  return (timeline, index) => {
    if (!timeline.frameFactsAt(index, facts)) return undefined
    if (!dirs.has(facts.dir)) return false
    return needle ? timeline.matchCompactText(index, needle) : true
  }
}

/**
 * What a frame's payload must hold for the text condition: null when every frame meets it (no text, or a text
 * found in the label that starts `searchableText`), undefined when bytes cannot say (a regex; a needle with '\n',
 * which could span the label and the payload; a lone surrogate).
 */
function payloadNeedle(spec: TimelineFilterSpec): ByteNeedle | null | undefined {
  const text = spec.text
  if (!text) return null
  if (spec.regex || text.includes('\n')) return undefined
  if (FRAME_LABEL.includes(spec.caseSensitive ? text : text.toLowerCase())) return null
  // Without '\n' and not in the label, only the payload can hold it.
  return byteNeedle(text, !spec.caseSensitive)
}

/**
 * The filtered view of a timeline: a growing array of the seqs that match, extended with only the events
 * appended since the last `update()`, rebuilt only when the filter or the timeline's epoch (clear) changes.
 * Ring-buffer drops are handled by skipping seqs older than the timeline's first retained one.
 * With no filter the view maps straight onto the timeline and costs nothing per update.
 */
export class FilteredView {
  /** The filter is invalid (bad regex): the view then lets everything through and says why. */
  error: MessageRef | undefined
  private predicate: EventPredicate | null = null
  /** The predicate's answers for compact frames, found without making them (`compileSlotTest`). */
  private slotTest: SlotTest | null = null
  private key = ''
  private seqs = new Float64Array(1024)
  private start = 0
  private end = 0
  /** Highest seq already tested. */
  private scannedSeq = 0
  private epoch = -1

  constructor(readonly timeline: Timeline, spec?: TimelineFilterSpec) {
    if (spec) this.setFilter(spec)
  }

  /** True when some filter restricts the view. */
  get active(): boolean {
    return this.predicate !== null
  }

  /** Matching events currently retained. */
  get length(): number {
    return this.predicate ? this.end - this.start : this.timeline.length
  }

  /** The i-th matching event, oldest first. */
  get(index: number): TimelineEvent | undefined {
    if (!this.predicate) return this.timeline.get(index)
    if (index < 0 || index >= this.end - this.start) return undefined
    return this.timeline.get(this.timeline.indexOfSeq(this.seqs[this.start + index]!))
  }

  /** Seq of the i-th matching event. */
  seqAt(index: number): number | undefined {
    if (!this.predicate) return this.timeline.get(index)?.seq
    return index >= 0 && index < this.end - this.start ? this.seqs[this.start + index] : undefined
  }

  /** Position in this view of the first matching event with seq ≥ `seq` (`length` when none). */
  lowerBound(seq: number): number {
    if (!this.predicate) return this.timeline.lowerBound(seq)
    let lo = this.start
    let hi = this.end
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.seqs[mid]! < seq) lo = mid + 1
      else hi = mid
    }
    return lo - this.start
  }

  /** Position of the event with this seq in the view, or -1. */
  indexOfSeq(seq: number): number {
    const index = this.lowerBound(seq)
    return this.seqAt(index) === seq ? index : -1
  }

  /** Apply a new filter spec; returns true when it changed (the index was rebuilt, up to `deadline`). */
  setFilter(spec: TimelineFilterSpec, deadline?: number): boolean {
    const key = filterKey(spec)
    if (key === this.key) return false
    this.key = key
    const compiled = compileFilter(spec)
    this.error = compiled.ok ? undefined : compiled.error
    this.predicate = compiled.ok ? compiled.predicate : null
    this.slotTest = this.predicate ? compileSlotTest(spec) : null
    this.reset()
    this.update(deadline)
    return true
  }

  /** True when every retained event has been tested (false while a time-sliced rebuild is under way). */
  get complete(): boolean {
    return !this.predicate || this.scannedSeq >= this.timeline.seqNext - 1
  }

  /** Share of the retained events tested so far, 0–1. */
  get progress(): number {
    if (this.complete) return 1
    const length = this.timeline.length
    return length === 0 ? 1 : this.timeline.lowerBound(this.scannedSeq + 1) / length
  }

  /**
   * Catch up with the timeline: test only the events appended since the last call. With `deadline` (a
   * `performance.now()` time) stop there and carry on at the next call, so rebuilding the index over a million
   * events is spread over frames instead of freezing one; `complete` says when it is done.
   */
  update(deadline = Number.POSITIVE_INFINITY): void {
    const timeline = this.timeline
    if (timeline.epoch !== this.epoch) {
      this.reset()
      this.epoch = timeline.epoch
    }
    const predicate = this.predicate
    if (!predicate) {
      this.scannedSeq = timeline.seqNext - 1
      return
    }
    const firstSeq = timeline.firstSeq
    while (this.start < this.end && this.seqs[this.start]! < firstSeq) this.start++
    const length = timeline.length
    const slotTest = this.slotTest
    for (let i = timeline.lowerBound(this.scannedSeq + 1); i < length; i++) {
      // A compact frame is tested on its columns and bytes when that is exact; anything else is made and tested.
      const matches = slotTest?.(timeline, i) ?? predicate(timeline.get(i)!)
      if (matches) this.push(timeline.seqAt(i)!)
      // Look at the clock only every 1,024 events: performance.now() is not free either.
      if ((i & 1023) === 1023 && performance.now() > deadline) {
        this.scannedSeq = timeline.seqAt(i)!
        return
      }
    }
    this.scannedSeq = timeline.seqNext - 1
  }

  private reset(): void {
    this.start = 0
    this.end = 0
    this.scannedSeq = 0
    if (this.seqs.length > 1024 && !this.predicate) this.seqs = new Float64Array(1024)
  }

  private push(seq: number): void {
    if (this.end === this.seqs.length) {
      const live = this.end - this.start
      // Reuse the space dropped events left at the front before growing.
      if (live * 2 <= this.seqs.length) {
        this.seqs.copyWithin(0, this.start, this.end)
      }
      else {
        const next = new Float64Array(this.seqs.length * 2)
        next.set(this.seqs.subarray(this.start, this.end))
        this.seqs = next
      }
      this.start = 0
      this.end = live
    }
    this.seqs[this.end++] = seq
  }
}

/**
 * The failure the diagnosis banner explains, tracked one timeline event at a time (plain TypeScript: no Vue, no
 * words). What a person reads is data here: messages (`MessageRef`, src/protocol/message.ts) the UI puts into its
 * language, or text an imported file brought (an older export's English sentence), which the UI shows as the file's.
 */
import type { TimelineEvent } from '../protocol/types'
import { diagnosisText, isDiagnosis, type Diagnosis } from '../protocol/diagnose'
import { closeCodeInfo } from '../protocol/closeCodes'
import { describeMessage, isMessageRef, message, messageIdentity, type MessageRef } from '../protocol/message'

/** Words for a person: a message, or text a file brought (shown as it is, as the file's). */
export type Said = MessageRef | string

/** The failure the diagnosis banner explains: the latest one since the last successful open/connect. */
export interface LatestDiagnosis {
  /** The event that explains it: lifecycle error, connect_timeout, connect_error, close, disconnect or reconnect_failed. */
  event: TimelineEvent
  /** `detail.diagnosis` of that event (diagnose.ts), when the driver gave one. */
  diagnosis?: Diagnosis
  /** The diagnosis id: `diagnosis.id`, or an older file's `detail.diagnosis` string. */
  diagnosisId?: string
  /** A few words for a heading: the diagnosis's title, else derived from the close code or reason. */
  title: Said
  /** What most likely happened: the event's `explain` (Socket.IO adds the next attempt), else the diagnosis's. */
  explanation?: Said
  /** What to do about it, when the driver gave a diagnosis. */
  nextStep?: Said
  /** What the diagnosis rests on: the "Why we think so" list. */
  evidence: Said[]
  /** The driver said the evidence fits more than one cause. */
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

/** Longest "Why we think so" list read from an event (files are untrusted). */
const MAX_EVIDENCE = 40

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A message, or an older file's text; anything else as nothing. */
function said(value: unknown): Said | undefined {
  return isMessageRef(value) ? value : text(value)
}

/** Evidence lines: messages, or an older file's text; anything else (a hand-made file) left out. Bounded. */
function linesOf(value: unknown): Said[] {
  if (!Array.isArray(value)) return []
  const out: Said[] = []
  for (const line of value.slice(0, MAX_EVIDENCE)) {
    const words = said(line)
    if (words !== undefined) out.push(words)
  }
  return out
}

/** The explanation of an event: `explain`, or the text an older file carried in `explanation`. */
export function explanationOf(event: TimelineEvent): Said | undefined {
  return said(event.explain) ?? said((event as { explanation?: unknown }).explanation)
}

/**
 * The explanation in words for the pure layers (a row's preview, the search text): through the describer the UI
 * installed (message.ts), or the file's text.
 */
export function explanationText(event: TimelineEvent): string | undefined {
  const said = explanationOf(event)
  return said === undefined || typeof said === 'string' ? said : describeMessage(said)
}

/** A heading for an event without a diagnosis (`diagnoses.heading.*`). */
function headingOf(event: TimelineEvent): MessageRef {
  switch (event.kind) {
    case 'close': return message('diagnoses.heading.closed', { name: closeCodeInfo(event.code ?? 1006).name })
    case 'disconnect':
      return event.reason === 'io server disconnect'
        ? message('diagnoses.heading.serverDisconnect')
        : event.reason ? message('diagnoses.heading.disconnected', { reason: event.reason }) : message('diagnoses.heading.disconnectedUnknown')
    case 'connect_timeout': return message('diagnoses.heading.connectTimeout')
    case 'reconnect_failed': return message('diagnoses.heading.gaveUp')
    default: return message('diagnoses.heading.failed')
  }
}

function diagnosisOf(event: TimelineEvent): LatestDiagnosis {
  const detail = event.detail as Record<string, unknown> | undefined
  const given = detail?.diagnosis
  const diagnosis = isDiagnosis(given) ? given : undefined
  const explanation = explanationOf(event)
  if (diagnosis) {
    return {
      event,
      diagnosis,
      diagnosisId: diagnosis.id,
      title: diagnosisText(diagnosis, 'title'),
      explanation: explanation ?? diagnosisText(diagnosis, 'explanation'),
      nextStep: diagnosisText(diagnosis, 'nextStep'),
      evidence: diagnosis.evidence.length > 0 ? diagnosis.evidence.slice(0, MAX_EVIDENCE) : linesOf(detail?.evidence),
      guess: diagnosis.guess,
      repeats: 1,
    }
  }
  // No Diagnosis: an event that explains itself, or an older file's (detail.diagnosis an id, title and next step text).
  return {
    event,
    diagnosisId: text(given),
    title: said(detail?.title) ?? headingOf(event),
    explanation,
    nextStep: said(detail?.nextStep),
    evidence: linesOf(detail?.evidence),
    guess: detail?.guess === true,
    repeats: 1,
  }
}

/** Words' identity: text as text, a message by key and values. */
export function saidIdentity(words: Said): string {
  return typeof words === 'string' ? `"${words}"` : messageIdentity(words)
}

/**
 * What tells the same failure again from a new one: a diagnosis by id and variant (its values hold the milliseconds
 * each attempt took), else the heading.
 */
export function failureIdentity(latest: Pick<LatestDiagnosis, 'diagnosis' | 'title'>): string {
  return latest.diagnosis ? `${latest.diagnosis.id}.${latest.diagnosis.variant}` : saidIdentity(latest.title)
}

/**
 * The state machine behind the banner, fed one timeline event at a time.
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
    const detail = event.detail as Record<string, unknown> | undefined
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
        else if (explanationOf(event)) this.latest = { ...diagnosisOf(event), gaveUp: event }
        return
      case 'close':
        if (detail?.byUser === true) return
        if (detail?.wasClean !== false && (event.code === 1000 || event.code === 1005)) return
        if (this.attemptExplained && this.latest && !this.latest.close && this.latest.event.kind !== 'close') {
          this.latest = { ...this.latest, close: event }
          return
        }
        this.failed(event)
        return
      case 'disconnect':
        if (explanationOf(event)) this.failed(event)
        return
      default:
        if (CAUSES.has(event.kind) && (explanationOf(event) || detail?.diagnosis !== undefined || detail?.title)) {
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
    return (this.latest?.event.detail as Record<string, unknown> | undefined)?.untilStable === true && !this.latest?.gaveUp
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
    if (previous && !previous.gaveUp && previous.event.kind === next.event.kind && failureIdentity(previous) === failureIdentity(next)
      && previous.diagnosisId === next.diagnosisId && previous.event.namespace === next.event.namespace)
      next.repeats = previous.repeats + 1
    this.latest = next
  }
}

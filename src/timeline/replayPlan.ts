/**
 * Replay: what a recorded timeline sent, and when to send it again. Pure (no Vue): the runner is stores/replay.ts.
 *
 * What is resent (see protocol/events.ts):
 * - raw WebSocket: every outgoing wire `frame` (text as text, an ArrayBuffer as binary), byte for byte;
 * - Socket.IO: every application `emit` (`app`/`emit`/`out`) with its arguments, namespace, volatile/compress and
 *   whether it asked for an ack (an `ackId`, or `detail.ackTimeoutMs`), with the ack timeout it had. Engine.IO and
 *   Socket.IO packets (pings, probes, CONNECT) are the client's own work and are not resent; neither are
 *   `ack_reply`s (answers to the server's ack requests: the listener settings make those) nor `flushed` (the
 *   same emit again, when it left the buffer).
 *
 * When: each message keeps its gap to the one before (the first goes at 0, as soon as the connection is open),
 * capped at `maxGapMs`, divided by `speed`; `speed: 'max'` sends one after the other at once.
 */
import type { OutgoingMessage, ProtocolType, TimelineEvent } from '../protocol/types'

export type ReplaySpeed = 0.5 | 1 | 2 | 10 | 'max'
export const REPLAY_SPEEDS: readonly ReplaySpeed[] = [0.5, 1, 2, 10, 'max']

export interface ReplayOptions {
  /** @default 1 */
  speed?: ReplaySpeed
  /** Longest wait between two messages, before the speed applies (a recording's idle minutes need not be waited). */
  maxGapMs?: number
}

export interface ReplayStep {
  /** When to send it, in ms after the first message went. */
  at: number
  /** The recorded event it repeats. */
  seq: number
  message: OutgoingMessage
}

export interface ReplayPlan {
  protocol: ProtocolType
  steps: ReplayStep[]
  /** Namespaces the emits used (Socket.IO), in the order met: the replaying session joins them before sending. */
  namespaces: string[]
  /** Steps asking for an ack. */
  acks: number
  /** Recorded gaps that `maxGapMs` shortened. */
  capped: number
  /** ms the plan takes from first to last message. */
  durationMs: number
}

/** Events read by index: a Timeline (`get`), or an array. */
export type EventSource = { readonly length: number, get: (index: number) => TimelineEvent | undefined } | ArrayLike<TimelineEvent>

function eventAt(source: EventSource, index: number): TimelineEvent | undefined {
  return 'get' in source && typeof source.get === 'function' ? source.get(index) : (source as ArrayLike<TimelineEvent>)[index]
}

/** The message a recorded event sends again, or undefined when it is not one the user sent. */
export function replayMessageOf(event: TimelineEvent, protocol: ProtocolType): OutgoingMessage | undefined {
  if (event.dir !== 'out') return undefined
  if (protocol === 'ws') {
    if (event.layer !== 'wire' || event.kind !== 'frame') return undefined
    return typeof event.data === 'string' ? { kind: 'text', text: event.data } : { kind: 'binary', data: event.data.slice(0) }
  }
  if (event.layer !== 'app' || event.kind !== 'emit') return undefined
  const detail = event.detail
  const message: Extract<OutgoingMessage, { kind: 'event' }> = { kind: 'event', name: event.name, args: Array.isArray(detail?.args) ? detail.args : [], namespace: event.namespace }
  if (event.ackId !== undefined || detail?.ackTimeoutMs !== undefined) {
    message.ack = true
    if (detail?.ackTimeoutMs !== undefined) message.timeoutMs = detail.ackTimeoutMs
  }
  if (detail?.volatile) message.volatile = true
  if (detail?.compress === false) message.compress = false
  return message
}

function delayOf(gap: number, options: ReplayOptions): { delay: number, capped: boolean } {
  const speed = options.speed ?? 1
  if (speed === 'max') return { delay: 0, capped: false }
  const positive = Number.isFinite(gap) && gap > 0 ? gap : 0
  const max = options.maxGapMs
  const capped = max !== undefined && max >= 0 && positive > max
  return { delay: (capped ? max : positive) / speed, capped }
}

/**
 * The plan as resumable work for `runInSlices` (importCommon.ts): it yields every 4,096 events, so planning a
 * million-event timeline never holds the page.
 */
export function* replayPlanInSlices(source: EventSource, protocol: ProtocolType, options: ReplayOptions = {}): Generator<undefined, ReplayPlan> {
  const steps: ReplayStep[] = []
  const namespaces: string[] = []
  const seen = new Set<string>()
  let acks = 0
  let capped = 0
  let at = 0
  let previousTime: number | undefined
  for (let i = 0; i < source.length; i++) {
    if ((i & 4095) === 4095) yield
    const event = eventAt(source, i)
    if (!event) continue
    const message = replayMessageOf(event, protocol)
    if (!message) continue
    if (previousTime !== undefined) {
      const gap = delayOf(event.time - previousTime, options)
      at += gap.delay
      if (gap.capped) capped++
    }
    previousTime = event.time
    steps.push({ at, seq: event.seq, message })
    if (message.kind === 'event') {
      if (message.ack) acks++
      const ns = message.namespace ?? '/'
      if (!seen.has(ns)) {
        seen.add(ns)
        namespaces.push(ns)
      }
    }
  }
  return { protocol, steps, namespaces, acks, capped, durationMs: at }
}

/** The whole plan at once (tests, short timelines). */
export function replayPlan(source: EventSource, protocol: ProtocolType, options: ReplayOptions = {}): ReplayPlan {
  const work = replayPlanInSlices(source, protocol, options)
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

/** The steps due at `elapsed` ms: from `next` up to (not including) the index returned. */
export function dueUntil(steps: readonly ReplayStep[], next: number, elapsed: number): number {
  let i = next
  while (i < steps.length && steps[i]!.at <= elapsed) i++
  return i
}

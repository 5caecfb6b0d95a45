/**
 * Emit and acknowledgement bookkeeping of both Socket.IO drivers. PROTOCOL.md: record "emitted by the user"
 * separately from "flushed to the wire", so an emit that waits for the connection, or a volatile one that is
 * dropped, is visible as such. The `app` events recorded here: emit, buffered, flushed, dropped, ack, ack_timeout,
 * ack_error (their fields: the union in ../events.ts).
 *
 * Each driver keeps what its client does differently: how it learns that a packet went out, who times acks out.
 */
import { now } from '../types'
import type { OutgoingMessage, SendResult } from '../types'
import type { MessageRef } from '../message'
import { message, NOTHING } from '../message'
import type { EmitDetail } from '../events'
import type { TimelineRecorder } from './wireFrames'

export type EventMessage = Extract<OutgoingMessage, { kind: 'event' }>

/** An emit the user made that has not reached the engine yet, or waits for its ack. */
export interface PendingEmit {
  name: string
  args: unknown[]
  namespace: string
  emittedAt: number
  /** When it was handed to the engine: the start of its ack round trip. */
  sentAt?: number
  ackId?: number
  settled?: boolean
  /** The driver's own ack timer, where the client has none (v2). */
  timer?: ReturnType<typeof setTimeout>
  /** Answers the send() that asked for an ack. */
  resolve?: (result: SendResult) => void
}

/** The driver side of the ledger: its timeline exit, and each namespace's emits not yet handed to the engine. */
export interface EmitLedgerHost extends TimelineRecorder {
  awaitingFlush: (namespace: string) => PendingEmit[] | undefined
}

const DROPPED = 'volatile event dropped: the transport was not writable'

/** Same name and the very same argument objects: how a flushed packet is matched when it carries no ack id. */
function isPacketOf(emit: PendingEmit, data: unknown[]): boolean {
  const args = emit.args
  if (data.length !== args.length + 1 || data[0] !== emit.name) return false
  for (let a = 0; a < args.length; a++) if (data[a + 1] !== args[a]) return false
  return true
}

export class EmitLedger {
  /** Emits whose send() waits for an acknowledgement. */
  private readonly awaitingAck = new Set<PendingEmit>()

  constructor(private readonly host: EmitLedgerHost) {}

  /** The user called emit: records `emit`. `ackId`: the id the client gives the packet, when it is known now. */
  emitted(message: EventMessage, namespace: string, timeoutMs: number, ackId: number | undefined): PendingEmit {
    const { name, args } = message
    const emitted: PendingEmit = { name, args, namespace, emittedAt: now(), ackId }
    const detail: EmitDetail = { args }
    if (message.volatile) detail.volatile = true
    if (message.compress !== undefined) detail.compress = message.compress
    if (message.ack === true) detail.ackTimeoutMs = timeoutMs
    this.host.record({ time: emitted.emittedAt, layer: 'app', kind: 'emit', dir: 'out', name, namespace, ackId, detail })
    return emitted
  }

  /** The send() of this emit is answered when its ack settles (or when the session is disposed). */
  awaitAck(emitted: PendingEmit, resolve: (result: SendResult) => void): void {
    emitted.resolve = resolve
    this.awaitingAck.add(emitted)
  }

  /** Not handed to the engine: it waits in `queue` (its namespace's) until `flushed`. */
  buffered(queue: PendingEmit[], emitted: PendingEmit, reason: string): void {
    queue.push(emitted)
    const { name, namespace, ackId } = emitted
    this.host.record({ time: now(), layer: 'app', kind: 'buffered', dir: 'local', name, namespace, ackId, reason })
  }

  /** A volatile emit the transport could not take: discarded, as Socket.IO does. `error` answers the send(). */
  dropped(emitted: PendingEmit, error: MessageRef): Promise<SendResult> {
    this.settle(emitted)
    const { name, namespace } = emitted
    this.host.record({ time: now(), layer: 'app', kind: 'dropped', dir: 'local', name, namespace, reason: DROPPED })
    return Promise.resolve({ ok: false, error })
  }

  /**
   * An EVENT packet reached the engine while `queue` holds buffered emits: the oldest one it carries is flushed.
   * Matched by ack id when `byAckId` (the client numbers packets at emit time) and either side has one, otherwise
   * by name and argument identity (before encoding, which replaces binary arguments with placeholders).
   */
  flushed(queue: PendingEmit[], data: unknown[], ackId: number | undefined, byAckId: boolean): void {
    for (let i = 0; i < queue.length; i++) {
      const emit = queue[i] as PendingEmit
      const carries = byAckId && (emit.ackId !== undefined || ackId !== undefined) ? emit.ackId === ackId : isPacketOf(emit, data)
      if (!carries) continue
      queue.splice(i, 1)
      const time = now()
      emit.sentAt = time
      emit.ackId = ackId
      this.host.record({
        time, layer: 'app', kind: 'flushed', dir: 'out', name: emit.name, namespace: emit.namespace, ackId,
        detail: { waitedMs: time - emit.emittedAt },
      })
      return
    }
  }

  /** The server acknowledged: `ack`, with the round trip from the hand-over to the engine. */
  acked(emitted: PendingEmit, ackArgs: unknown[]): void {
    if (!this.settle(emitted)) return
    const time = now()
    const rttMs = time - (emitted.sentAt ?? emitted.emittedAt)
    const { name, namespace, ackId } = emitted
    this.host.record({ time, layer: 'app', kind: 'ack', dir: 'in', name, namespace, ackId, rttMs, detail: { args: ackArgs } })
    emitted.resolve?.({ ok: true, ackArgs, rttMs })
  }

  timedOut(emitted: PendingEmit, timeoutMs: number): void {
    if (!this.settle(emitted)) return
    const { name, namespace, ackId } = emitted
    const sent = emitted.sentAt !== undefined
    this.host.record({ time: now(), layer: 'app', kind: 'ack_timeout', dir: 'local', name, namespace, ackId, detail: { timeoutMs, sent } })
    emitted.resolve?.({
      ok: false,
      error: message('protocol.send.ackTimeout', { name, ms: timeoutMs, neverSent: sent ? NOTHING : message('protocol.send.neverSent') }),
    })
  }

  /** The ack can no longer come (the connection closed): `ack_error`; the emit is not resent. */
  failed(emitted: PendingEmit, reason: string): void {
    if (!this.settle(emitted)) return
    const { name, namespace, ackId } = emitted
    this.host.record({ time: now(), layer: 'app', kind: 'ack_error', dir: 'local', name, namespace, ackId, reason })
    emitted.resolve?.({ ok: false, error: message('protocol.send.closedBeforeAck', { name, reason }) })
  }

  /** Emits of this namespace that were handed to the engine and still wait for their ack. */
  * sentAwaitingAck(namespace: string): Generator<PendingEmit> {
    for (const emitted of this.awaitingAck) {
      if (emitted.namespace === namespace && emitted.sentAt !== undefined && !emitted.settled) yield emitted
    }
  }

  /** The session is disposed: every send() still waiting for an ack is answered now, and nothing more is recorded. */
  closeAll(): void {
    for (const emitted of this.awaitingAck) {
      emitted.settled = true
      clearTimeout(emitted.timer)
      emitted.resolve?.({ ok: false, error: message('protocol.send.sessionClosedBeforeAck') })
    }
    this.awaitingAck.clear()
  }

  /** Settles an emit once; false when it had already settled (a late ack, or a timeout after a drop). */
  private settle(emitted: PendingEmit): boolean {
    if (emitted.settled) return false
    emitted.settled = true
    clearTimeout(emitted.timer)
    this.awaitingAck.delete(emitted)
    const queue = this.host.awaitingFlush(emitted.namespace)
    const index = queue ? queue.indexOf(emitted) : -1
    if (queue && index !== -1) queue.splice(index, 1)
    return true
  }
}

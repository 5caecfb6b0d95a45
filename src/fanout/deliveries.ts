/**
 * Which client received which sent message, how late, and how often: the fan-out's delivery log. Pure data; the
 * clients' sinks call `receive` once per matching event (cheap: a map lookup and two array pushes).
 */
import type { LatencySummary } from './stats'
import { summarize } from './stats'

export interface SentMessage {
  seq: number
  /** The client that sent it (1-based). */
  sender: number
  /** Page clock (epoch ms, sub-ms) just before the emit. */
  time: number
  /** The clients that should receive it (open and in the room when it was sent). */
  expected: ReadonlySet<number>
  /** Untagged sends: the payload as JSON, matched by equality. */
  key?: string
  /** Client → latency (ms) of its first receipt. */
  readonly receipts: Map<number, number>
  /** Client → receipts after the first. */
  readonly duplicates: Map<number, number>
}

export interface MessageSummary {
  seq: number
  sender: number
  time: number
  expected: number
  /** Distinct clients that received it (expected or not). */
  received: number
  /** Expected clients that have not received it, ascending. */
  missed: number[]
  /** Clients that received it without being expected (the sender hearing itself, a late joiner). */
  unexpected: number[]
  /** Receipts beyond each client's first, summed. */
  duplicates: number
  /** Clients that received it more than once. */
  duplicatedBy: number[]
  latency: LatencySummary | undefined
}

export type ReceiveOutcome = 'first' | 'duplicate' | 'unknown'

export class DeliveryLog {
  private readonly sent = new Map<number, SentMessage>()
  private readonly byKey = new Map<string, SentMessage[]>()
  private nextSeq = 1
  /** Every first receipt's latency, in arrival order. */
  private readonly latencies: number[] = []
  private duplicateCount = 0
  /** Bumped on every change. */
  version = 0

  get size(): number {
    return this.sent.size
  }

  get totalDuplicates(): number {
    return this.duplicateCount
  }

  /** The seq the next send will get. */
  peekSeq(): number {
    return this.nextSeq
  }

  /** Record a send (before emitting it, so an echo that comes back at once finds it). */
  send(sender: number, time: number, expected: Iterable<number>, key?: string): SentMessage {
    const message: SentMessage = { seq: this.nextSeq++, sender, time, expected: new Set(expected), key, receipts: new Map(), duplicates: new Map() }
    this.sent.set(message.seq, message)
    if (key !== undefined) {
      const list = this.byKey.get(key)
      if (list) list.push(message)
      else this.byKey.set(key, [message])
    }
    this.version++
    return message
  }

  get(seq: number): SentMessage | undefined {
    return this.sent.get(seq)
  }

  /** A tagged receipt: `client` got message `seq` at `time`. */
  receive(client: number, seq: number, time: number): ReceiveOutcome {
    const message = this.sent.get(seq)
    if (!message) return 'unknown'
    return this.record(message, client, time)
  }

  /**
   * An untagged receipt matched by payload: the oldest send with one of these keys that this client has not received
   * yet; when it has received them all, a duplicate of the newest.
   */
  receiveByKey(client: number, keys: readonly string[], time: number): ReceiveOutcome {
    for (const key of keys) {
      const list = this.byKey.get(key)
      if (!list || list.length === 0) continue
      const open = list.find(m => !m.receipts.has(client) && m.time <= time)
      return this.record(open ?? list[list.length - 1]!, client, time)
    }
    return 'unknown'
  }

  private record(message: SentMessage, client: number, time: number): ReceiveOutcome {
    this.version++
    if (message.receipts.has(client)) {
      message.duplicates.set(client, (message.duplicates.get(client) ?? 0) + 1)
      this.duplicateCount++
      return 'duplicate'
    }
    const latency = Math.max(0, time - message.time)
    message.receipts.set(client, latency)
    this.latencies.push(latency)
    return 'first'
  }

  /** Every first receipt's latency (ms). */
  allLatencies(): readonly number[] {
    return this.latencies
  }

  summary(seq: number): MessageSummary | undefined {
    const message = this.sent.get(seq)
    if (!message) return undefined
    const missed: number[] = []
    for (const client of message.expected) if (!message.receipts.has(client)) missed.push(client)
    missed.sort((a, b) => a - b)
    const unexpected: number[] = []
    for (const client of message.receipts.keys()) if (!message.expected.has(client)) unexpected.push(client)
    unexpected.sort((a, b) => a - b)
    let duplicates = 0
    for (const n of message.duplicates.values()) duplicates += n
    return {
      seq: message.seq,
      sender: message.sender,
      time: message.time,
      expected: message.expected.size,
      received: message.receipts.size,
      missed,
      unexpected,
      duplicates,
      duplicatedBy: [...message.duplicates.keys()].sort((a, b) => a - b),
      latency: summarize([...message.receipts.values()]),
    }
  }

  /** Summaries of the last `limit` messages, newest first. */
  recent(limit: number): MessageSummary[] {
    const out: MessageSummary[] = []
    for (let seq = this.nextSeq - 1; seq >= 1 && out.length < limit; seq--) {
      const summary = this.summary(seq)
      if (summary) out.push(summary)
    }
    return out
  }

  /** Over all messages: sent, expected deliveries, delivered (expected ones), missed, duplicates. */
  totals(): { sent: number, expected: number, delivered: number, missed: number, duplicates: number, complete: number } {
    let expected = 0
    let delivered = 0
    let complete = 0
    for (const message of this.sent.values()) {
      expected += message.expected.size
      let got = 0
      for (const client of message.expected) if (message.receipts.has(client)) got++
      delivered += got
      if (got === message.expected.size) complete++
    }
    return { sent: this.sent.size, expected, delivered, missed: expected - delivered, duplicates: this.duplicateCount, complete }
  }

  clear(): void {
    this.sent.clear()
    this.byKey.clear()
    this.latencies.length = 0
    this.duplicateCount = 0
    this.version++
  }
}

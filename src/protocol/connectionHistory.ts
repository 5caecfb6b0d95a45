/**
 * A session's connection history within one run (from the user's Connect to the next), kept by both drivers.
 *
 * It exists for two reasons:
 * - Diagnoses need it: "the server closes every connection after about 1.5 s" or "it was open a moment ago, so it
 *   is not CORS" are facts about several connections, not about the one that just failed.
 * - Reconnect backoff needs it: a driver that resets its attempt counter on every `open` retries a server that
 *   drops every connection at the first delay forever. The counter may reset only once a connection stayed up for
 *   the stable period (`isStable`, `closed().stable`, `msUntilStable`).
 *
 * Pure: no timers, no I/O; time comes from the injected clock, so tests use a fake one. Memory is bounded.
 *
 * A driver calls, in order: `start()` on the user's Connect; `attempt()` when each socket is created; `opened()`
 * when it opens; `closed()` when an opened connection ends; `failed(kind)` for each failure it diagnoses (a
 * handshake that did not open, or a close of an open connection, named by the caller: a diagnosis id, or
 * `close:1011`); and reads `facts()` to pass to `diagnose` as `history`.
 */

import { message, type MessageRef } from './message'

/** What the history tells a diagnosis. Durations in ms. */
export interface HistoryFacts {
  /** The stable period in force: a connection that stayed up this long counts as working. */
  stableMs: number
  /** A connection opened earlier in this run (before the one that failed, or this very one). */
  wasOpenBefore: boolean
  /** How long the most recent opened connection stayed up (or has been up, while it still is). */
  lastUpMs?: number
  /** Time from the end of the most recent opened connection to now; 0 while it is still open. */
  msSinceLastOpen?: number
  /** Connections in a row, up to the latest, that closed within `stableMs` of opening. */
  shortLivedInARow: number
  /** Median up time of those connections (for "about 1.5 s"). */
  shortLivedTypicalMs?: number
  /** Longest up time of those connections (for "within 1.6 s"). */
  shortLivedLongestMs?: number
  /** Failures in a row of the same kind, the latest included; 0 before any failure. */
  sameFailureInARow: number
  /** The kind of the latest failure, as the driver named it. */
  failureKind?: string
  /** Sockets created since the last stable connection (or since Connect). */
  attemptsSinceStable: number
}

export interface ConnectionHistoryOptions {
  /**
   * A connection that stays up this long counts as stable: the attempt counter may reset, and a later close does
   * not count as short-lived.
   * @default 5000
   */
  stableMs?: number
  /** Clock in ms; tests pass a fake one. @default Date.now */
  now?: () => number
}

export const DEFAULT_STABLE_MS = 5000

/** Up times kept for the median: enough for "about", bounded whatever the run length. */
const MAX_SHORT_LIVED_KEPT = 32

export class ConnectionHistory {
  private stable: number
  private readonly clock: () => number
  private startedAt?: number
  /** Set while a connection is open. */
  private openedAt?: number
  private lastUpMs?: number
  private lastClosedAt?: number
  private everOpened = false
  private shortLived: number[] = []
  private shortLivedCount = 0
  private failureKind?: string
  private sameFailure = 0
  private attempts = 0

  constructor(options: ConnectionHistoryOptions = {}) {
    this.clock = options.now ?? Date.now
    this.stable = validStableMs(options.stableMs)
  }

  get stableMs(): number {
    return this.stable
  }

  /** Change the stable period (from the connection options); an invalid value keeps the default. */
  setStableMs(ms: number | undefined): void {
    this.stable = validStableMs(ms)
  }

  /** The user's Connect: a new run, nothing carried over from the last one. */
  start(): void {
    this.startedAt = this.clock()
    this.openedAt = undefined
    this.lastUpMs = undefined
    this.lastClosedAt = undefined
    this.everOpened = false
    this.shortLived = []
    this.shortLivedCount = 0
    this.failureKind = undefined
    this.sameFailure = 0
    this.attempts = 0
  }

  /** When the current run began (the user's Connect); undefined before `start()`. */
  get runStartedAt(): number | undefined {
    return this.startedAt
  }

  /** A socket was created (the user's connect or a reconnect attempt). */
  attempt(): void {
    this.attempts++
  }

  opened(): void {
    this.openedAt = this.clock()
    this.everOpened = true
  }

  /** The session was open before in this run. */
  get wasOpenBefore(): boolean {
    return this.everOpened
  }

  /** The current connection has stayed up for the stable period. False when no connection is open. */
  isStable(): boolean {
    return this.openedAt !== undefined && this.clock() - this.openedAt >= this.stable
  }

  /**
   * Ms until the open connection counts as stable (0 when it already does); undefined when none is open. A driver
   * whose backoff lives elsewhere (socket.io-client's Manager) sets a timer for this and resets it then.
   */
  msUntilStable(): number | undefined {
    if (this.openedAt === undefined) return undefined
    return Math.max(0, this.stable - (this.clock() - this.openedAt))
  }

  /**
   * An opened connection ended. `stable` tells the driver to reset its attempt counter: only a connection that
   * stayed up for the stable period proves the server works. Ignored when no connection is open.
   */
  closed(): { upMs: number, stable: boolean } | undefined {
    if (this.openedAt === undefined) return undefined
    const at = this.clock()
    const upMs = Math.max(0, at - this.openedAt)
    this.openedAt = undefined
    this.lastUpMs = upMs
    this.lastClosedAt = at
    const stable = upMs >= this.stable
    if (stable) {
      this.shortLived = []
      this.shortLivedCount = 0
      this.attempts = 0
      this.failureKind = undefined
      this.sameFailure = 0
    }
    else {
      this.shortLivedCount++
      this.shortLived.push(upMs)
      if (this.shortLived.length > MAX_SHORT_LIVED_KEPT) this.shortLived.shift()
    }
    return { upMs, stable }
  }

  /**
   * A failure the driver diagnosed, named by kind (a diagnosis id, or `close:<code>` for a close after open).
   * A handshake that never opened also breaks a run of short-lived connections: they are "in a row" no more.
   */
  failed(kind: string, opts: { afterOpen?: boolean } = {}): void {
    if (kind === this.failureKind) this.sameFailure++
    else {
      this.failureKind = kind
      this.sameFailure = 1
    }
    if (!opts.afterOpen) {
      this.shortLived = []
      this.shortLivedCount = 0
    }
  }

  facts(): HistoryFacts {
    const at = this.clock()
    const facts: HistoryFacts = {
      stableMs: this.stable,
      wasOpenBefore: this.everOpened,
      shortLivedInARow: this.shortLivedCount,
      sameFailureInARow: this.sameFailure,
      attemptsSinceStable: this.attempts,
    }
    if (this.openedAt !== undefined) {
      facts.lastUpMs = at - this.openedAt
      facts.msSinceLastOpen = 0
    }
    else if (this.lastUpMs !== undefined && this.lastClosedAt !== undefined) {
      facts.lastUpMs = this.lastUpMs
      facts.msSinceLastOpen = Math.max(0, at - this.lastClosedAt)
    }
    if (this.shortLived.length > 0) {
      const sorted = [...this.shortLived].sort((a, b) => a - b)
      facts.shortLivedTypicalMs = sorted[Math.floor((sorted.length - 1) / 2)]
      facts.shortLivedLongestMs = sorted[sorted.length - 1]
    }
    if (this.failureKind !== undefined) facts.failureKind = this.failureKind
    return facts
  }
}

function validStableMs(ms: number | undefined): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_STABLE_MS
}

/**
 * "850 ms", "1.5 s", "12 s", "2 min 5 s": a duration for a sentence, as a message (`protocol.duration.*`), so the
 * unit is the reader's language's.
 */
export function formatDuration(ms: number): MessageRef {
  if (!Number.isFinite(ms) || ms < 0) return message('protocol.duration.unknown')
  if (ms < 1000) return message('protocol.duration.ms', { n: Math.round(ms) })
  if (ms < 10_000) return message('protocol.duration.s', { n: Math.round(ms / 100) / 10 })
  if (ms < 60_000) return message('protocol.duration.s', { n: Math.round(ms / 1000) })
  const min = Math.floor(ms / 60_000)
  const s = Math.round((ms % 60_000) / 1000)
  return s === 0 || s === 60
    ? message('protocol.duration.min', { min: s === 60 ? min + 1 : min })
    : message('protocol.duration.minS', { min, s })
}

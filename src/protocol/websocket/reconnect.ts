/**
 * The raw WebSocket driver's reconnect policy. Browsers give a raw WebSocket no reconnect of its own, so the
 * driver backs off exponentially with jitter, like socket.io-client's Manager does.
 */

import { MAX_TIMER_MS } from '../types'
import { DEFAULT_STABLE_MS } from '../connectionHistory'

export interface ReconnectPolicy {
  /**
   * Reconnect after a close the user did not ask for.
   * @default true
   */
  enabled: boolean
  /**
   * Delay before the first attempt, in ms.
   * @default 500
   */
  initialDelayMs: number
  /**
   * Upper bound of any delay, in ms (after jitter).
   * @default 10000
   */
  maxDelayMs: number
  /**
   * Attempts in a row before giving up with `reconnect_failed`; `Infinity` never gives up.
   * @default 10
   */
  maxAttempts: number
  /**
   * Spread of each delay: 0.5 means anywhere from 50 % to 150 % of the backoff delay, so that many clients
   * dropped by one server restart do not all come back in the same millisecond.
   * @default 0.5
   */
  jitter: number
  /**
   * Growth of the delay from one attempt to the next.
   * @default 2
   */
  multiplier?: number
  /**
   * Reconnect also after the server closed the connection cleanly with 1000 (normal) or 1001 (going away). Off by
   * default: a server that says goodbye on purpose (a finished job, a flood that ends with close) would otherwise be
   * called back again and again.
   * @default false
   */
  afterCleanClose?: boolean
  /**
   * A connection that stays up this long counts as working, and only then does the attempt counter start over;
   * one that closes sooner keeps the backoff growing (a server that accepts, then drops every connection).
   * @default 5000
   */
  stableMs?: number
}

export const DEFAULT_RECONNECT_POLICY: Readonly<Required<ReconnectPolicy>> = Object.freeze({
  enabled: true,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  maxAttempts: 10,
  jitter: 0.5,
  multiplier: 2,
  afterCleanClose: false,
  stableMs: DEFAULT_STABLE_MS,
})


/**
 * Fill in the defaults. Fields given as `undefined` or not as a number (a form left empty: `v-model.number` gives
 * `''`) keep their default, and out-of-range numbers are clamped rather than rejected, so a policy is always usable.
 */
export function resolveReconnectPolicy(partial: Partial<ReconnectPolicy> = {}): Required<ReconnectPolicy> {
  const d = DEFAULT_RECONNECT_POLICY
  const num = (value: unknown, fallback: number, min: number, max = Infinity): number =>
    typeof value !== 'number' || Number.isNaN(value) ? fallback : Math.min(max, Math.max(min, value))
  const initialDelayMs = num(partial.initialDelayMs, d.initialDelayMs, 0, MAX_TIMER_MS)
  return {
    enabled: partial.enabled ?? d.enabled,
    initialDelayMs,
    maxDelayMs: num(partial.maxDelayMs, d.maxDelayMs, initialDelayMs, MAX_TIMER_MS),
    maxAttempts: num(partial.maxAttempts, d.maxAttempts, 0),
    jitter: num(partial.jitter, d.jitter, 0, 1),
    multiplier: num(partial.multiplier, d.multiplier, 1),
    afterCleanClose: typeof partial.afterCleanClose === 'boolean' ? partial.afterCleanClose : d.afterCleanClose,
    stableMs: num(partial.stableMs, d.stableMs, 0, MAX_TIMER_MS),
  }
}

/**
 * Planned delay before reconnect attempt `attempt` (1-based):
 * `min(max, initial · multiplier^(attempt-1))`, spread by ±jitter, capped at `maxDelayMs`, whole ms.
 * `random` returning 0.5 gives the un-jittered delay.
 */
export function reconnectDelay(attempt: number, policy: Required<ReconnectPolicy>, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1))
  const spread = 1 + policy.jitter * (2 * random() - 1)
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, base * spread)))
}

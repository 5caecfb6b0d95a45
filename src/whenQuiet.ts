import { busyWithin } from '@/composables/useTimelineTick'

/** An idle period this long means no frame is pending: the page is not drawing, not receiving a stream. */
const QUIET_MS = 40
/**
 * No burst of events on any timeline for this long: the flood paused. Longer than the 1 s a busy timeline's UI
 * updates may be apart (useTimelineTick's busyMaxIntervalMs), so a flood is never taken for a pause.
 */
const STREAM_QUIET_MS = 1500
/**
 * The page's first second is not a quiet moment, whatever the browser grants: a deep link that connects at once has
 * its handshake in flight, and its flood would start under what began in the gap.
 */
const SETTLE_MS = 1000
/**
 * While a timeline is busy nothing will be quiet for STREAM_QUIET_MS at least: the wait looks again after this long
 * rather than at every idle moment (during a flood with the drivers in their Worker, an idle callback after nearly
 * every frame: ~1 % of the UI thread in a trace of one).
 */
const BUSY_RECHECK_MS = 500
/**
 * The longest a connection being opened holds the page's quiet (`holdQuiet`): a handshake that is never answered
 * does not hold it for ever.
 */
const HOLD_MS = 10_000
/** After this long a bounded wait ends at the next idle moment, quiet or not (a stream may never stop). */
const LONGEST_WAIT_MS = 60_000

/** The two waits, each made on first use: bounded by LONGEST_WAIT_MS, and not. */
const waits = new Map<boolean, Promise<void>>()
/** Holds not yet released (`holdQuiet`). */
let holds = 0
/** When the last hold was released (performance.now()), or -Infinity. */
let releasedAt = -Infinity

/**
 * A connection is being opened: the page is not quiet until it is open (or has failed) and STREAM_QUIET_MS more have
 * passed with no burst, since what it opens may be a flood whose first frames are on their way. The handshake may
 * take seconds (a remote or busy server; with the drivers in their Worker, the Worker's start first), and the page
 * idles meanwhile. Call the returned function once the connection is open or ended; again does nothing. A hold ends
 * by itself after HOLD_MS.
 */
export function holdQuiet(): () => void {
  holds++
  let held = true
  const release = (): void => {
    if (!held) return
    held = false
    clearTimeout(cap)
    holds--
    releasedAt = performance.now()
  }
  const cap = setTimeout(release, HOLD_MS)
  return release
}

export interface WhenQuietOptions {
  /**
   * Wait for a quiet moment however long it takes, for work that something else starts sooner when it is wanted
   * (the code editor: the person reaching for the field). Without it, after a minute the next idle moment will do.
   */
  unbounded?: boolean
}

/**
 * Resolves when the page is quiet: an idle period of 40 ms or more, which the browser grants only when no frame is
 * pending, and no timeline's update found a burst of events for 1.5 s — not while a deep-linked session's flood
 * arrives, on the page or in the driver Worker (whose UI thread idles between updates), nor while a connection is being
 * opened or for 1.5 s after it opened (`holdQuiet`). A steady trickle (a ticker, heartbeats) does not hold it back; nor
 * before the page's first second is over. What is optional at start waits for it, so its CPU stays out of a flood on a
 * two-core machine: the service worker's install (it downloads and stores every file of the build), bounded: after a
 * minute the next idle moment will do, since a stream may never stop and the app should still install; and the code
 * editor's chunk (its compile and set-up take tens of ms), unbounded: during a stream that never stops the Message
 * field stays a plain textarea until the person reaches for it, rather than the stream getting that task a minute in
 * (where both 10-minute soaks of 2 December had their one task over 50 ms; likely this, not traced). The driver Worker
 * starts at the bounded wait too (App.vue), unless a connection started it sooner. One wait of each kind for
 * everything.
 */
export function whenQuiet(options: WhenQuietOptions = {}): Promise<void> {
  const bounded = options.unbounded !== true
  let wait = waits.get(bounded)
  if (wait) return wait
  wait = new Promise<void>((resolve) => {
    const started = performance.now()
    const idle = globalThis.requestIdleCallback
    if (typeof idle !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    const check = (deadline: IdleDeadline) => {
      // During a flood the UI thread idles between the tick's throttled updates (and with the drivers in their
      // Worker, between batches too): a burst a tick found counts as busy.
      const now = performance.now()
      const busy = busyWithin(STREAM_QUIET_MS) || holds > 0 || now - releasedAt < STREAM_QUIET_MS
      if ((deadline.timeRemaining() >= QUIET_MS && !busy && now >= SETTLE_MS) || (bounded && now - started > LONGEST_WAIT_MS)) resolve()
      else if (busy) setTimeout(() => idle(check), BUSY_RECHECK_MS)
      else idle(check)
    }
    idle(check)
  })
  waits.set(bounded, wait)
  return wait
}

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
/** After this long the wait ends at the next idle moment, quiet or not (a stream may never stop). */
const LONGEST_WAIT_MS = 60_000

let quiet: Promise<void> | undefined

/**
 * Resolves when the page is quiet: an idle period of 40 ms or more, which the browser grants only when no frame is
 * pending, and no timeline's update found a burst of events for 1.5 s — not while a deep-linked session's flood
 * arrives, on the page or in the driver Worker (whose UI thread idles between updates). A steady trickle (a ticker,
 * heartbeats) does not hold it back; nor before the page's first second is over. What is optional at start waits
 * for it, so its CPU stays out of a flood on a two-core machine: the code editor's chunk (its compile and set-up
 * take tens of ms) and the service worker's install (it downloads and stores every file of the build). Bounded:
 * after a minute the next idle moment will do. One wait for everything, made on first use.
 */
export function whenQuiet(): Promise<void> {
  quiet ??= new Promise<void>((resolve) => {
    const started = performance.now()
    const idle = globalThis.requestIdleCallback
    if (typeof idle !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    const check = (deadline: IdleDeadline) => {
      // During a flood the UI thread idles between the tick's throttled updates (and with the drivers in their
      // Worker, between batches too): a burst a tick found counts as busy.
      const quietNow = deadline.timeRemaining() >= QUIET_MS && !busyWithin(STREAM_QUIET_MS) && performance.now() >= SETTLE_MS
      if (quietNow || performance.now() - started > LONGEST_WAIT_MS) resolve()
      else idle(check)
    }
    idle(check)
  })
  return quiet
}

import { receivedWithin } from '@/protocol/worker/thread'
import { updatedWithin } from '@/composables/useTimelineTick'

/** An idle period this long means no frame is pending: the page is not drawing, not receiving a stream. */
const QUIET_MS = 40
/** No events from the driver Worker and no timeline drawn for this long: the stream paused. */
const STREAM_QUIET_MS = 500
/** After this long the wait ends at the next idle moment, quiet or not (a stream may never stop). */
const LONGEST_WAIT_MS = 60_000

let quiet: Promise<void> | undefined

/**
 * Resolves when the page is quiet: an idle period of 40 ms or more, which the browser grants only when no frame is
 * pending, no batch of events from the driver Worker for 500 ms, and no timeline redrawn for as long — not while a
 * deep-linked session's stream arrives and the timeline draws it. What is optional at start waits for it, so its
 * CPU stays out of a flood on a two-core machine: the code editor's chunk (its compile and set-up take tens of ms)
 * and the service worker's install (it downloads and stores every file of the build). Bounded: after a minute the
 * next idle moment will do. One wait for everything, made on first use.
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
      // With the drivers in their Worker the UI thread idles during a stream too: a stream's batches count as busy,
      // and so does a timeline the UI redrew (the drivers on the page, between two of the tick's throttled updates).
      const quietNow = deadline.timeRemaining() >= QUIET_MS && !receivedWithin(STREAM_QUIET_MS) && !updatedWithin(STREAM_QUIET_MS)
      if (quietNow || performance.now() - started > LONGEST_WAIT_MS) resolve()
      else idle(check)
    }
    idle(check)
  })
  return quiet
}

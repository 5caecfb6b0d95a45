/**
 * Sending one message many times, on a schedule that does not drift: the k-th send is due at start + k × interval
 * (absolute times, so a late timer is made up by the next sends, not carried into all the others). A stall longer than
 * MAX_CATCH_UP_MS (a frozen or heavily throttled page) is not made up in a burst: the schedule starts again from that
 * send. With an interval
 * under a timer's resolution (0 included) sends run in batches that give the event loop back every BATCH_MS, so no
 * task of the page lasts more than that (the browser's "long task" is 50 ms). Pure (no Vue): the clock, the sleep
 * and the yield are injected, so tests drive it with a fake clock.
 */

/** How long one batch of back-to-back sends may hold the thread. */
export const BATCH_MS = 8
/** Lateness up to this is made up (sends back to back until on schedule); beyond it, the schedule starts again. */
export const MAX_CATCH_UP_MS = 1000
/** Above this many sends, or below this interval, the person confirms first. */
export const CONFIRM_ABOVE_COUNT = 10_000
export const CONFIRM_BELOW_INTERVAL_MS = 1

/** Whether a repeat of this size needs a confirmation. */
export function needsConfirmation(count: number, intervalMs: number): boolean {
  return count > CONFIRM_ABOVE_COUNT || intervalMs < CONFIRM_BELOW_INTERVAL_MS
}

/** Why a repeat ended. */
export type RepeatEnd = 'done' | 'stopped' | 'error'

export interface RepeatClock {
  now: () => number
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  /** Gives the event loop back (rendering, input, socket events) for a moment. */
  yieldNow: () => Promise<void>
}

export interface RepeatOptions {
  count: number
  intervalMs: number
  signal: AbortSignal
  /** One send; false (or a rejection) stops the repeat as an error. */
  sendOne: (index: number) => boolean | Promise<boolean>
  onProgress?: (done: number) => void
  clock: RepeatClock
}

/** Wait `ms` (setTimeout), or less when `signal` aborts; never rejects. Repeat and Replay both pace with it. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, Math.max(0, ms))
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/** The browser's clock: performance.now, setTimeout and a yield to the event loop. */
export function realClock(yieldNow: () => Promise<void>): RepeatClock {
  return {
    now: () => performance.now(),
    sleep: abortableSleep,
    yieldNow,
  }
}

/** Run the sends; resolves with how it ended and how many were sent. */
export async function runRepeat(options: RepeatOptions): Promise<{ end: RepeatEnd, done: number }> {
  const { count, signal, sendOne, onProgress, clock } = options
  const interval = Math.max(0, options.intervalMs)
  let start = clock.now()
  let sliceStart = start
  let done = 0
  while (done < count) {
    if (signal.aborted) return { end: 'stopped', done }
    if (done > 0) {
      const wait = start + done * interval - clock.now()
      if (interval > 0 && -wait > MAX_CATCH_UP_MS) start = clock.now() - done * interval
      if (wait >= 1) {
        await clock.sleep(wait, signal)
        sliceStart = clock.now()
        continue
      }
      if (clock.now() - sliceStart >= BATCH_MS) {
        onProgress?.(done)
        await clock.yieldNow()
        sliceStart = clock.now()
        continue
      }
    }
    let ok: boolean
    try {
      ok = await sendOne(done)
    }
    catch {
      ok = false
    }
    if (signal.aborted) return { end: 'stopped', done: done + (ok ? 1 : 0) }
    if (!ok) return { end: 'error', done }
    done++
    onProgress?.(done)
  }
  return { end: 'done', done }
}

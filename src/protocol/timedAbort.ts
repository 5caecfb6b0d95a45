import { MAX_TIMER_MS } from './types'

/** An abort signal for one bounded request: see `timedAbort`. */
export interface TimedAbort {
  readonly signal: AbortSignal
  /** The time ran out (rather than the caller's signal firing). */
  readonly timedOut: boolean
  /** Clear the timer and stop listening to the caller's signal; call it in `finally`. */
  release: () => void
}

/** A signal that fires after `timeoutMs` or as soon as `signal` does (a Disconnect), whichever comes first. */
export function timedAbort(timeoutMs: number, signal?: AbortSignal): TimedAbort {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS))
  const onAbort = (): void => controller.abort()
  if (signal?.aborted) controller.abort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    get timedOut() { return timedOut },
    release() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    },
  }
}

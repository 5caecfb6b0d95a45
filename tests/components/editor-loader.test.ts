/**
 * When the composer's editor chunk loads and the service worker registers (src/whenQuiet.ts, re-exported by
 * editorLoader.ts): only once the browser grants an idle period of 40 ms or more — none while frames are pending, as
 * during a stream the timeline draws —, no timeline's update found a burst for 1.5 s, no connection is being opened or
 * opened less than 1.5 s ago, and the page's first second is over; or, for the service worker's bounded wait, after a
 * minute at the next idle moment. The browser's idle scheduler and clock are the edge faked here; each test imports a
 * fresh module.
 */
import { effectScope } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'

type IdleCallback = (deadline: IdleDeadline) => void

/** A stand-in for requestIdleCallback: runs queued callbacks with the idle time given. */
function fakeIdle() {
  const queue: IdleCallback[] = []
  vi.stubGlobal('requestIdleCallback', (callback: IdleCallback) => queue.push(callback))
  return {
    /** One idle period of `ms`: every callback queued so far runs once. */
    idle(ms: number) {
      for (const callback of queue.splice(0)) callback({ didTimeout: false, timeRemaining: () => ms })
    },
    get waiting() { return queue.length },
  }
}

/**
 * Follows one `whenQuiet()` wait: `after(ms, then)` moves the (faked) clock on by `ms` and runs `then` (an idle
 * period); `isResolved(false)` checks it has not resolved, `isResolved(true)` waits for it to resolve.
 */
function watchQuiet(whenQuiet: () => Promise<void>) {
  let quiet = false
  void whenQuiet().then(() => { quiet = true })
  const watch = {
    after(ms: number, then: () => void) {
      vi.advanceTimersByTime(ms)
      then()
      return watch
    },
    async isResolved(expected: boolean) {
      if (expected) await vi.waitFor(() => expect(quiet).toBe(true))
      else {
        await Promise.resolve()
        expect(quiet).toBe(false)
      }
    },
  }
  return watch
}

async function freshLoader() {
  vi.resetModules()
  return import('../../src/components/composer/editorLoader')
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('whenQuiet', () => {
  it('waits through short idle periods (frames pending) and resolves on the first long one', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    vi.advanceTimersByTime(1_000)
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const quiet = watchQuiet(whenQuiet)
    for (let i = 0; i < 50; i++) idle.idle(12)
    await quiet.isResolved(false)
    expect(idle.waiting).toBe(1) // It asks again, one callback at a time.
    idle.idle(49)
    await quiet.isResolved(true)
    // Every field shares the one wait.
    expect(whenQuiet()).toBe(whenQuiet())
  })

  it('is not in the page\'s first second (a deep link\'s handshake is in flight)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const quiet = watchQuiet(whenQuiet)
    await quiet.after(900, () => idle.idle(49)).isResolved(false)
    await quiet.after(100, () => idle.idle(49)).isResolved(true)
  })

  /** A timeline with its UI tick, and `append(n)`: n frames at once, resolved when the tick has shown them. */
  async function tickedTimeline() {
    const { Timeline } = await import('../../src/timeline/timeline')
    const { useTimelineTick } = await import('../../src/composables/useTimelineTick')
    const timeline = new Timeline()
    const scope = effectScope()
    const tick = scope.run(() => useTimelineTick(timeline).tick)!
    return {
      async append(n: number) {
        const before = tick.value
        for (let i = 0; i < n; i++) timeline.append({ time: 0, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 2, data: 'hi' })
        await vi.waitFor(() => expect(tick.value).toBeGreaterThan(before))
      },
      stop: () => scope.stop(),
    }
  }

  it('waits while a flood arrives (the UI thread idles between throttled updates), not for a trickle', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'clearTimeout'] })
    vi.advanceTimersByTime(1_000)
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const timeline = await tickedTimeline()
    // A burst an update found (more than 64 events since the one before) holds it back for 1.5 s.
    await timeline.append(100)
    const quiet = watchQuiet(whenQuiet)
    await quiet.after(1_000, () => idle.idle(49)).isResolved(false)
    // While busy it does not ask for every idle period (one after nearly every frame of a flood), but looks again
    // half a second later.
    expect(idle.waiting).toBe(0)
    await quiet.after(499, () => idle.idle(49)).isResolved(false)
    expect(idle.waiting).toBe(0)
    vi.advanceTimersByTime(1)
    expect(idle.waiting).toBe(1)
    // A trickle (a ticker's event per update) does not hold it back.
    await timeline.append(1)
    await quiet.after(500, () => idle.idle(49)).isResolved(true)
    timeline.stop()
  })

  it('waits while a connection is being opened, and 1.5 s after it opened; a hold never released ends by itself', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'clearTimeout'] })
    vi.advanceTimersByTime(1_000)
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const { holdQuiet } = await import('../../src/whenQuiet')
    const first = holdQuiet()
    const second = holdQuiet()
    const quiet = watchQuiet(whenQuiet)
    // Two handshakes take 3 s; the page idles meanwhile (rechecked every half second while held).
    for (let i = 0; i < 6; i++) await quiet.after(500, () => idle.idle(49)).isResolved(false)
    first()
    first() // Once only: a second call does not end the other connection's hold.
    for (let i = 0; i < 4; i++) await quiet.after(500, () => idle.idle(49)).isResolved(false)
    second()
    await quiet.after(1_000, () => idle.idle(49)).isResolved(false)
    await quiet.after(500, () => idle.idle(49)).isResolved(true)

    // A connection that never opens nor fails (a handshake never answered) holds the page for 10 s, not for ever.
    const again = await freshLoader()
    const { holdQuiet: hold } = await import('../../src/whenQuiet')
    hold()
    const unbounded = watchQuiet(() => again.whenQuiet({ unbounded: true }))
    await unbounded.after(9_500, () => idle.idle(49)).isResolved(false)
    await unbounded.after(1_000, () => idle.idle(49)).isResolved(false)
    await unbounded.after(1_500, () => idle.idle(49)).isResolved(true)
  })

  it('after a minute without a quiet moment, the next idle moment will do (a stream may never stop)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const quiet = watchQuiet(whenQuiet)
    idle.idle(5)
    await quiet.after(59_000, () => idle.idle(5)).isResolved(false)
    await quiet.after(2_000, () => idle.idle(5)).isResolved(true)
  })

  it('unbounded (the editor\'s), waits for a quiet moment however long it takes; each kind is one wait', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    const unbounded = watchQuiet(() => whenQuiet({ unbounded: true }))
    const bounded = watchQuiet(whenQuiet)
    idle.idle(5)
    await unbounded.after(61_000, () => idle.idle(5)).isResolved(false)
    await bounded.isResolved(true)
    await unbounded.after(10 * 60_000, () => idle.idle(5)).isResolved(false)
    idle.idle(49)
    await unbounded.isResolved(true)
    expect(whenQuiet({ unbounded: true })).toBe(whenQuiet({ unbounded: true }))
    expect(whenQuiet({ unbounded: true })).not.toBe(whenQuiet())
  })
})

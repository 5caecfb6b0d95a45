/**
 * When the composer's editor chunk loads (editorLoader.ts `whenQuiet`): only once the browser grants an idle period
 * of 40 ms or more — none while frames are pending, as during a stream the timeline draws — or after a minute at the
 * next idle moment. The browser's idle scheduler and clock are the edge faked here; each test imports a fresh module.
 */
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
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    let quiet = false
    void whenQuiet().then(() => { quiet = true })
    for (let i = 0; i < 50; i++) idle.idle(12)
    await Promise.resolve()
    expect(quiet).toBe(false)
    expect(idle.waiting).toBe(1) // It asks again, one callback at a time.
    idle.idle(49)
    await vi.waitFor(() => expect(quiet).toBe(true))
    // Every field shares the one wait.
    expect(whenQuiet()).toBe(whenQuiet())
  })

  it('after a minute without a quiet moment, the next idle moment will do (a stream may never stop)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    const idle = fakeIdle()
    const { whenQuiet } = await freshLoader()
    let quiet = false
    void whenQuiet().then(() => { quiet = true })
    idle.idle(5)
    vi.advanceTimersByTime(59_000)
    idle.idle(5)
    await Promise.resolve()
    expect(quiet).toBe(false)
    vi.advanceTimersByTime(2_000)
    idle.idle(5)
    await vi.waitFor(() => expect(quiet).toBe(true))
  })
})

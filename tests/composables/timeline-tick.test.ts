// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef, watch } from 'vue'
import { renderingBetweenFrames, timelineTickUsers, useTimelineTick } from '../../src/composables/useTimelineTick'
import type { DraftEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'

const frame = (): DraftEvent => ({ time: 0, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: 'x', size: 1 })
// In Node there is no requestAnimationFrame: the composable falls back to a 16 ms timer.
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function setup(timeline: Timeline | (() => Timeline), options?: Parameters<typeof useTimelineTick>[1]) {
  const scope = effectScope()
  const result = scope.run(() => useTimelineTick(timeline, options))!
  return { ...result, scope }
}

describe('useTimelineTick', () => {
  it('bumps once per frame however many events were appended, and acknowledges', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline)
    await wait(40)
    const start = tick.value
    for (let i = 0; i < 10; i++) timeline.append(frame())
    expect(tick.value).toBe(start)
    await wait(40)
    expect(tick.value).toBe(start + 1)
    // Acknowledged: the next append notifies again.
    timeline.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 2)
    scope.stop()
  })

  it('during a flood (3+ busy ticks in a row) ticks at most every busyIntervalMs', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 300, busyEvents: 5, busySustainMs: 0 })
    await wait(40)
    const start = tick.value
    const burst = () => { for (let i = 0; i < 100; i++) timeline.append(frame()) }
    // Two large batches are not a flood yet: each shows on the next frame.
    burst()
    await wait(40)
    burst()
    await wait(40)
    expect(tick.value).toBe(start + 2)
    burst()
    await wait(40)
    expect(tick.value).toBe(start + 3) // the third busy tick starts the busy spell
    // While the flood goes on, the next tick waits out the interval.
    const flood = setInterval(() => timeline.append(frame()), 5)
    await wait(100)
    expect(tick.value).toBe(start + 3)
    await wait(300)
    expect(tick.value).toBe(start + 4)
    clearInterval(flood)
    // The stream went quiet: what came since shows within about two quiet periods, not a whole interval later.
    await wait(100)
    expect(tick.value).toBe(start + 5)
    // A quiet batch (≤ busyEvents) ends the busy spell: after it, an append ticks on the next frame.
    timeline.append(frame())
    await wait(100)
    expect(tick.value).toBe(start + 6)
    timeline.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 7)
    scope.stop()
  })

  it('one large batch (an import) is not a flood', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 10_000, busyEvents: 5 })
    await wait(40)
    const start = tick.value
    for (let i = 0; i < 1000; i++) timeline.append(frame())
    await wait(40)
    timeline.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 2)
    scope.stop()
  })

  it('follows a new timeline and stops listening when its scope ends', async () => {
    const a = new Timeline()
    const b = new Timeline()
    const current = shallowRef(a)
    const { tick, scope } = setup(() => current.value)
    await wait(40)
    current.value = b
    await wait(40)
    const start = tick.value
    a.append(frame())
    await wait(40)
    expect(tick.value).toBe(start)
    b.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 1)
    scope.stop()
    b.acknowledge()
    b.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 1)
  })

  it('two users of one timeline share one tick, which stops when the last one is done', async () => {
    const timeline = new Timeline()
    const subscribe = vi.spyOn(timeline, 'subscribe')
    const acknowledge = vi.spyOn(timeline, 'acknowledge')
    const panel = setup(timeline)
    const statusBar = setup(() => timeline)
    expect(subscribe).toHaveBeenCalledTimes(1)
    expect(timelineTickUsers(timeline)).toBe(2)
    await wait(40)
    const [a, b] = [panel.tick.value, statusBar.tick.value]
    acknowledge.mockClear()
    for (let i = 0; i < 10; i++) timeline.append(frame())
    await wait(40)
    // Both saw the same one tick, and the timeline was acknowledged once for it.
    expect([panel.tick.value, statusBar.tick.value]).toEqual([a + 1, b + 1])
    expect(acknowledge).toHaveBeenCalledTimes(1)
    // The first user goes (its panel unmounts): the other keeps ticking on the same subscription.
    panel.scope.stop()
    expect(timelineTickUsers(timeline)).toBe(1)
    timeline.append(frame())
    await wait(40)
    expect(statusBar.tick.value).toBe(b + 2)
    expect(panel.tick.value).toBe(a + 1)
    expect(subscribe).toHaveBeenCalledTimes(1)
    // The last one goes: nothing listens, a pending frame is cancelled, nothing acknowledges.
    timeline.append(frame())
    statusBar.scope.stop()
    expect(timelineTickUsers(timeline)).toBe(0)
    acknowledge.mockClear()
    await wait(40)
    timeline.acknowledge()
    timeline.append(frame())
    await wait(40)
    expect(acknowledge).toHaveBeenCalledTimes(1) // only ours
    expect(statusBar.tick.value).toBe(b + 2)
    // A new first user starts a new tick.
    const again = setup(timeline)
    expect(subscribe).toHaveBeenCalledTimes(2)
    await wait(40)
    const start = again.tick.value
    timeline.append(frame())
    await wait(40)
    expect(again.tick.value).toBe(start + 1)
    again.scope.stop()
  })

  it('a user whose getter moves to another timeline leaves the first one\'s tick to its other users', async () => {
    const a = new Timeline()
    const b = new Timeline()
    const current = shallowRef(a)
    const mover = setup(() => current.value)
    const stayer = setup(a)
    expect(timelineTickUsers(a)).toBe(2)
    current.value = b
    await wait(40)
    expect([timelineTickUsers(a), timelineTickUsers(b)]).toEqual([1, 1])
    const before = stayer.tick.value
    a.append(frame())
    await wait(40)
    expect(stayer.tick.value).toBe(before + 1)
    mover.scope.stop()
    stayer.scope.stop()
    expect([timelineTickUsers(a), timelineTickUsers(b)]).toEqual([0, 0])
  })

  it('during a flood, spaces the ticks by what each update costs (busyRenderShare), and ticks at once when the flood stops', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 40, busyEvents: 5, busySustainMs: 0, busyRenderShare: 0.1, quietMs: 30 })
    const ticks: number[] = []
    // Every update costs 40 ms of main thread (a render): at a tenth of the thread, ticks come ≥ 400 ms apart.
    scope.run(() => watch(tick, () => {
      ticks.push(performance.now())
      const until = performance.now() + 40
      while (performance.now() < until) { /* rendering */ }
    }))
    await wait(40)
    const flood = setInterval(() => { for (let i = 0; i < 50; i++) timeline.append(frame()) }, 5)
    await wait(2000)
    clearInterval(flood)
    const lastAppend = performance.now()
    await wait(500)
    scope.stop()
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!)
    // Three quick ticks make the flood; after those, the budget: 40 ms apart would be ~40 ticks in 2 s.
    expect(ticks.length).toBeLessThan(14)
    expect(Math.min(...gaps.slice(4, -1))).toBeGreaterThanOrEqual(300)
    // The end of the flood shows within about two quiet periods of its last frame, not up to a whole budget later
    // (timers run late on a loaded machine: the margin is for them).
    expect(ticks.at(-1)! - lastAppend).toBeLessThan(250)
    expect(ticks.at(-1)! - lastAppend).toBeGreaterThan(-5)
  })

  it('counts what follows the render in the update\'s cost (in a browser: the frame\'s style, layout and paint)', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 40, busyEvents: 5, busySustainMs: 0, busyRenderShare: 0.1, quietMs: 30 })
    const ticks: number[] = []
    // The render is cheap; 40 ms of work it leaves for after Vue's flush (a microtask it queues, as a frame's layout
    // and paint follow the animation-frame callback) is part of the update all the same: ticks ≥ 400 ms apart.
    scope.run(() => watch(tick, () => {
      ticks.push(performance.now())
      queueMicrotask(() => {
        const until = performance.now() + 40
        while (performance.now() < until) { /* layout and paint */ }
      })
    }))
    await wait(40)
    const flood = setInterval(() => { for (let i = 0; i < 50; i++) timeline.append(frame()) }, 5)
    await wait(2000)
    clearInterval(flood)
    await wait(300)
    scope.stop()
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!)
    expect(ticks.length).toBeLessThan(14)
    expect(Math.min(...gaps.slice(4, -1))).toBeGreaterThanOrEqual(300)
  })

  it('does not take a lull for the end of a flood while the timeline\'s source says it is mid-stream', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 600, busyEvents: 5, busySustainMs: 0, quietMs: 20 })
    const ticks: number[] = []
    scope.run(() => watch(tick, () => ticks.push(performance.now())))
    await wait(40)
    // Batches 60 ms apart (a driver Worker's, late on a busy machine): each gap is a lull of three looks.
    timeline.streaming = true
    const flood = setInterval(() => { for (let i = 0; i < 50; i++) timeline.append(frame()) }, 60)
    await wait(1500)
    const midStream = ticks.length
    const gaps = ticks.slice(4).map((t, i) => t - ticks[i + 3]!)
    // Only the budget spaces the ticks: 600 ms apart, not one after every lull (~60 ms).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(550)
    clearInterval(flood)
    // The source says the stream paused: the next look ticks.
    await wait(100)
    timeline.streaming = false
    const paused = performance.now()
    await vi.waitFor(() => expect(ticks.length).toBeGreaterThan(midStream), { timeout: 1000, interval: 5 })
    expect(ticks.at(-1)! - paused).toBeLessThan(150)
    scope.stop()
  })

  it('starts the busy spell at the first burst while the timeline\'s source says it is mid-stream', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 300, busyEvents: 5, busySustainMs: 250 })
    await wait(40)
    const start = tick.value
    const burst = () => { for (let i = 0; i < 100; i++) timeline.append(frame()) }
    timeline.streaming = true
    burst()
    await wait(40)
    expect(tick.value).toBe(start + 1)
    // The next burst waits out the interval instead of showing on the next frame, as the second of a flood would
    // without the word (three busy ticks over 250 ms first: the test above).
    burst()
    await wait(100)
    expect(tick.value).toBe(start + 1)
    await vi.waitFor(() => expect(tick.value).toBe(start + 2), { timeout: 1000, interval: 5 })
    timeline.streaming = false
    scope.stop()
  })

  it('renders every tick between frames, a few events as a burst and a busy tick, and tells the watchers that run after that render', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 100, busyEvents: 5, busySustainMs: 250 })
    const seen: boolean[] = []
    scope.run(() => watch(tick, () => seen.push(renderingBetweenFrames()), { flush: 'post' }))
    await wait(40)
    seen.length = 0
    const burst = () => { for (let i = 0; i < 100; i++) timeline.append(frame()) }
    // Between floods: a tick of one event, then one burst (no busy spell: three in a row over 250 ms first). Each
    // renders in a task of its own after the frame that found it.
    timeline.append(frame())
    await vi.waitFor(() => expect(seen.length).toBe(1), { timeout: 1000, interval: 5 })
    burst()
    await vi.waitFor(() => expect(seen.length).toBe(2), { timeout: 1000, interval: 5 })
    // Mid-stream: the first burst starts the busy spell; the next busy tick renders from the tick's timer.
    timeline.streaming = true
    burst()
    await wait(40)
    burst()
    await vi.waitFor(() => expect(seen.length).toBe(4), { timeout: 1000, interval: 5 })
    expect(seen).toEqual([true, true, true, true])
    // Only while that render's watchers run.
    expect(renderingBetweenFrames()).toBe(false)
    timeline.streaming = false
    scope.stop()
  })

  it('a cheap update keeps the busy interval (busyIntervalMs) during a flood', async () => {
    const timeline = new Timeline()
    const { tick, scope } = setup(timeline, { busyIntervalMs: 60, busyEvents: 5, busySustainMs: 0 })
    const ticks: number[] = []
    scope.run(() => watch(tick, () => ticks.push(performance.now())))
    await wait(40)
    const flood = setInterval(() => { for (let i = 0; i < 50; i++) timeline.append(frame()) }, 5)
    await wait(1200)
    clearInterval(flood)
    scope.stop()
    const gaps = ticks.slice(4).map((t, i) => t - ticks[i + 3]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(55)
    // Timers run late on a loaded machine, so the typical gap, not the longest, says the budget did not stretch.
    expect(gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!).toBeLessThan(100)
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import { useTimelineTick } from '../../src/composables/useTimelineTick'
import type { DraftEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'

const frame = (): DraftEvent => ({ time: 0, layer: 'wire', kind: 'frame', dir: 'in', data: 'x' })
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
    timeline.append(frame())
    await wait(100)
    expect(tick.value).toBe(start + 3) // the next one waits out the interval
    await wait(300)
    expect(tick.value).toBe(start + 4)
    // A quiet batch (≤ busyEvents) ended the busy spell: the following append ticks on the next frame.
    timeline.append(frame())
    await wait(40)
    expect(tick.value).toBe(start + 5)
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
})

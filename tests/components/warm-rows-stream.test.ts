import { afterEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import TimelinePanel from '../../src/components/timeline/TimelinePanel.vue'
import type { DraftEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'
import { createViewState } from '../../src/timeline/viewState'
import { mountInDocument, nextFrame, unmountAll } from '../support/mount'

/**
 * The rows' warm-up (warmRows.ts) runs once per page, in idle steps after the first list mounts. A deep link that
 * connects at once brings a flood while those steps are still queued: once a burst has reached a timeline, the steps
 * left do nothing (the burst's rows have paid for them). A file of its own: the warm-up is once per module.
 * tests/components/timeline-panel.test.ts covers the whole warm-up when no burst comes.
 */
afterEach(() => {
  unmountAll()
  vi.unstubAllGlobals()
})

describe('the rows\' warm-up', () => {
  it('ends at its next step once a burst of events has reached a timeline', async () => {
    const looked: string[] = []
    vi.stubGlobal('OffscreenCanvas', class {
      getContext() {
        const context = {
          font: '',
          measureText: () => { looked.push(context.font); return { width: 0 } },
          fillText: () => {},
        }
        return context
      }
    })
    const idle: Array<() => void> = []
    vi.stubGlobal('requestIdleCallback', (callback: () => void) => idle.push(callback))

    const timeline = new Timeline()
    mountInDocument(TimelinePanel, {
      props: { timeline, protocol: 'ws', view: reactive(createViewState()), sessionName: 'flood', endpoint: 'ws://localhost:8080/flood' },
    })
    expect(idle).toHaveLength(1)
    // The first step (the formats) runs before the flood and queues the next.
    idle.shift()!()
    expect(idle).toHaveLength(1)

    // A flood's first update: more than a tick's burst threshold (64) of events since the last one.
    for (let i = 0; i < 200; i++) {
      const data = `frame ${i}`
      timeline.append({ time: i, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data, size: data.length } satisfies DraftEvent)
    }
    await nextFrame()
    await nextFrame()

    // The step left runs and ends the warm-up: no rows written for it, no face looked up, nothing queued.
    idle.shift()!()
    expect(idle).toHaveLength(0)
    expect(looked).toEqual([])
  })
})

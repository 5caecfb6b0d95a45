// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useLatestDiagnosis } from '../../src/composables/useLatestDiagnosis'
import { diagnose, diagnosisText } from '../../src/protocol/diagnose'
import type { DraftEvent } from '../../src/protocol/types'
import { DiagnosisTracker, failureIdentity, type LatestDiagnosis } from '../../src/timeline/diagnosisTracker'
import { Timeline } from '../../src/timeline/timeline'

/*
 * The banner's scan of a long timeline (an imported session, a tab switched back to) is read in time slices
 * (issue 11): the result must be the one the tracker gives when it reads every event at once.
 */

let clock = 0
const at = (draft: Omit<DraftEvent, 'time'>) => ({ time: 1_700_000_000_000 + clock++, ...draft }) as DraftEvent
const REFUSED = diagnose({ protocol: 'ws', url: 'ws://127.0.0.1:1234/', everOpened: false, error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' } })
const connecting = (attempt: number) => at({ layer: 'lifecycle', kind: 'connecting', dir: 'local', attempt, detail: { url: 'ws://127.0.0.1:1234/', protocols: [] } })
const refused = () => at({ layer: 'lifecycle', kind: 'error', dir: 'local', explain: diagnosisText(REFUSED, 'explanation'), detail: { diagnosis: REFUSED, message: 'connect ECONNREFUSED' } })
const closed = (code: number) => at({ layer: 'lifecycle', kind: 'close', dir: 'in', code, reason: 'bye', detail: { wasClean: code !== 1006, byUser: false, closedBy: 'server' } })
const open = () => at({ layer: 'lifecycle', kind: 'open', dir: 'in', detail: { handshakeMs: 3, protocol: '', extensions: '' } })
const frame = (i: number) => at({ layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 4, data: `f${i}` })

/** A long session: runs that fail, reconnect, open and close, with thousands of frames between lifecycle events. */
function longSession(runs: number, framesBetween: number, end: 'failure' | 'success'): Timeline {
  const timeline = new Timeline({ maxEvents: 10_000_000 })
  let n = 0
  for (let run = 0; run < runs; run++) {
    timeline.append(connecting(0))
    for (let attempt = 1; attempt <= 3; attempt++) {
      timeline.append(refused())
      timeline.append(closed(1006))
      timeline.append(connecting(attempt))
    }
    timeline.append(open())
    for (let i = 0; i < framesBetween; i++) timeline.append(frame(n++))
    timeline.append(closed(4000 + run))
  }
  if (end === 'failure') {
    timeline.append(connecting(1))
    timeline.append(refused())
    timeline.append(refused())
  }
  else {
    timeline.append(connecting(0))
    timeline.append(open())
  }
  return timeline
}

/** What the tracker says after reading every event in one go: the banner's answer before slicing. */
function atOnce(timeline: Timeline): LatestDiagnosis | undefined {
  const tracker = new DiagnosisTracker()
  for (let i = 0; i < timeline.length; i++) tracker.observe(timeline.get(i)!)
  return tracker.latest
}

function run(timeline: Timeline, sliceMs?: number) {
  const scope = effectScope()
  const tick = shallowRef(0)
  const result = scope.run(() => useLatestDiagnosis(timeline, { tick, ...(sliceMs === undefined ? {} : { sliceMs }) }))!
  return { ...result, tick, scope }
}

/** Until the scan caught up (it goes on in tasks of its own). */
async function settled(check: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !check(); i++) await new Promise(resolve => setTimeout(resolve, 0))
}

const summary = (d: LatestDiagnosis | undefined) => d && { seq: d.event.seq, identity: failureIdentity(d), repeats: d.repeats, close: d.close?.seq, gaveUp: d.gaveUp?.seq }

describe('useLatestDiagnosis: a long timeline read in slices', { timeout: 30_000 }, () => {
  it('gives the diagnosis the tracker gives reading everything at once, after showing nothing part-way', async () => {
    const timeline = longSession(20, 3_000, 'failure')
    const expected = atOnce(timeline)
    expect(expected?.repeats).toBe(2)
    // The scan reads by `objectAt` (a compact frame is skipped without being made an object).
    const get = vi.spyOn(timeline, 'objectAt')
    // A budget of 0 ms: the first slice stops at its first look at the clock (1,024 events).
    const { latest, diagnosis, scope } = run(timeline, 0)
    expect(get.mock.calls.length).toBeLessThan(timeline.length / 10)
    // Part-way, the tracker holds a failure a later event answers: the banner shows nothing until it caught up.
    expect(latest.value).toBeUndefined()
    await settled(() => latest.value !== undefined)
    expect(summary(latest.value)).toEqual(summary(expected))
    expect(diagnosis.value?.event.seq).toBe(expected!.event.seq)
    // Every event read once.
    expect(new Set(get.mock.calls.map(([i]) => i)).size).toBe(timeline.length)
    scope.stop()
  }, 30_000)

  it('a session that ends connected shows nothing, as before', async () => {
    const timeline = longSession(20, 3_000, 'success')
    expect(atOnce(timeline)).toBeUndefined()
    const { latest, scope } = run(timeline, 0)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(latest.value).toBeUndefined()
    scope.stop()
  })

  it('events appended while it reads are read too, and a tick in between neither restarts nor skips', async () => {
    const timeline = longSession(10, 5_000, 'success')
    const { latest, tick, scope } = run(timeline, 0)
    timeline.append(connecting(1))
    timeline.append(refused())
    tick.value++
    await nextTick()
    for (let i = 0; i < 3_000; i++) timeline.append(frame(i))
    tick.value++
    await settled(() => latest.value !== undefined)
    expect(summary(latest.value)).toEqual(summary(atOnce(timeline)))
    scope.stop()
  })

  it('a second banner on the same timeline (a tab switched back to) goes on from where the first stopped', async () => {
    const timeline = longSession(10, 5_000, 'failure')
    const first = run(timeline)
    await settled(() => first.latest.value !== undefined)
    first.scope.stop()
    timeline.append(frame(0))
    const expected = summary(atOnce(timeline))
    const get = vi.spyOn(timeline, 'get')
    const second = run(timeline)
    // Nothing read again: only a frame arrived since.
    expect(get.mock.calls.length).toBe(0)
    expect(summary(second.latest.value)).toEqual(expected)
    second.scope.stop()
  })

  it('a cleared timeline starts over', async () => {
    const timeline = longSession(5, 3_000, 'failure')
    const { latest, tick, scope } = run(timeline, 0)
    await settled(() => latest.value !== undefined)
    timeline.clear()
    tick.value++
    await nextTick()
    expect(latest.value).toBeUndefined()
    timeline.append(connecting(0))
    timeline.append(refused())
    tick.value++
    await nextTick()
    expect(latest.value?.event.kind).toBe('error')
    expect(latest.value?.repeats).toBe(1)
    scope.stop()
  })
})

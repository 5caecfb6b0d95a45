// @vitest-environment node
import type { ConnectionState } from '@/protocol/types'
import { describe, expect, it } from 'vitest'
import { describeReloadLoss, reloadLoss } from '@/components/session/reloadLoss'

function session(state: ConnectionState, events: number, readOnly = false) {
  return { state, readOnly, timeline: { length: events } as never }
}

describe('what a reload would lose', () => {
  it('counts live connections and the events recorded here, not an imported timeline', () => {
    const loss = reloadLoss([
      session('open', 152), session('reconnecting', 3), session('connecting', 0), session('closed', 40),
      session('idle', 0), session('idle', 9_000, true),
    ])
    expect(loss).toEqual({ connections: 3, events: 195 })
  })

  it('says it in one sentence, or nothing when nothing is lost', () => {
    expect(describeReloadLoss({ connections: 1, events: 1_234 }))
      .toBe('Reloading closes 1 connection and discards 1,234 recorded events. Export a timeline first to keep it.')
    expect(describeReloadLoss({ connections: 2, events: 0 })).toBe('Reloading closes 2 connections.')
    expect(describeReloadLoss({ connections: 0, events: 1 })).toBe('Reloading discards 1 recorded event. Export a timeline first to keep it.')
    expect(describeReloadLoss({ connections: 0, events: 0 })).toBeUndefined()
  })
})

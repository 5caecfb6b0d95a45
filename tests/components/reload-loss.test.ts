// @vitest-environment node
import type { ConnectionState } from '@/protocol/types'
import { describe, expect, it } from 'vitest'
import { describeReloadLoss, reloadLoss } from '@/components/session/reloadLoss'
import { setLocale } from '@/i18n'

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

  it('says it in the UI\'s language at the time of asking', () => {
    setLocale('ko', false)
    try {
      expect(describeReloadLoss({ connections: 1, events: 1_234 }))
        .toBe('새로 고침하면 연결 1개가 닫히고 기록된 이벤트 1,234개가 사라집니다. 남기려면 먼저 타임라인을 내보내세요.')
      expect(describeReloadLoss({ connections: 2, events: 0 })).toBe('새로 고침하면 연결 2개가 닫힙니다.')
    }
    finally {
      setLocale('en', false)
    }
    expect(describeReloadLoss({ connections: 2, events: 0 })).toBe('Reloading closes 2 connections.')
  })
})

import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '../../src/protocol/types'
import { previewIsDelay, previewOf } from '../../src/timeline/payload'

const attempt = { seq: 1, time: 1, layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt: 2, delayMs: 1499.6 } as TimelineEvent

describe('previewIsDelay', () => {
  it('is true when a reconnect\'s delay is all the preview has to show, whatever the words', () => {
    expect(previewIsDelay(attempt)).toBe(true)
    expect(previewOf(attempt)).toBe('in 1500 ms')
  })

  it('is false when the event has anything else to show: a reason, a close code, a payload', () => {
    expect(previewIsDelay({ ...attempt, reason: 'transport close' })).toBe(false)
    expect(previewIsDelay({ ...attempt, code: 1006 })).toBe(false)
    expect(previewIsDelay({ ...attempt, data: 'in 1500 ms' })).toBe(false)
    expect(previewIsDelay({ ...attempt, delayMs: undefined })).toBe(false)
  })
})

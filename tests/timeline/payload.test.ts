import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '../../src/protocol/types'
import { event } from '../support/events'
import { argsOf, previewOf, searchableText } from '../../src/timeline/payload'

/**
 * An application event whose `detail` is missing: the union says every app event has one, but an event that reached
 * the timeline some other way (a driver's slip, a hand-built fixture, an older file) must not throw in a render.
 */
function withoutDetail(): TimelineEvent {
  const e = event('app', 'event', { seq: 1, time: 0, name: 'bare' })
  delete (e as { detail?: unknown }).detail
  return e
}

describe('argsOf', () => {
  it('reads the arguments of an app event', () => {
    expect(argsOf(event('app', 'event', { seq: 1, time: 0, name: 'x', detail: { args: [1, 'a'] } }))).toEqual([1, 'a'])
  })

  it('gives nothing, instead of throwing, for an app event without detail', () => {
    const e = withoutDetail()
    expect(() => argsOf(e)).not.toThrow()
    expect(argsOf(e)).toBeUndefined()
    expect(() => previewOf(e)).not.toThrow()
    expect(() => searchableText(e)).not.toThrow()
  })
})

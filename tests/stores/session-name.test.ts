import { afterEach, describe, expect, it } from 'vitest'
import { createSession } from '../../src/stores/session'
import { currentLocale, setLocale } from '../../src/i18n'

describe('a new session\'s name', () => {
  const before = currentLocale()
  afterEach(() => setLocale(before, false))

  it('is "Session N" in English', () => {
    setLocale('en', false)
    expect(createSession().name).toMatch(/^Session \d+$/)
  })

  it('is Korean in Korean', () => {
    setLocale('ko', false)
    expect(createSession().name).toMatch(/^세션 \d+$/)
  })

  it('is the given name when there is one', () => {
    setLocale('ko', false)
    expect(createSession({ name: 'capture.ndjson' }).name).toBe('capture.ndjson')
  })
})

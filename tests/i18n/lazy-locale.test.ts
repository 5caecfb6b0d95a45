import { describe, expect, it } from 'vitest'
import { currentLocale, i18n, isLocaleLoaded, loadLocale, setLocale } from '../../src/i18n'
import ko from '../../src/i18n/messages/ko'

/**
 * The Korean words are a chunk loaded on first use (src/i18n `loadLocale`); English is in the bundle. The tests run in
 * order on one fresh module: Korean is not loaded when the first one starts.
 */
describe('languages loaded on first use', () => {
  it('starts with English alone, and a language picked while another loads wins', async () => {
    expect(i18n.global.availableLocales).toEqual(['en'])
    expect(isLocaleLoaded('ko')).toBe(false)
    const korean = setLocale('ko', false)
    // Not switched before its words are there: nothing would read in Korean yet.
    expect(currentLocale()).toBe('en')
    await setLocale('en', false)
    await korean
    expect(isLocaleLoaded('ko')).toBe(true)
    expect(currentLocale()).toBe('en')
  })

  it('loads a catalogue once, and then switches to it at once', async () => {
    expect(loadLocale('ko')).toBe(loadLocale('ko'))
    await loadLocale('ko')
    void setLocale('ko', false)
    expect(currentLocale()).toBe('ko')
    expect(i18n.global.t('session.settings.title')).toBe(ko.session.settings.title)
    await setLocale('en', false)
    expect(i18n.global.t('session.settings.title')).toBe('Settings')
  })
})

import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import SettingsMenu from '../../src/components/session/SettingsMenu.vue'
import { currentLocale, i18n } from '../../src/i18n'
import { useSessionsStore } from '../../src/stores/sessions'
import { useSettingsStore } from '../../src/stores/settings'

describe('SettingsMenu', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('applies a new event cap to the timelines already open, dropping the oldest', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: 'ws://localhost:8080' })
    for (let i = 0; i < 10; i++) session.timeline.append({ time: i, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: `m${i}`, size: 2 })
    mount(SettingsMenu)
    useSettingsStore().maxEvents = 4
    await nextTick()
    expect(session.timeline.length).toBe(4)
    expect(session.timeline.dropped).toBe(6)
    expect(session.timeline.get(0)?.data).toBe('m6')
    // New sessions start with the new cap, and the settings outlive a reload.
    expect(sessions.add().timeline.maxEvents).toBe(4)
    expect(JSON.parse(localStorage.getItem('socketlens.settings.v1')!)).toMatchObject({ maxEvents: 4 })
  })

  it('ignores a cap that is not a positive number (a half-typed field)', async () => {
    const session = useSessionsStore().add()
    session.timeline.append({ time: 0, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: '', size: 0 })
    mount(SettingsMenu)
    useSettingsStore().maxEvents = 0
    await nextTick()
    expect(session.timeline.maxEvents).toBe(1_000_000)
    expect(session.timeline.length).toBe(1)
    expect(useSessionsStore().add().timeline.maxEvents).toBe(1_000_000)
  })

  describe('language', () => {
    /** The select inside the label that reads "Language" (its accessible name), in whatever language is shown. */
    function languageSelect(wrapper: ReturnType<typeof mount>, name: string) {
      const label = wrapper.findAll('label').find(l => l.element.firstChild?.textContent?.trim() === name)
      expect(label, `a label named ${name}`).toBeDefined()
      return label!.get('select')
    }

    it('lists each language in its own words, whatever the current one', async () => {
      const wrapper = mount(SettingsMenu)
      const select = languageSelect(wrapper, 'Language')
      const options = select.findAll('option')
      expect(options.map(o => [o.attributes('value'), o.text(), o.attributes('lang')]))
        .toEqual([['en', 'English', 'en'], ['ko', '한국어', 'ko']])
      expect((select.element as HTMLSelectElement).value).toBe('en')
    })

    it('switches every word at once, sets <html lang> and remembers the choice', async () => {
      const wrapper = mount(SettingsMenu)
      expect(wrapper.get('summary').text()).toBe('Settings')
      await languageSelect(wrapper, 'Language').setValue('ko')
      expect(currentLocale()).toBe('ko')
      expect(document.documentElement.lang).toBe('ko')
      expect(localStorage.getItem('socketlens.locale')).toBe('ko')
      expect(useSettingsStore().locale).toBe('ko')
      expect(wrapper.get('summary').text()).toBe('설정')
      expect(wrapper.get('p').text()).toBe(i18n.global.t('session.settings.capsNote'))
      expect(wrapper.get('p').text()).toMatch(/[가-힣]/)
      // The switch is found again under its Korean name, and still shows English as "English".
      const select = languageSelect(wrapper, '언어')
      expect(select.findAll('option').map(o => o.text())).toEqual(['English', '한국어'])
      expect((select.element as HTMLSelectElement).value).toBe('ko')

      await select.setValue('en')
      expect(currentLocale()).toBe('en')
      expect(document.documentElement.lang).toBe('en')
      expect(localStorage.getItem('socketlens.locale')).toBe('en')
      expect(wrapper.get('summary').text()).toBe('Settings')
    })

    it('follows a switch made elsewhere (the store is the one locale)', async () => {
      const wrapper = mount(SettingsMenu)
      useSettingsStore().locale = 'ko'
      await nextTick()
      expect(wrapper.get('summary').text()).toBe('설정')
      expect((languageSelect(wrapper, '언어').element as HTMLSelectElement).value).toBe('ko')
    })
  })
})

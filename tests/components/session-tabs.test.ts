import 'fake-indexeddb/auto'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import SessionTabs from '../../src/components/session/SessionTabs.vue'
import { setLocale } from '../../src/i18n'
import { useSessionsStore } from '../../src/stores/sessions'

describe('SessionTabs', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
  })

  // The tab shows the endpoint; its close button used to be named after the session's internal name
  // ("Close Session 1"), which no tab on screen shows.
  it('names each close button after the tab a person sees', () => {
    const sessions = useSessionsStore()
    sessions.add({ url: 'ws://localhost:8080/ticker', type: 'ws' })
    sessions.add({ url: 'http://localhost:3000', type: 'socketio' })
    sessions.add({ url: 'not a url', type: 'ws', name: 'Scratch' })
    const wrapper = mount(SessionTabs)
    expect(wrapper.findAll('[role="tab"]').map(tab => tab.text())).toEqual(['localhost:8080/ticker', 'localhost:3000', 'Scratch'])
    expect(wrapper.findAll('button.close').map(button => button.attributes('aria-label')))
      .toEqual(['Close localhost:8080/ticker', 'Close localhost:3000', 'Close Scratch'])
  })

  it('speaks Korean: the tab list, each close button and the new-session button', () => {
    setLocale('ko', false)
    const sessions = useSessionsStore()
    sessions.add({ url: 'ws://localhost:8080/ticker', type: 'ws' })
    const wrapper = mount(SessionTabs)
    expect(wrapper.get('nav').attributes('aria-label')).toBe('세션')
    expect(wrapper.get('button.close').attributes('aria-label')).toBe('localhost:8080/ticker 닫기')
    const add = wrapper.findAll('button').at(-1)!
    expect([add.attributes('aria-label'), add.attributes('title')]).toEqual(['새 세션', '새 세션'])
  })
})

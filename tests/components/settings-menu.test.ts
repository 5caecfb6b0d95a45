import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import SettingsMenu from '../../src/components/session/SettingsMenu.vue'
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
    for (let i = 0; i < 10; i++) session.timeline.append({ time: i, layer: 'wire', kind: 'frame', dir: 'in', data: `m${i}`, size: 2 })
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
    session.timeline.append({ time: 0, layer: 'wire', kind: 'frame', dir: 'in' })
    mount(SettingsMenu)
    useSettingsStore().maxEvents = 0
    await nextTick()
    expect(session.timeline.maxEvents).toBe(1_000_000)
    expect(session.timeline.length).toBe(1)
    expect(useSessionsStore().add().timeline.maxEvents).toBe(1_000_000)
  })
})

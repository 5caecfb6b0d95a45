import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import ConnectionBar from '../../src/components/connection/ConnectionBar.vue'
import { useSessionsStore } from '../../src/stores/sessions'

describe('ConnectionBar', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
  })

  function mountBar(url = 'ws://localhost:8080') {
    const sessions = useSessionsStore()
    const session = sessions.add({ url, type: 'ws' })
    const wrapper = mount(ConnectionBar, { props: { session } })
    return { wrapper, session }
  }

  it('exposes the contract names: Endpoint URL and Connect', () => {
    const { wrapper } = mountBar()
    expect(wrapper.get('input[aria-label="Endpoint URL"]').element).toBeInstanceOf(HTMLInputElement)
    expect(wrapper.get('button[type="submit"]').text()).toBe('Connect')
  })

  it('picks the protocol from the scheme as the person types', async () => {
    const { wrapper, session } = mountBar()
    await wrapper.get('input[aria-label="Endpoint URL"]').setValue('http://localhost:3000/admin')
    expect(session.type).toBe('socketio')
    expect((wrapper.get('select[aria-label="Protocol"]').element as HTMLSelectElement).value).toBe('socketio')
    await wrapper.get('input[aria-label="Endpoint URL"]').setValue('wss://example.com')
    expect(session.type).toBe('ws')
  })

  it('explains a malformed URL next to the field and stays usable', async () => {
    const { wrapper, session } = mountBar('ftp://example.com')
    await wrapper.get('form').trigger('submit')
    await new Promise(resolve => setTimeout(resolve, 0))
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toBe('"ftp:" is not a scheme SocketLens can open. Use ws://, wss://, http:// or https://.')
    expect(session.state).toBe('closed')
    expect(wrapper.get('input[aria-label="Endpoint URL"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('button[type="submit"]').text()).toBe('Connect')
  })

  it('shows Disconnect while a connection is open or being made', async () => {
    const { wrapper, session } = mountBar()
    session.state = 'open'
    await wrapper.vm.$nextTick()
    expect(wrapper.get('button[type="submit"]').text()).toBe('Disconnect')
    expect(wrapper.get('input[aria-label="Endpoint URL"]').attributes('readonly')).toBeDefined()
    session.state = 'reconnecting'
    await wrapper.vm.$nextTick()
    expect(wrapper.get('button[type="submit"]').text()).toBe('Disconnect')
  })
})

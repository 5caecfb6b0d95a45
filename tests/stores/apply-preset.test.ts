import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useSessionsStore } from '../../src/stores/sessions'
import { createSession } from '../../src/stores/session'
import type { Preset } from '../../src/stores/libraryDb'

const preset = (): Preset => {
  const from = createSession({ url: 'http://localhost:3000/admin', type: 'socketio' })
  return { id: 'p1', name: 'admin', url: from.url, type: from.type, ws: { ...from.ws }, sio: { ...from.sio, path: '/realtime/io', transports: ['websocket'] }, updatedAt: 0 }
}

describe('applying a preset is a sessions store action', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sets the endpoint and the settings', () => {
    const target = createSession()
    useSessionsStore().applyPreset(target, preset())
    expect(target).toMatchObject({ url: 'http://localhost:3000/admin', type: 'socketio' })
    expect(target.sio).toMatchObject({ path: '/realtime/io', transports: ['websocket'] })
  })

  it('leaves a read-only (imported) session as it was', () => {
    const target = createSession({ url: 'ws://recorded/', readOnly: true })
    useSessionsStore().applyPreset(target, preset())
    expect(target.url).toBe('ws://recorded/')
    expect(target.type).toBe('ws')
  })
})

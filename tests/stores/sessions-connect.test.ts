import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useSessionsStore } from '../../src/stores/sessions'
import { closedPort } from '../support/ports'

describe('sessions store: Connect while a driver is being built', () => {
  let store: ReturnType<typeof useSessionsStore>
  beforeEach(() => {
    setActivePinia(createPinia())
    store = useSessionsStore()
  })
  afterEach(() => {
    for (const session of [...store.sessions]) store.close(session.id)
  })

  function connectingEvents(session: ReturnType<typeof store.add>): number {
    return [...session.timeline.iterate()].filter(e => e.layer === 'lifecycle' && e.kind === 'connecting').length
  }

  // Building a Socket.IO driver awaits the client's chunk: a double click on Connect used to build and connect
  // two drivers into one timeline (every frame twice), and Disconnect then closed only the second.
  it('connects once when Connect is pressed twice before the driver is built', async () => {
    const session = store.add({ url: `http://127.0.0.1:${await closedPort()}`, type: 'socketio' })
    session.sio.reconnection = false
    await Promise.all([store.connect(session), store.connect(session)])
    expect(connectingEvents(session)).toBe(1)
  })

  it('does not connect when Disconnect comes before the driver is built', async () => {
    const session = store.add({ url: `http://127.0.0.1:${await closedPort()}`, type: 'socketio' })
    session.sio.reconnection = false
    const connecting = store.connect(session)
    store.disconnect(session)
    await connecting
    expect(connectingEvents(session)).toBe(0)
    expect(session.driver).toBeUndefined()
  })

  it('does not connect a tab closed before its driver is built', async () => {
    const session = store.add({ url: `http://127.0.0.1:${await closedPort()}`, type: 'socketio' })
    const connecting = store.connect(session)
    store.close(session.id)
    await connecting
    expect(connectingEvents(session)).toBe(0)
    expect(session.driver).toBeUndefined()
  })
})

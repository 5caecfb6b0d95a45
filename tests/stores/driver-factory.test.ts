// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import type { Driver } from '../../src/protocol/types'
import { createDriver } from '../../src/stores/driverFactory'
import { createSession } from '../../src/stores/session'
import { Recorder, isKind } from '../support/recorder'
import { closeLoopbackServers, socketIoServer } from '../support/servers'

const drivers: Driver[] = []

afterEach(async () => {
  for (const driver of drivers.splice(0)) driver.dispose()
  await closeLoopbackServers()
})

describe('createDriver: Socket.IO number fields as the form leaves them', () => {
  // An emptied number input gives v-model.number an empty string, and a number input takes -1 as readily as 20000.
  // socket.io-client took them as they were: a '' or -1 connect timeout failed every handshake at once.
  it.each([
    ['emptied', ''],
    ['negative', -1],
    ['beyond a timer', 1e308],
  ])('keeps the defaults for %s fields and connects', async (_what, value) => {
    const { url } = await socketIoServer()
    const session = createSession({ url, type: 'socketio' })
    const sio = session.sio as unknown as Record<string, unknown>
    for (const field of ['timeout', 'reconnectionAttempts', 'reconnectionDelay', 'reconnectionDelayMax', 'randomizationFactor', 'ackTimeout', 'retries'])
      sio[field] = value
    const rec = new Recorder()
    const built = await createDriver(session, rec.onState)
    if (!built.ok) throw new Error(JSON.stringify(built.error))
    drivers.push(built.driver)
    // The sink goes to the session's timeline; follow the states, which end at open or at a failure.
    built.driver.connect()
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const errors = [...session.timeline.iterate()].filter(isKind('lifecycle', 'connect_error'))
        if (errors.length > 0) {
          clearInterval(timer)
          reject(new Error(`connect_error: ${errors.map(e => e.reason).join(', ')}`))
        }
        else if (rec.states.includes('open')) {
          clearInterval(timer)
          resolve()
        }
      }, 10)
    })
    expect(rec.states).toEqual(['connecting', 'open'])
  })
})

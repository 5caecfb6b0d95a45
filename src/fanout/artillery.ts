/**
 * A fan-out setup as the input of "Export as Artillery test" (src/artillery/types.ts): what one client of the fan-out
 * does becomes what one virtual user does — connect with the same options, join the (first) room with the rooms
 * panel's join event, send the message once in the room's shape. The phases start from the fan-out's ramp: N clients
 * at R a second is R arrivals a second for N / R seconds. Untagged: the tag names one run of this page.
 */
import type { ArtilleryInput, SocketIoConnection } from '@/artillery/types'
import type { FanoutSettings } from './run'
import { roomMessageArgs } from '@/sending/roomMessage'
import { messageValue } from './run'

export function fanoutArtilleryInput(settings: FanoutSettings, url: string, message: string, connection: Omit<SocketIoConnection, 'url'> = {}): ArtilleryInput {
  const arrivalRate = Math.max(1, Math.round(settings.rampPerSecond) || 1)
  const phases = { durationS: Math.max(1, Math.ceil(settings.clients / arrivalRate)), arrivalRate }
  const title = settings.rooms[0] !== undefined ? `${settings.clients} × ${settings.rooms[0]}` : `${settings.clients}`
  if (settings.type === 'ws')
    return { protocol: 'ws', source: 'fanout', title, phases, connection: { url }, steps: [{ kind: 'frame', at: 0, data: message }] }
  let namespace = '/'
  try {
    namespace = new URL(url).pathname.replace(/\/+$/, '') || '/'
  }
  catch { /* the generator reports a bad URL */ }
  const room = settings.rooms[0]
  const steps: Extract<ArtilleryInput, { protocol: 'socketio' }>['steps'] = []
  if (room !== undefined) {
    const payload = settings.joinPayload === 'object' ? { room } : room
    steps.push({ kind: 'emit', at: 0, namespace, name: settings.joinEvent, args: [payload], ack: true })
  }
  steps.push({ kind: 'emit', at: 0, namespace, name: settings.sendEvent, args: roomMessageArgs(settings, room, messageValue(message)), ack: false })
  return { protocol: 'socketio', source: 'fanout', title, phases, connection: { ...connection, url }, steps }
}

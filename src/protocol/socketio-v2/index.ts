/**
 * What the app needs to offer and load the Socket.IO v2 driver. Nothing here imports socket.io-client 2: it is only
 * fetched by `loadSocketIoV2Driver()` (a dynamic import, so Vite puts the v2 client in a chunk of its own).
 */
import type { DiagnosisId } from '../diagnose'
import type { TimelineEvent } from '../types'
import { diagnosisIdOf } from '../events'
import type { createSocketIoV2Driver } from './driver'

export type { SocketIoDriver, SocketIoDriverOptions } from './driver'

/** The Socket.IO client a session speaks with. */
export type SocketIoVersion = 'v4' | 'v2'

/** The client version setting: one forced, or 'auto' (v4 first, v2 on an Engine.IO 3 answer). */
export type SocketIoClientChoice = 'auto' | SocketIoVersion

/** The diagnosis a v4 session gives for a Socket.IO v2 server (diagnose.ts). */
export const SOCKETIO_V2_DIAGNOSIS = 'socketio-v2-server' satisfies DiagnosisId

/** Loads the v2 driver on demand. */
export async function loadSocketIoV2Driver(): Promise<typeof createSocketIoV2Driver> {
  const driver = await import('./driver')
  return driver.createSocketIoV2Driver
}

type FailureEvent = Pick<TimelineEvent, 'layer' | 'kind' | 'detail'>

/** An Engine.IO 4 server refusing an Engine.IO 3 client: HTTP 400 `{"code":5,"message":"Unsupported protocol version"}`. */
const UNSUPPORTED_PROTOCOL = /"code"\s*:\s*5\b/

/**
 * The other client to offer after a failure, if the failure says the server speaks the other version:
 * 'v2' when a v4 session met a Socket.IO v2 server (diagnosis `socketio-v2-server`), 'v4' when a v2 session met a
 * v3/v4 server (its polling handshake refused with Engine.IO error code 5). Looks at lifecycle events only.
 */
export function suggestedSocketIoClient(event: FailureEvent, current: SocketIoVersion): SocketIoVersion | undefined {
  if (event.layer !== 'lifecycle' || !event.detail) return undefined
  const { httpStatus, httpBody } = event.detail
  if (current === 'v4' && diagnosisIdOf(event.detail) === SOCKETIO_V2_DIAGNOSIS) return 'v2'
  if (current === 'v2' && httpStatus === 400 && typeof httpBody === 'string' && UNSUPPORTED_PROTOCOL.test(httpBody)) return 'v4'
  return undefined
}

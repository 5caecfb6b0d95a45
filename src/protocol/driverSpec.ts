/**
 * What a driver is built from, as plain data: a session's settings after the form's checks (stores/driverFactory.ts),
 * before any socket exists. Being data (no functions, no class instances), a spec crosses a `postMessage`, so the same
 * driver can be built on the page or in the driver Worker (./worker/), by the same `buildDriver`.
 */
import type { Driver, DriverHooks, Sink } from './types'
import type { AutoChoices, AutoDriverSetup, DriverBuilder } from './socketio-core/auto'
import type { ParserModule, SocketIoDriverOptions } from './socketio-core/types'
import type { WebSocketDriverOptions } from './websocket/driver'
import { createAutoSocketIoDriver } from './socketio-core/auto'
import { loadSocketIoV2Driver } from './socketio-v2'
import { createWebSocketDriver } from './websocket/driver'

/** The options of either driver that are data; the functions (`localNetworkPermission`, `onOffer`) come from `DriverEnv`. */
export type DriverSpec =
  | { type: 'ws', options: Omit<WebSocketDriverOptions, 'WebSocket' | 'random' | 'probe' | 'localNetworkPermission'> }
  | { type: 'socketio', setup: { version: AutoDriverSetup['version'], options: Omit<SocketIoDriverOptions, 'onOffer' | 'parserModule' | 'localNetworkPermission'> }, auto: AutoChoices }

/** What the place a driver runs in gives it: the page's local-network permission, read when a failure is diagnosed. */
export interface DriverEnv {
  localNetworkPermission?: () => 'granted' | 'denied' | 'prompt' | undefined
}

/**
 * Build the driver a spec describes. The Socket.IO drivers (socket.io-client 4, or 2 for Engine.IO 3 servers) load on
 * first use, so a raw WebSocket session does not pay for them.
 */
export async function buildDriver(spec: DriverSpec, sink: Sink, hooks: DriverHooks, env: DriverEnv = {}): Promise<Driver> {
  const { localNetworkPermission } = env
  if (spec.type === 'ws') return createWebSocketDriver({ ...spec.options, localNetworkPermission }, sink, hooks)
  return createAutoSocketIoDriver(
    { version: spec.setup.version, options: { ...spec.setup.options, localNetworkPermission } },
    spec.auto,
    buildSocketIoDriver,
    sink,
    hooks,
  )
}

/**
 * One Socket.IO driver, v4 or v2, each loaded on first use; the msgpack parser (socket.io-msgpack-parser) too, only
 * when chosen: a dynamic import, so Vite gives it a chunk of its own.
 */
export const buildSocketIoDriver: DriverBuilder = async ({ version, options }, sink, hooks) => {
  if (version === 'v2') return (await loadSocketIoV2Driver())(options, sink, hooks)
  const { createSocketIoDriver } = await import('./socketio/driver')
  const parserModule = options.parser === 'msgpack' ? await loadMsgpackParser() : undefined
  return createSocketIoDriver({ ...options, parserModule }, sink, hooks)
}

async function loadMsgpackParser(): Promise<ParserModule> {
  // Its typings say encode() returns one ArrayBuffer; it returns an array of one, as socket.io-client expects.
  const loaded = await import('socket.io-msgpack-parser') as unknown as ParserModule & { default?: ParserModule }
  // A CommonJS module: its exports arrive as the default export in the browser bundle, as named ones in Node.
  return loaded.default?.Encoder ? loaded.default : loaded
}

/**
 * The connection forms' defaults, apart from session.ts so that what needs only them (the library's worker, through
 * savedSettings.ts) does not load Vue and the language catalogues with the session model.
 */
import type { SocketIoSettings, WebSocketSettings } from './session'
import { DEFAULT_RECONNECT_POLICY } from '@/protocol/websocket/reconnect'

/** The connection form's defaults for a raw WebSocket. */
export function defaultWebSocketSettings(): WebSocketSettings {
  return {
    protocols: '',
    reconnect: true,
    reconnectAfterCleanClose: DEFAULT_RECONNECT_POLICY.afterCleanClose,
    stableMs: DEFAULT_RECONNECT_POLICY.stableMs,
    initialDelayMs: DEFAULT_RECONNECT_POLICY.initialDelayMs,
    maxDelayMs: DEFAULT_RECONNECT_POLICY.maxDelayMs,
    maxAttempts: DEFAULT_RECONNECT_POLICY.maxAttempts,
    jitter: DEFAULT_RECONNECT_POLICY.jitter,
    connectTimeoutMs: 10_000,
    closeTimeoutMs: 3000,
  }
}

/** The connection form's defaults for Socket.IO (socket.io-client's own defaults, stated). */
export function defaultSocketIoSettings(): SocketIoSettings {
  return {
    version: 'auto',
    parser: 'default',
    autoParser: true,
    autoPath: true,
    autoTransports: true,
    stableMs: DEFAULT_RECONNECT_POLICY.stableMs,
    path: '/socket.io',
    auth: '',
    query: '',
    extraHeaders: '',
    transports: ['polling', 'websocket'],
    upgrade: true,
    tryAllTransports: false,
    withCredentials: false,
    timeout: 20_000,
    reconnection: true,
    reconnectionAttempts: 10,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    ackTimeout: 10_000,
    retries: 0,
  }
}

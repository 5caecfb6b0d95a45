/**
 * A fan-out's limits, in a module of their own: the store and the setup form read them with the app, while the run
 * (run.ts) loads only when a fan-out first starts.
 */
export const MAX_CLIENTS = 500
/**
 * WebSockets Chromium opens at once in one page (measured with Chromium 156: `npx tsx bench/fanout.ts --limit`): the
 * 256th and later clients get no connection and keep reconnecting. Other tabs of the app hold their own.
 */
export const CHROMIUM_WEBSOCKETS_PER_PAGE = 255

/** A client count as the run takes it: a whole number from 1 to MAX_CLIENTS. */
export function clampClients(n: number): number {
  return Number.isFinite(n) ? Math.min(MAX_CLIENTS, Math.max(1, Math.floor(n))) : 1
}

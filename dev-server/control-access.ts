/**
 * Who may drive the fault controls (issue 11, item 5). Any web page the user visits can send requests to a loopback
 * port, so the control API and the `__control` namespace obey only the inspector:
 *
 * - **origin**: a browser request must come from an allowed origin (the inspector `npm start` serves, plus
 *   `--control-origin`); a request without `Origin` is not from a page's script (curl, Node, tests) and is let through
 *   to the token check. Never `*`, never a reflected arbitrary origin.
 * - **token**: a random per-start secret (`Authorization: Bearer <token>`, or `auth: { token }` for `__control`).
 *   `npm start` makes it, hands it to the dev server in its environment and serves it to the inspector same-origin only
 *   (`/__socketlens/dev-server.json`, see inspector-endpoint.ts); a page elsewhere cannot read it.
 * - **Host** (HTTP API): only `localhost`, `127.0.0.1`, `[::1]` and the configured host, with the control port, so
 *   that a DNS-rebound name (evil.example resolving to 127.0.0.1) is refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Bytes of randomness in a generated token (base64url: 43 characters). */
export const CONTROL_TOKEN_BYTES = 32
/** A token given from outside must be at least this long. */
export const MIN_CONTROL_TOKEN_LENGTH = 16

export function generateControlToken(): string {
  return randomBytes(CONTROL_TOKEN_BYTES).toString('base64url')
}

/** Compares in constant time (digests of equal length), so the answer time tells nothing about the token. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given === '') return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(expected), digest(given))
}

/** `http://localhost:5173/` → `http://localhost:5173`; throws a readable error for anything that is not an http(s) origin. */
export function normalizeOrigin(raw: string): string {
  const text = raw.trim()
  if (text === '*' || text === 'null') throw new Error(`the control API never accepts the origin "${text}": name the inspector's origin, e.g. http://localhost:5173`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`"${text}" is not an origin (expected e.g. http://localhost:5173)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${text}" is not an http(s) origin`)
  return url.origin
}

/**
 * The origins of an inspector URL: itself and, when it is on loopback, the same port under the other loopback names
 * (the same server, whichever name the browser was given).
 */
export function inspectorOrigins(inspectorUrl: string): string[] {
  const origin = normalizeOrigin(inspectorUrl)
  const url = new URL(origin)
  const loopback = ['localhost', '127.0.0.1', '[::1]']
  if (!loopback.includes(url.hostname)) return [origin]
  return loopback.map((name) => `${url.protocol}//${name}${url.port ? `:${url.port}` : ''}`)
}

export interface ControlAccess {
  token: string
  /** Exact origins (scheme://host:port) a browser may call from. */
  origins: readonly string[]
}

/** `undefined` when the request may go on, else why not. A missing Origin is a non-browser client. */
export function originRefusal(access: ControlAccess, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined
  if (access.origins.includes(origin)) return undefined
  return 'this origin may not use the dev server\'s controls: only the inspector that npm start serves (and --control-origin) may'
}

/** Whether a `Host` header names this control server: a loopback name or the configured host, with its port. */
export function hostAllowed(host: string | undefined, port: number, names: readonly string[]): boolean {
  if (!host) return false
  const h = host.trim().toLowerCase()
  return names.some((name) => h === `${name.toLowerCase()}:${port}`)
}

/** The token from `Authorization: Bearer <token>` or `X-SocketLens-Token: <token>`. */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    if (match) return match[1]
  }
  const header = headers['x-socketlens-token']
  return typeof header === 'string' ? header.trim() : undefined
}

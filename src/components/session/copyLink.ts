/**
 * The deep link of a session (the contract in docs/architecture.md, read back by src/composables/useDeepLink.ts):
 * `/?url=<endpoint>&type=ws|socketio&connect=1`, plus what the link can carry: Socket.IO `path` (when not the
 * default), `client` (when one is forced), `parser` (msgpack), `transports` (when not the default) and `auth`;
 * WebSocket `protocols`.
 *
 * Secrets stay out unless asked for: the Socket.IO `auth` payload, a user and password in the URL, and query
 * parameters whose names say they hold one (token, key, secret, password, …). What was left out is listed, so the
 * person knows why the link is shorter than the URL they typed.
 */
import { defaultSocketIoSettings, type Session } from '@/stores/session'

/** Transports a new session allows; a link names them only when the session allows others. */
const DEFAULT_TRANSPORTS = defaultSocketIoSettings().transports.join(',')

/** Query parameter names that usually carry a credential. */
const SECRET_PARAM = /token|secret|passw|pwd|api[-_]?key|^key$|auth|signature|^sig$|session|jwt|credential|bearer/i

export type LeftOut = { kind: 'userinfo' } | { kind: 'auth' } | { kind: 'param', name: string }

export interface SessionLink {
  href: string
  /** What the link would carry with secrets included, and does not. */
  leftOut: LeftOut[]
}

/** The endpoint without a user, password or secret-looking query parameters (unless `secrets`). */
function shareableUrl(raw: string, secrets: boolean, leftOut: LeftOut[]): string {
  const text = raw.trim()
  if (secrets) return text
  let url: URL
  try {
    url = new URL(text)
  }
  catch {
    return text
  }
  let changed = false
  if (url.username || url.password) {
    url.username = ''
    url.password = ''
    leftOut.push({ kind: 'userinfo' })
    changed = true
  }
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (!SECRET_PARAM.test(name)) continue
    url.searchParams.delete(name)
    leftOut.push({ kind: 'param', name })
    changed = true
  }
  // Keep the URL as typed when nothing was taken out (URL would add a trailing slash to `http://host:3000`).
  return changed ? url.toString() : text
}

/** The deep link that opens `session` again and connects, on the app at `base` (its origin and path). */
export function sessionLink(session: Pick<Session, 'url' | 'type' | 'ws' | 'sio'>, base: string, options: { secrets?: boolean } = {}): SessionLink {
  const secrets = options.secrets ?? false
  const leftOut: LeftOut[] = []
  const params = new URLSearchParams()
  params.set('url', shareableUrl(session.url, secrets, leftOut))
  params.set('type', session.type)
  if (session.type === 'socketio') {
    const path = session.sio.path.trim()
    if (path && path !== '/socket.io' && path !== '/socket.io/') params.set('path', path)
    if (session.sio.version === 'v2' || session.sio.version === 'v4') params.set('client', session.sio.version)
    if (session.sio.parser === 'msgpack') params.set('parser', 'msgpack')
    const transports = session.sio.transports
    if (transports.join(',') !== DEFAULT_TRANSPORTS) params.set('transports', transports.join(','))
    const auth = session.sio.auth.trim()
    if (auth) {
      if (secrets) params.set('auth', auth)
      else leftOut.push({ kind: 'auth' })
    }
  }
  else {
    const protocols = session.ws.protocols.trim()
    if (protocols) params.set('protocols', protocols)
  }
  params.set('connect', '1')
  const at = new URL(base)
  return { href: `${at.origin}${at.pathname}?${params.toString()}`, leftOut }
}

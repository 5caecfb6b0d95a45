import type { ProtocolType } from './types'
import { message, type MessageRef } from './message'

export interface Endpoint {
  /** Normalized URL, as handed to the driver. */
  url: string
  type: ProtocolType
  /** Socket.IO: the namespace taken from the URL path (`/` by default). */
  namespace: string
}

/** `error`: what is wrong, as a message (`protocol.endpoint.*`). */
export type EndpointResult = { ok: true, endpoint: Endpoint } | { ok: false, error: MessageRef }

const WS_SCHEMES = new Set(['ws:', 'wss:'])
const HTTP_SCHEMES = new Set(['http:', 'https:'])

/** `ws:`/`wss:` → WebSocket, `http:`/`https:` → Socket.IO (the deep-link contract). */
export function defaultTypeFor(url: string): ProtocolType | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase()
  if (scheme === 'ws' || scheme === 'wss') return 'ws'
  if (scheme === 'http' || scheme === 'https') return 'socketio'
  return undefined
}

/**
 * Validate what a person typed into "Endpoint URL" and say in words what is wrong with it.
 * A Socket.IO endpoint may be given with a ws(s) scheme and a WebSocket one with http(s): both are mapped,
 * since that is what a person means.
 */
export function parseEndpoint(input: string, type?: ProtocolType): EndpointResult {
  const text = input.trim()
  if (text === '') return { ok: false, error: message('protocol.endpoint.empty') }
  if (/\s/.test(text)) return { ok: false, error: message('protocol.endpoint.space') }
  // "ws//host", "ws:/host", "https:///host": a scheme with its colon or a slash missing (or one too many) would
  // otherwise be read as a host named "ws", or refused as an unknown scheme.
  const mistyped = /^(wss?|https?)(?::(?!\d)\/?|\/\/|:\/{3,})(?!\/)(.+)$/i.exec(text)
  if (mistyped && !/^[a-z]+:\/\/[^/]/i.test(text))
    return { ok: false, error: message('protocol.endpoint.mistyped', { url: `${mistyped[1]!.toLowerCase()}://${mistyped[2]}` }) }
  let withScheme = text
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text))
      return { ok: false, error: message('protocol.endpoint.scheme', { scheme: `${text.split(':')[0]}:` }) }
    // "localhost:8080" → assume the type's plain scheme.
    withScheme = `${type === 'socketio' ? 'http' : 'ws'}://${text}`
  }
  let url: URL
  try {
    url = new URL(withScheme)
  }
  catch {
    return { ok: false, error: message('protocol.endpoint.invalid', { text }) }
  }
  const resolvedType = type ?? defaultTypeFor(url.href)
  if (!WS_SCHEMES.has(url.protocol) && !HTTP_SCHEMES.has(url.protocol))
    return { ok: false, error: message('protocol.endpoint.scheme', { scheme: url.protocol }) }
  if (!url.hostname) return { ok: false, error: message('protocol.endpoint.noHost') }
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535))
    return { ok: false, error: message('protocol.endpoint.port', { port: url.port }) }
  if (resolvedType === 'ws') {
    if (url.protocol === 'http:') url.protocol = 'ws:'
    else if (url.protocol === 'https:') url.protocol = 'wss:'
    if (url.hash) url.hash = '' // fragments are not allowed in WebSocket URLs (WHATWG WebSockets §3.1)
    return { ok: true, endpoint: { url: url.href, type: 'ws', namespace: '/' } }
  }
  if (url.protocol === 'ws:') url.protocol = 'http:'
  else if (url.protocol === 'wss:') url.protocol = 'https:'
  // A URL copied from DevTools' network panel (`…/socket.io/?EIO=4&transport=websocket&sid=…`) is the Engine.IO
  // endpoint, not a namespace: keep the server, drop the engine's own path and parameters.
  if (/^\/socket\.io\/?$/.test(url.pathname)) {
    url.pathname = '/'
    for (const param of ['EIO', 'transport', 'sid', 't', 'b64']) url.searchParams.delete(param)
  }
  const namespace = decodeURIComponent(url.pathname) || '/'
  return { ok: true, endpoint: { url: url.href, type: 'socketio', namespace } }
}

/** True for the hosts a secure page may still reach over ws:// or http:// (secure contexts spec). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** A page served over https cannot open ws:// or http:// to a non-loopback host (mixed content). */
export function isMixedContent(endpointUrl: string, pageUrl: string | undefined): boolean {
  if (!pageUrl) return false
  try {
    const page = new URL(pageUrl)
    const target = new URL(endpointUrl)
    return page.protocol === 'https:' && (target.protocol === 'ws:' || target.protocol === 'http:') && !isLoopbackHost(target.hostname)
  }
  catch {
    return false
  }
}

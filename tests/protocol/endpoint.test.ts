import { describe, expect, it } from 'vitest'
import { defaultTypeFor, isLoopbackHost, isMixedContent, parseEndpoint } from '../../src/protocol/endpoint'
import { inEnglish } from '../../src/i18n'

/** The error in English, or the result when it is none. */
function errorOf(result: ReturnType<typeof parseEndpoint>): unknown {
  return result.ok ? result : inEnglish(result.error)
}

describe('parseEndpoint', () => {
  it('keeps ws:// and wss:// URLs as WebSocket endpoints', () => {
    expect(parseEndpoint('ws://localhost:8080')).toEqual({ ok: true, endpoint: { url: 'ws://localhost:8080/', type: 'ws', namespace: '/' } })
    expect(parseEndpoint(' wss://example.com/feed?x=1 ')).toMatchObject({ ok: true, endpoint: { url: 'wss://example.com/feed?x=1', type: 'ws' } })
  })

  it('reads the Socket.IO namespace from the path', () => {
    expect(parseEndpoint('http://localhost:3000/admin')).toEqual({ ok: true, endpoint: { url: 'http://localhost:3000/admin', type: 'socketio', namespace: '/admin' } })
    expect(parseEndpoint('https://example.com')).toMatchObject({ ok: true, endpoint: { namespace: '/' } })
  })

  it('takes a URL copied from DevTools for the server, not a /socket.io namespace', () => {
    expect(parseEndpoint('ws://localhost:3000/socket.io/?EIO=4&transport=websocket&sid=abc', 'socketio'))
      .toEqual({ ok: true, endpoint: { url: 'http://localhost:3000/', type: 'socketio', namespace: '/' } })
    expect(parseEndpoint('https://example.com/socket.io/?EIO=4&transport=polling&t=Pq1&token=x'))
      .toEqual({ ok: true, endpoint: { url: 'https://example.com/?token=x', type: 'socketio', namespace: '/' } })
    // As a raw WebSocket it stays exactly what was typed: the Engine.IO frames are then shown raw.
    expect(parseEndpoint('ws://localhost:3000/socket.io/?EIO=4&transport=websocket'))
      .toMatchObject({ ok: true, endpoint: { url: 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket', type: 'ws' } })
  })

  it('maps the scheme to the chosen type', () => {
    expect(parseEndpoint('ws://localhost:3000/chat', 'socketio')).toMatchObject({ ok: true, endpoint: { url: 'http://localhost:3000/chat', namespace: '/chat' } })
    expect(parseEndpoint('https://echo.example', 'ws')).toMatchObject({ ok: true, endpoint: { url: 'wss://echo.example/' } })
  })

  it('adds the scheme a person left out', () => {
    expect(parseEndpoint('localhost:8080')).toMatchObject({ ok: true, endpoint: { url: 'ws://localhost:8080/' } })
    expect(parseEndpoint('localhost:3000', 'socketio')).toMatchObject({ ok: true, endpoint: { url: 'http://localhost:3000/' } })
  })

  it('says what a mistyped scheme was meant to be, instead of taking it for a host name', () => {
    expect(errorOf(parseEndpoint('ws//nope'))).toBe('The scheme is mistyped: did you mean ws://nope?')
    expect(errorOf(parseEndpoint('ws:/localhost:8080'))).toBe('The scheme is mistyped: did you mean ws://localhost:8080?')
    expect(errorOf(parseEndpoint('https:///example.com', 'socketio'))).toBe('The scheme is mistyped: did you mean https://example.com?')
    expect(errorOf(parseEndpoint('WSS//host/feed'))).toBe('The scheme is mistyped: did you mean wss://host/feed?')
    // A host that merely starts with those letters is a host; so is one named "ws" with a port.
    expect(parseEndpoint('ws:8080')).toMatchObject({ ok: true, endpoint: { url: 'ws://ws:8080/' } })
    expect(parseEndpoint('wss.example.com:443')).toMatchObject({ ok: true, endpoint: { url: 'ws://wss.example.com:443/' } })
  })

  it('drops a fragment, which WebSocket URLs may not carry', () => {
    expect(parseEndpoint('ws://localhost:8080/#x')).toMatchObject({ ok: true, endpoint: { url: 'ws://localhost:8080/' } })
  })

  it.each([
    ['', /Enter an endpoint URL/],
    ['   ', /Enter an endpoint URL/],
    ['ws://local host', /contains a space/],
    ['ftp://example.com', /"ftp:" is not a scheme/],
    ['mailto:someone', /"mailto:" is not a scheme/],
    ['ws://', /not a valid URL/],
    ['ws://localhost:99999', /not a valid URL|out of range/],
  ])('explains what is wrong with %j', (input, message) => {
    const result = parseEndpoint(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(inEnglish(result.error)).toMatch(message)
  })
})

describe('defaultTypeFor', () => {
  it('follows the deep-link rule', () => {
    expect(defaultTypeFor('ws://a')).toBe('ws')
    expect(defaultTypeFor('WSS://a')).toBe('ws')
    expect(defaultTypeFor('http://a')).toBe('socketio')
    expect(defaultTypeFor('https://a')).toBe('socketio')
    expect(defaultTypeFor('a:b')).toBeUndefined()
  })
})

describe('mixed content', () => {
  it('knows the loopback hosts a secure page may still reach', () => {
    for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['example.com', '10.0.0.1', 'localhost.example.com']) expect(isLoopbackHost(host)).toBe(false)
  })

  it('flags ws:// and http:// to other hosts from an https page only', () => {
    expect(isMixedContent('ws://example.com/', 'https://app.example/')).toBe(true)
    expect(isMixedContent('http://example.com/', 'https://app.example/')).toBe(true)
    expect(isMixedContent('wss://example.com/', 'https://app.example/')).toBe(false)
    expect(isMixedContent('ws://localhost:8080/', 'https://app.example/')).toBe(false)
    expect(isMixedContent('ws://example.com/', 'http://localhost:5173/')).toBe(false)
    expect(isMixedContent('ws://example.com/', undefined)).toBe(false)
  })
})

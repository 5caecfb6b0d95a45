import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { reasonMessage, reasonText } from '../../src/protocol/localReasons'
import { currentLocale, inEnglish, loadLocale, setLocale } from '../../src/i18n'
import { event } from '../support/events'
import { previewOf, searchableText } from '../../src/timeline/payload'

// Korean is a chunk of its own in the app (src/i18n): loaded first, setLocale('ko') switches at once.
beforeAll(() => loadLocale('ko'))

/** Every reason SocketLens writes itself, as the drivers write it. */
const OWN = [
  'invalid URL', 'long-polling refused: WebSocket only', 'could not load the client', 'extraHeaders reach polling only',
  'no WebTransport in Socket.IO v2', 'no retries in Socket.IO v2', 'auth sent as query parameters',
  'volatile event dropped: the transport was not writable',
  'queued: with retries, one packet is in flight at a time until the server acknowledges it',
  'queued behind a packet whose binary attachments are still being read',
  'the server speaks Engine.IO 3 (Socket.IO v2)',
  'the server speaks Engine.IO 4 (Socket.IO v3/v4): it refused the Engine.IO 3 handshake with code 5',
  'probe', 'not connected: sent when /admin connects', 'Socket.IO server found at path /realtime/io',
  'connecting with the Socket.IO v2 client', 'connecting with the msgpack parser',
  'a handshake arrived, then the transport closed without connect or connect_error: a parser mismatch (this session used the default parser)',
  'parse error: Unexpected token',
]

describe('reasons SocketLens writes on its own events', () => {
  const before = currentLocale()
  afterEach(() => setLocale(before, false))

  it.each(OWN)('"%s" is a message whose English is the phrase itself', (reason) => {
    const ref = reasonMessage(reason)
    expect(ref?.key).toMatch(/^protocol\.reason\./)
    expect(inEnglish(ref!)).toBe(reason)
  })

  it('protocol words and server text are not messages', () => {
    for (const reason of ['transport close', 'ping timeout', 'io client disconnect', 'io server disconnect', 'bye'])
      expect(reasonMessage(reason)).toBeUndefined()
  })

  it('reads in Korean on a local event, in the row and the search text; a server\'s close reason stays as sent', () => {
    setLocale('ko', false)
    const local = event('lifecycle', 'connect_error', { seq: 1, time: 0, dir: 'local', reason: 'invalid URL' })
    expect(reasonText(local)).toBe('잘못된 URL')
    expect(previewOf(local)).toContain('잘못된 URL')
    expect(searchableText(local)).toContain('invalid URL')
    expect(searchableText(local)).toContain('잘못된 URL')
    const buffered = event('app', 'buffered', { seq: 2, time: 0, name: 'x', namespace: '/admin', reason: 'not connected: sent when /admin connects' })
    expect(reasonText(buffered)).toBe('연결되지 않음: /admin에 연결되면 보냄')
    const closed = event('lifecycle', 'close', { seq: 3, time: 0, dir: 'in', code: 4000, reason: 'invalid URL' })
    expect(reasonText(closed)).toBe('invalid URL')
  })
})

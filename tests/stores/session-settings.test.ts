// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { inEnglish } from '../../src/i18n'
import { parseJsonObject, parseSubprotocols } from '../../src/stores/session'
import { parseAckReply } from '../../src/stores/socketIoSession'

describe('parseJsonObject', () => {
  it('treats empty as not set', () => {
    expect(parseJsonObject('  ', 'auth')).toEqual({ ok: true, value: undefined })
  })

  it('accepts any JSON object', () => {
    expect(parseJsonObject('{"token":"abc","n":{"deep":[1]}}', 'auth')).toEqual({ ok: true, value: { token: 'abc', n: { deep: [1] } } })
  })

  it('names the field and the problem', () => {
    const bad = parseJsonObject('{token: abc}', 'auth')
    expect(bad).toMatchObject({ ok: false, error: { key: 'connection.errors.notJson', params: { field: { key: 'connection.fields.auth' } } } })
    expect(!bad.ok && inEnglish(bad.error)).toMatch(/^Auth is not valid JSON: ./)
    const notObject = parseJsonObject('[1]', 'query')
    expect(notObject).toEqual({ ok: false, error: { key: 'connection.errors.notJsonObject', params: { field: { key: 'connection.fields.query' } } } })
    expect(!notObject.ok && inEnglish(notObject.error)).toBe('Query must be a JSON object, like {"token": "abc"}.')
    expect(parseJsonObject('"x"', 'auth')).toMatchObject({ ok: false })
  })
})

describe('parseSubprotocols', () => {
  it('splits on commas', () => {
    expect(parseSubprotocols('chat.v1, chat.v2')).toEqual({ ok: true, value: ['chat.v1', 'chat.v2'] })
    expect(parseSubprotocols('')).toEqual({ ok: true, value: [] })
  })

  it('rejects a subprotocol with a space, and duplicates', () => {
    const bad = parseSubprotocols('chat v1')
    expect(bad).toEqual({ ok: false, error: { key: 'connection.errors.badSubprotocol', params: { protocol: 'chat v1' } } })
    expect(!bad.ok && inEnglish(bad.error)).toBe('Subprotocol "chat v1" is not a valid token: no spaces, commas or quotes.')
    expect(parseSubprotocols('a, a')).toEqual({ ok: false, error: { key: 'connection.errors.subprotocolTwice' } })
  })
})

describe('parseAckReply', () => {
  it('takes a JSON array as the arguments, and any other JSON value as the one argument', () => {
    expect(parseAckReply('["ok", 1]')).toEqual({ ok: true, value: ['ok', 1] })
    expect(parseAckReply('{"done":true}')).toEqual({ ok: true, value: [{ done: true }] })
    expect(parseAckReply('  ')).toEqual({ ok: true, value: [] })
  })

  it('explains text that is not JSON', () => {
    expect(parseAckReply('ok')).toMatchObject({ ok: false, error: { key: 'socketio.errors.ackReplyNotJson', params: { detail: expect.any(String) } } })
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { parseJsonObject, parseSubprotocols } from '../../src/stores/session'
import { parseAckReply } from '../../src/stores/socketIoSession'

describe('parseJsonObject', () => {
  it('treats empty as not set', () => {
    expect(parseJsonObject('  ', 'Auth')).toEqual({ ok: true, value: undefined })
  })

  it('accepts any JSON object', () => {
    expect(parseJsonObject('{"token":"abc","n":{"deep":[1]}}', 'Auth')).toEqual({ ok: true, value: { token: 'abc', n: { deep: [1] } } })
  })

  it('names the field and the problem', () => {
    expect(parseJsonObject('{token: abc}', 'Auth')).toMatchObject({ ok: false, error: expect.stringMatching(/^Auth is not valid JSON/) })
    expect(parseJsonObject('[1]', 'Query')).toEqual({ ok: false, error: 'Query must be a JSON object, like {"token": "abc"}.' })
    expect(parseJsonObject('"x"', 'Auth')).toMatchObject({ ok: false })
  })
})

describe('parseSubprotocols', () => {
  it('splits on commas', () => {
    expect(parseSubprotocols('chat.v1, chat.v2')).toEqual({ ok: true, value: ['chat.v1', 'chat.v2'] })
    expect(parseSubprotocols('')).toEqual({ ok: true, value: [] })
  })

  it('rejects a subprotocol with a space, and duplicates', () => {
    expect(parseSubprotocols('chat v1')).toEqual({ ok: false, error: 'Subprotocol "chat v1" is not a valid token: no spaces, commas or quotes.' })
    expect(parseSubprotocols('a, a')).toMatchObject({ ok: false })
  })
})

describe('parseAckReply', () => {
  it('takes a JSON array as the arguments, and any other JSON value as the one argument', () => {
    expect(parseAckReply('["ok", 1]')).toEqual({ ok: true, value: ['ok', 1] })
    expect(parseAckReply('{"done":true}')).toEqual({ ok: true, value: [{ done: true }] })
    expect(parseAckReply('  ')).toEqual({ ok: true, value: [] })
  })

  it('explains text that is not JSON', () => {
    expect(parseAckReply('ok')).toMatchObject({ ok: false, error: expect.stringMatching(/^The ack reply is not valid JSON/) })
  })
})

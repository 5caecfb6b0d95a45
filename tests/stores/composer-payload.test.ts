// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { inEnglish } from '../../src/i18n'
import { ackPreview, composedMessage, parseArgument, parseArguments, parseBinary, parseFramePayload } from '../../src/stores/composerPayload'
import { createSession } from '../../src/stores/session'

describe('parseArgument (Socket.IO composer)', () => {
  it('sends text that parses as JSON as that JSON value', () => {
    expect(parseArgument({ text: '{"room":"a","message":"hi"}', type: 'auto' })).toEqual({ ok: true, value: { room: 'a', message: 'hi' } })
    expect(parseArgument({ text: '[1,2]', type: 'auto' })).toEqual({ ok: true, value: [1, 2] })
    expect(parseArgument({ text: '42', type: 'auto' })).toEqual({ ok: true, value: 42 })
    expect(parseArgument({ text: 'true', type: 'auto' })).toEqual({ ok: true, value: true })
    expect(parseArgument({ text: 'null', type: 'auto' })).toEqual({ ok: true, value: null })
  })

  it('sends anything else as a string', () => {
    expect(parseArgument({ text: 'hello world', type: 'auto' })).toEqual({ ok: true, value: 'hello world' })
    expect(parseArgument({ text: '{not json', type: 'auto' })).toEqual({ ok: true, value: '{not json' })
    expect(parseArgument({ text: '', type: 'auto' })).toEqual({ ok: true, value: '' })
  })

  it('keeps JSON-looking text a string when the type says so', () => {
    expect(parseArgument({ text: '{"a":1}', type: 'string' })).toEqual({ ok: true, value: '{"a":1}' })
    expect(parseArgument({ text: '42', type: 'string' })).toEqual({ ok: true, value: '42' })
  })

  it('checks forced types', () => {
    expect(parseArgument({ text: ' 3.5 ', type: 'number' })).toEqual({ ok: true, value: 3.5 })
    expect(parseArgument({ text: 'abc', type: 'number' })).toEqual({ ok: false, error: { key: 'composer.errors.notNumber', params: { text: 'abc' } } })
    expect(parseArgument({ text: 'FALSE', type: 'boolean' })).toEqual({ ok: true, value: false })
    expect(parseArgument({ text: 'yes', type: 'boolean' })).toMatchObject({ ok: false })
    expect(parseArgument({ text: 'anything', type: 'null' })).toEqual({ ok: true, value: null })
  })

  it('names the argument that is wrong', () => {
    const wrong = parseArguments([{ text: '1', type: 'number' }, { text: 'x', type: 'number' }])
    expect(wrong).toEqual({ ok: false, error: { key: 'composer.errors.inArgument', params: { n: 2, problem: { key: 'composer.errors.notNumber', params: { text: 'x' } } } } })
    expect(!wrong.ok && inEnglish(wrong.error)).toBe('Argument 2: "x" is not a number.')
    expect(parseArguments([{ text: 'a', type: 'auto' }, { text: '{"b":2}', type: 'auto' }])).toEqual({ ok: true, value: ['a', { b: 2 }] })
  })
})

describe('parseBinary', () => {
  it('reads hex in the usual spellings', () => {
    expect(parseBinary('48 65 6c 6c 6f')).toEqual({ ok: true, value: new Uint8Array([0x48, 0x65, 0x6C, 0x6C, 0x6F]) })
    expect(parseBinary('0x00,0xff')).toEqual({ ok: true, value: new Uint8Array([0, 255]) })
    expect(parseBinary('DEADbeef')).toEqual({ ok: true, value: new Uint8Array([0xDE, 0xAD, 0xBE, 0xEF]) })
  })

  it('reads base64', () => {
    expect(parseBinary('base64:SGVsbG8=')).toEqual({ ok: true, value: new TextEncoder().encode('Hello') })
  })

  it('explains bad input', () => {
    expect(parseBinary('abc')).toEqual({ ok: false, error: { key: 'composer.errors.oddHex' } })
    expect(parseBinary('zz')).toEqual({ ok: false, error: { key: 'composer.errors.notHex' } })
    expect(parseBinary('base64:@@@')).toEqual({ ok: false, error: { key: 'composer.errors.badBase64' } })
  })
})

describe('parseFramePayload (raw WebSocket composer)', () => {
  it('validates JSON and sends it compact', () => {
    expect(parseFramePayload('{ "a": [1, 2] }', 'json')).toEqual({ ok: true, kind: 'text', text: '{"a":[1,2]}' })
    expect(parseFramePayload('{oops', 'json')).toMatchObject({ ok: false, error: { key: 'composer.errors.notJson', params: { detail: expect.any(String) } } })
  })

  it('sends text as typed and binary as bytes', () => {
    expect(parseFramePayload('  hi  ', 'text')).toEqual({ ok: true, kind: 'text', text: '  hi  ' })
    expect(parseFramePayload('01 02', 'binary')).toEqual({ ok: true, kind: 'binary', data: new Uint8Array([1, 2]) })
  })
})

describe('composedMessage', () => {
  it('makes a raw frame, or names what is wrong with the draft', () => {
    const { composer } = createSession()
    composer.message = '01 ff'
    composer.format = 'binary'
    expect(composedMessage('ws', composer)).toEqual({ ok: true, message: { kind: 'binary', data: new Uint8Array([1, 255]) } })
    composer.message = '1'
    expect(composedMessage('ws', composer)).toEqual({ ok: false, error: { key: 'composer.errors.oddHex' } })
  })

  it('makes a Socket.IO event with its arguments, ack and namespace', () => {
    const { composer } = createSession()
    Object.assign(composer, { eventName: ' chat ', message: '{"a":1}', extraArgs: [{ text: '2', type: 'number' }], expectAck: true, ackTimeoutMs: 500, namespace: '/admin' })
    expect(composedMessage('socketio', composer)).toEqual({
      ok: true,
      message: { kind: 'event', name: 'chat', args: [{ a: 1 }, 2], ack: true, timeoutMs: 500, volatile: false, compress: true, namespace: '/admin' },
    })
    composer.eventName = '  '
    expect(composedMessage('socketio', composer)).toEqual({ ok: false, error: { key: 'composer.errors.noEventName' } })
  })
})

describe('ackPreview', () => {
  it('writes any depth without recursion, binary as its size, and stops at its budget', () => {
    let deep: unknown = 0
    for (let i = 0; i < 20_000; i++) deep = [deep]
    const text = ackPreview(deep)
    expect(text.length).toBeLessThan(2100)
    expect(text.endsWith('…')).toBe(true)
    expect(ackPreview([new Uint8Array(3), 'ok'])).toBe('["<binary 3 bytes>","ok"]')
  })
})

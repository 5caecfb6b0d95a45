// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { parseArgument, parseArguments, parseBinary, parseFramePayload } from '../../src/components/composer/arguments'

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
    expect(parseArgument({ text: 'abc', type: 'number' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a number/) })
    expect(parseArgument({ text: 'FALSE', type: 'boolean' })).toEqual({ ok: true, value: false })
    expect(parseArgument({ text: 'yes', type: 'boolean' })).toMatchObject({ ok: false })
    expect(parseArgument({ text: 'anything', type: 'null' })).toEqual({ ok: true, value: null })
  })

  it('names the argument that is wrong', () => {
    expect(parseArguments([{ text: '1', type: 'number' }, { text: 'x', type: 'number' }])).toEqual({ ok: false, error: 'Argument 2: "x" is not a number.' })
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
    expect(parseBinary('abc')).toMatchObject({ ok: false, error: expect.stringMatching(/pairs/) })
    expect(parseBinary('zz')).toMatchObject({ ok: false, error: expect.stringMatching(/hex bytes/) })
    expect(parseBinary('base64:@@@')).toMatchObject({ ok: false, error: expect.stringMatching(/base64/) })
  })
})

describe('parseFramePayload (raw WebSocket composer)', () => {
  it('validates JSON and sends it compact', () => {
    expect(parseFramePayload('{ "a": [1, 2] }', 'json')).toEqual({ ok: true, kind: 'text', text: '{"a":[1,2]}' })
    expect(parseFramePayload('{oops', 'json')).toMatchObject({ ok: false, error: expect.stringMatching(/Not valid JSON/) })
  })

  it('sends text as typed and binary as bytes', () => {
    expect(parseFramePayload('  hi  ', 'text')).toEqual({ ok: true, kind: 'text', text: '  hi  ' })
    expect(parseFramePayload('01 02', 'binary')).toEqual({ ok: true, kind: 'binary', data: new Uint8Array([1, 2]) })
  })
})

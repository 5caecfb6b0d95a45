// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { inEnglish } from '../../src/i18n'
import { ackPreview, composedMessage, fileTooBig, findJsonProblem, formatJson, jsonProblem, MAX_BINARY_BYTES, parseArgument, parseArguments, parseBinary, parseFramePayload, sendsNoArguments } from '../../src/stores/composerPayload'
import { AttachedFile, createSession } from '../../src/stores/session'

describe('parseArgument (Socket.IO composer)', () => {
  it('sends text that parses as JSON as that JSON value', () => {
    expect(parseArgument({ text: '{"room":"a","message":"hi"}', type: 'auto' })).toEqual({ ok: true, value: { room: 'a', message: 'hi' } })
    expect(parseArgument({ text: '[1,2]', type: 'auto' })).toEqual({ ok: true, value: [1, 2] })
    expect(parseArgument({ text: '42', type: 'auto' })).toEqual({ ok: true, value: 42 })
    expect(parseArgument({ text: 'true', type: 'auto' })).toEqual({ ok: true, value: true })
    expect(parseArgument({ text: 'null', type: 'auto' })).toEqual({ ok: true, value: null })
  })

  it('sends other text as a string, but never text that looks like JSON and does not parse', () => {
    expect(parseArgument({ text: 'hello world', type: 'auto' })).toEqual({ ok: true, value: 'hello world' })
    expect(parseArgument({ text: '42 apples', type: 'auto' })).toEqual({ ok: true, value: '42 apples' })
    for (const text of ['{not json', '[1, 2', '"unclosed', '  {"a": 1,}']) {
      const parsed = parseArgument({ text, type: 'auto' })
      expect(parsed, text).toMatchObject({ ok: false, error: { key: 'composer.errors.looksLikeJson' } })
    }
    const refused = parseArgument({ text: '{"room": lobby}', type: 'auto' })
    expect(!refused.ok && inEnglish(refused.error)).toBe('Not sent: this looks like JSON but is not valid (Not valid JSON at line 1, column 10: unexpected "l".). To send it as text, choose the type String.')
    expect(parseArgument({ text: '{not json', type: 'string' })).toEqual({ ok: true, value: '{not json' })
  })

  it('refuses an empty argument unless its type says what empty means', () => {
    expect(parseArgument({ text: '', type: 'auto' })).toEqual({ ok: false, error: { key: 'composer.errors.emptyArgument' } })
    expect(parseArgument({ text: '  ', type: 'json' })).toEqual({ ok: false, error: { key: 'composer.errors.emptyJson' } })
    expect(parseArgument({ text: '', type: 'string' })).toEqual({ ok: true, value: '' })
    expect(parseArgument({ text: '', type: 'null' })).toEqual({ ok: true, value: null })
    expect(parseArgument({ text: '', type: 'binary' })).toEqual({ ok: false, error: { key: 'composer.errors.emptyBinary' } })
  })

  it('requires valid JSON for the type JSON, and says where it stops', () => {
    expect(parseArgument({ text: '\n  {"a": [1, {"b": null}]}\n', type: 'json' })).toEqual({ ok: true, value: { a: [1, { b: null }] } })
    expect(parseArgument({ text: '"text"', type: 'json' })).toEqual({ ok: true, value: 'text' })
    const bad = parseArgument({ text: '{\n  "a": 1\n  "b": 2\n}', type: 'json' })
    expect(bad).toMatchObject({ ok: false, error: { key: 'composer.errors.badJson', params: { line: 3, column: 3 } } })
    expect(!bad.ok && inEnglish(bad.error)).toBe('Not valid JSON at line 3, column 3: expected "," or "}", found "\\"".')
    expect(parseArgument({ text: 'hello', type: 'json' })).toMatchObject({ ok: false, error: { key: 'composer.errors.badJson' } })
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

  it('reads base64: with the prefix in hex mode, with or without it in base64 mode', () => {
    expect(parseBinary('base64:SGVsbG8=')).toEqual({ ok: true, value: new TextEncoder().encode('Hello') })
    expect(parseBinary('SGVsbG8=', 'base64')).toEqual({ ok: true, value: new TextEncoder().encode('Hello') })
    expect(parseBinary('SGVs\nbG8=', 'base64')).toEqual({ ok: true, value: new TextEncoder().encode('Hello') })
    expect(parseBinary('base64:SGVsbG8=', 'base64')).toEqual({ ok: true, value: new TextEncoder().encode('Hello') })
    // In hex mode, base64 without the prefix is not hex.
    expect(parseBinary('SGVsbG8=')).toEqual({ ok: false, error: { key: 'composer.errors.notHex' } })
    expect(parseBinary('@@@', 'base64')).toEqual({ ok: false, error: { key: 'composer.errors.badBase64' } })
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
    expect(parseFramePayload('{oops', 'json')).toMatchObject({ ok: false, error: { key: 'composer.errors.badJson', params: { line: 1, column: 2 } } })
  })

  it('sends nothing for an empty Message, in every format', () => {
    expect(parseFramePayload('', 'text')).toEqual({ ok: false, error: { key: 'composer.errors.empty' } })
    expect(parseFramePayload(' \n ', 'json')).toEqual({ ok: false, error: { key: 'composer.errors.empty' } })
    expect(parseFramePayload('', 'binary')).toEqual({ ok: false, error: { key: 'composer.errors.emptyBinary' } })
    expect(parseFramePayload('', 'binary', 'base64')).toEqual({ ok: false, error: { key: 'composer.errors.emptyBinary' } })
    expect(parseFramePayload('', 'binary', 'file')).toEqual({ ok: false, error: { key: 'composer.errors.noFile' } })
    // Text that is only spaces is content: someone typed it.
    expect(parseFramePayload('  ', 'text')).toEqual({ ok: true, kind: 'text', text: '  ' })
  })

  it('sends a chosen file as one binary frame, and refuses one over 64 MiB', () => {
    const file = new AttachedFile('a.bin', new Uint8Array([0, 1, 254, 255]))
    expect(parseFramePayload('ignored', 'binary', 'file', file)).toEqual({ ok: true, kind: 'binary', data: new Uint8Array([0, 1, 254, 255]) })
    const huge = new AttachedFile('huge.bin', new Uint8Array(0))
    Object.defineProperty(huge, 'size', { value: MAX_BINARY_BYTES + 1 })
    expect(parseFramePayload('', 'binary', 'file', huge)).toEqual({ ok: false, error: { key: 'composer.errors.fileTooBig', params: { name: 'huge.bin' } } })
    expect(fileTooBig(MAX_BINARY_BYTES)).toBe(false)
    expect(fileTooBig(MAX_BINARY_BYTES + 1)).toBe(true)
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

describe('composedMessage: empty Messages and binary arguments', () => {
  it('an empty Socket.IO Message of type JSON / text means an event with no arguments', () => {
    const { composer } = createSession()
    composer.eventName = 'ping'
    expect(sendsNoArguments(composer)).toBe(true)
    expect(composedMessage('socketio', composer)).toMatchObject({ ok: true, message: { kind: 'event', name: 'ping', args: [] } })
    // Argument 1 cannot be skipped when more follow; an explicit type makes empty mean something.
    composer.extraArgs = [{ text: '2', type: 'number' }]
    expect(sendsNoArguments(composer)).toBe(false)
    expect(composedMessage('socketio', composer)).toMatchObject({ ok: false, error: { key: 'composer.errors.inArgument', params: { n: 1, problem: { key: 'composer.errors.emptyArgument' } } } })
    composer.firstArgType = 'string'
    expect(composedMessage('socketio', composer)).toMatchObject({ ok: true, message: { args: ['', 2] } })
  })

  it('an empty raw WebSocket Message is not sent', () => {
    const { composer } = createSession()
    expect(composedMessage('ws', composer)).toEqual({ ok: false, error: { key: 'composer.errors.empty' } })
  })

  it('binary arguments from hex, base64 or a file', () => {
    const { composer } = createSession()
    Object.assign(composer, { eventName: 'upload', message: 'AAEC', firstArgType: 'binary', binaryInput: 'base64' })
    composer.extraArgs = [
      { text: 'ff 00', type: 'binary' },
      { text: '', type: 'binary', binaryInput: 'file', file: new AttachedFile('x', new Uint8Array([9])) },
      { text: '', type: 'binary', binaryInput: 'file' },
    ]
    expect(composedMessage('socketio', composer)).toEqual({ ok: false, error: { key: 'composer.errors.inArgument', params: { n: 4, problem: { key: 'composer.errors.noFile' } } } })
    composer.extraArgs.pop()
    expect(composedMessage('socketio', composer)).toMatchObject({ ok: true, message: { args: [new Uint8Array([0, 1, 2]), new Uint8Array([255, 0]), new Uint8Array([9])] } })
  })
})

describe('findJsonProblem', () => {
  it('finds nothing in JSON, and a position in everything JSON.parse refuses', () => {
    for (const text of ['0', '-1.5e+3', '"a\\u00e9\\n"', ' [ ] ', '{}', '{"a":{"b":[true,false,null]}}', '[[[[1]]]]'])
      expect(findJsonProblem(text), text).toBeUndefined()
    const bad = ['', '{', '[1,]', '{"a"}', '{"a":}', '{a:1}', '01', '1.', '-', '1e', '"\\x"', '"a\nb"', '[1 2]', '{"a":1 "b":2}', 'nul', 'true false', '"open', '[1]]', '{"a":1,}', "'single'"]
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow()
      const problem = findJsonProblem(text)
      expect(problem, text).toBeDefined()
      expect(problem!.offset).toBeLessThanOrEqual(text.length)
    }
    expect(findJsonProblem('[1,]')).toMatchObject({ offset: 3, line: 1, column: 4, problem: { key: 'composer.json.unexpectedCharacter' } })
    expect(findJsonProblem('{"a":1}  x')).toMatchObject({ offset: 9, problem: { key: 'composer.json.trailingText' } })
    expect(findJsonProblem('{"a":\n[1, 2')).toMatchObject({ offset: 11, line: 2, column: 6, problem: { key: 'composer.json.unexpectedEnd' } })
  })

  it('walks any depth without recursion', () => {
    const deep = '['.repeat(200_000)
    expect(findJsonProblem(deep)).toMatchObject({ offset: 200_000, problem: { key: 'composer.json.unexpectedEnd' } })
    expect(findJsonProblem(`${deep}${']'.repeat(200_000)}`)).toBeUndefined()
  })

  it('flags as the person types: JSON always, auto only when it looks like JSON, never when empty', () => {
    expect(jsonProblem('{"a":', 'json')).toBeDefined()
    expect(jsonProblem('hello', 'json')).toBeDefined()
    expect(jsonProblem('hello', 'auto')).toBeUndefined()
    expect(jsonProblem('  [1,', 'auto')).toMatchObject({ offset: 5 })
    expect(jsonProblem('', 'json')).toBeUndefined()
    expect(jsonProblem('{', 'none')).toBeUndefined()
    // Variables are values Send puts in first: not flagged, and positions after them stay true.
    expect(jsonProblem('{"n": {{counter}}, "id": "{{ uuid }}"}', 'json')).toBeUndefined()
    expect(jsonProblem('[{{counter}}, oops]', 'auto')).toMatchObject({ offset: 14 })
    expect(jsonProblem('[\\{{counter}}]', 'json')).toBeDefined()
  })

  it('formats JSON on demand, and leaves text that is not JSON alone', () => {
    expect(formatJson('{"a":[1,2],"b":{}}')).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}')
    expect(formatJson('{"a":')).toBeUndefined()
  })

  it('keeps {{variables}} as typed wherever they stand: a value, a key, inside a string, next to digits', () => {
    expect(formatJson('{"n":{{counter}},"id":"{{uuid}}-7","{{key}}":[{{now}}5]}'))
      .toBe('{\n  "n": {{counter}},\n  "id": "{{uuid}}-7",\n  "{{key}}": [\n    {{now}}5\n  ]\n}')
    // The text's own digits are never taken for a variable's stand-in.
    expect(formatJson('{"a":1000003000000,"b":{{x}}}')).toBe('{\n  "a": 1000003000000,\n  "b": {{x}}\n}')
    // A literal \{{ is not a variable: it is JSON or not as it stands.
    expect(formatJson('{"a":\\{{x}}}')).toBeUndefined()
    expect(formatJson('{"a": {{x}}, }')).toBeUndefined()
  })
})

describe('a chosen file is never written anywhere', () => {
  it('JSON leaves it out (saved tabs, library snippets)', () => {
    const file = new AttachedFile('secret.bin', new Uint8Array(1000))
    expect(JSON.stringify({ text: '', type: 'binary', binaryInput: 'file', file })).toBe('{"text":"","type":"binary","binaryInput":"file"}')
    expect(file.size).toBe(1000)
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

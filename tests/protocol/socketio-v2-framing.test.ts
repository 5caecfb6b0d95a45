/**
 * Engine.IO 3 polling bodies split into packets, checked against bodies made by the real encoder of that protocol
 * (engine.io-parser 2, the one socket.io-client 2 and socket.io 2 use), not hand-written ones.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { splitEngineIo3BinaryPayload, splitEngineIo3Payload } from '../../src/protocol/socketio-v2/framing'

interface Packet { type: string, data?: unknown }
interface EngineIoParser2 {
  protocol: number
  encodePayload: (packets: Packet[], supportsBinary: boolean, callback: (encoded: string) => void) => void
  encodePayloadAsBinary: (packets: Packet[], callback: (encoded: Buffer) => void) => void
}

// engine.io-parser 2 is a dependency of socket.io-client 2's engine.io-client: load it from there.
const fromClient = createRequire(createRequire(import.meta.url).resolve('socket.io-client-v2/package.json'))
const parser = createRequire(fromClient.resolve('engine.io-client'))('engine.io-parser') as EngineIoParser2

function encodeText(packets: Packet[]): string {
  let body = ''
  parser.encodePayload(packets, false, (encoded) => {
    body = encoded
  })
  return body
}

function encodeBinary(packets: Packet[]): ArrayBuffer {
  let body: Buffer = Buffer.alloc(0)
  parser.encodePayloadAsBinary(packets, (encoded) => {
    body = encoded
  })
  return new Uint8Array(body).buffer
}

describe('Engine.IO 3 polling framing', () => {
  it('is the protocol engine.io-parser 2 speaks', () => {
    expect(parser.protocol).toBe(3)
  })

  it('splits a text body on its length prefixes, counting UTF-16 code units', () => {
    const packets: Packet[] = [
      { type: 'open', data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}' },
      { type: 'message', data: '0' },
      { type: 'message', data: '2["chat","é ✓ 😀"]' },
      { type: 'noop' },
    ]
    const body = encodeText(packets)
    expect(body.startsWith('79:0{"sid"')).toBe(true)
    expect(splitEngineIo3Payload(body)).toEqual([
      '0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}',
      '40',
      '42["chat","é ✓ 😀"]',
      '6',
    ])
  })

  it('keeps a base64 binary packet as its text (polling without XHR2)', () => {
    const body = encodeText([{ type: 'message', data: '51-["b",{"_placeholder":true,"num":0}]' }, { type: 'message', data: Buffer.from([1, 2, 3]) }])
    expect(splitEngineIo3Payload(body)).toEqual(['451-["b",{"_placeholder":true,"num":0}]', 'b4AQID'])
  })

  it('splits a binary body into text packets and binary packets that keep their type byte', () => {
    const body = encodeBinary([
      { type: 'message', data: '51-["b",{"_placeholder":true,"num":0}]' },
      { type: 'message', data: Buffer.from([0xde, 0xad, 0xbe, 0xef]) },
      { type: 'message', data: '2["é ✓ 😀"]' },
    ])
    const packets = splitEngineIo3BinaryPayload(body)
    expect(packets?.map(p => (typeof p === 'string' ? p : [...new Uint8Array(p)]))).toEqual([
      '451-["b",{"_placeholder":true,"num":0}]',
      [4, 0xde, 0xad, 0xbe, 0xef],
      '42["é ✓ 😀"]',
    ])
  })

  it('gives up on bodies that do not follow the framing', () => {
    for (const body of ['', '40', ':40', '3:40', '2:40x', 'a:40', '2:403:']) expect(splitEngineIo3Payload(body)).toBeUndefined()
    for (const bytes of [[], [2, 1, 255, 52], [0, 5, 255, 52], [0, 255, 52], [0, 1, 52]]) {
      expect(splitEngineIo3BinaryPayload(new Uint8Array(bytes).buffer)).toBeUndefined()
    }
  })
})

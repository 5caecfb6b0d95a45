import { describe, expect, it } from 'vitest'
import {
  binaryAttachmentCount,
  decodeSocketIoPacket,
  describeEngineIoFrame,
  isEngineIo3PollingBody,
  socketIoPacketTypeName,
  splitPollingBody,
} from '../../src/protocol/codec'

describe('codec: Engine.IO frames', () => {
  it('labels each Engine.IO packet type with the official parser', () => {
    expect(describeEngineIoFrame('0{"sid":"a"}')).toEqual({ type: 'open', probe: false, binary: false, body: '{"sid":"a"}' })
    expect(describeEngineIoFrame('1')).toEqual({ type: 'close', probe: false, binary: false, body: undefined })
    expect(describeEngineIoFrame('2')).toEqual({ type: 'ping', probe: false, binary: false, body: undefined })
    expect(describeEngineIoFrame('3')).toEqual({ type: 'pong', probe: false, binary: false, body: undefined })
    expect(describeEngineIoFrame('42["a"]')).toEqual({ type: 'message', probe: false, binary: false, body: '2["a"]' })
    expect(describeEngineIoFrame('5')).toEqual({ type: 'upgrade', probe: false, binary: false, body: undefined })
    expect(describeEngineIoFrame('6')).toEqual({ type: 'noop', probe: false, binary: false, body: undefined })
    expect(describeEngineIoFrame('9x').type).toBe('error')
  })

  it('recognizes the upgrade probe', () => {
    expect(describeEngineIoFrame('2probe')).toMatchObject({ type: 'ping', probe: true })
    expect(describeEngineIoFrame('3probe')).toMatchObject({ type: 'pong', probe: true })
    expect(describeEngineIoFrame('4probe')).toMatchObject({ type: 'message', probe: false })
  })

  it('decodes binary messages: raw WebSocket frames and base64 polling packets', () => {
    const bytes = new Uint8Array([0, 255, 7]).buffer
    const raw = describeEngineIoFrame(bytes)
    expect(raw).toMatchObject({ type: 'message', binary: true })
    expect([...new Uint8Array(raw.body as ArrayBuffer)]).toEqual([0, 255, 7])
    const base64 = describeEngineIoFrame('bAP8H')
    expect(base64).toMatchObject({ type: 'message', binary: true })
    expect([...new Uint8Array(base64.body as ArrayBuffer)]).toEqual([0, 255, 7])
  })

  it('splits polling bodies on the record separator', () => {
    expect(splitPollingBody('40{"sid":"a"}\x1e42["welcome"]\x1e2')).toEqual(['40{"sid":"a"}', '42["welcome"]', '2'])
    expect(splitPollingBody('6')).toEqual(['6'])
  })

  it('tells an Engine.IO 3 (Socket.IO v2) polling body from a v4 one', () => {
    expect(isEngineIo3PollingBody('96:0{"sid":"x","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40')).toBe(true)
    expect(isEngineIo3PollingBody('0{"sid":"x","upgrades":["websocket"],"pingInterval":25000}')).toBe(false)
    expect(isEngineIo3PollingBody('12:42["a","b"]')).toBe(false)
  })
})

describe('codec: Socket.IO packets', () => {
  it('names packet types from the official PacketType enum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(socketIoPacketTypeName)).toEqual([
      'CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK', undefined,
    ])
  })

  it('decodes packet headers and payloads', () => {
    expect(decodeSocketIoPacket('0{"token":"t"}')).toEqual({ type: 'CONNECT', namespace: '/', ackId: undefined, attachments: 0, data: { token: 't' } })
    expect(decodeSocketIoPacket('0/admin,{"sid":"s"}')).toEqual({ type: 'CONNECT', namespace: '/admin', ackId: undefined, attachments: 0, data: { sid: 's' } })
    expect(decodeSocketIoPacket('1/admin,')).toEqual({ type: 'DISCONNECT', namespace: '/admin', ackId: undefined, attachments: 0, data: undefined })
    expect(decodeSocketIoPacket('2/chat,12["msg",1]')).toEqual({ type: 'EVENT', namespace: '/chat', ackId: 12, attachments: 0, data: ['msg', 1] })
    expect(decodeSocketIoPacket('30["ok"]')).toEqual({ type: 'ACK', namespace: '/', ackId: 0, attachments: 0, data: ['ok'] })
    expect(decodeSocketIoPacket('4{"message":"not authorized"}')).toEqual({ type: 'CONNECT_ERROR', namespace: '/', ackId: undefined, attachments: 0, data: { message: 'not authorized' } })
  })

  it('reads binary packet headers, whose payload waits for attachments', () => {
    expect(decodeSocketIoPacket('51-["binary",{"_placeholder":true,"num":0}]')).toEqual({ type: 'BINARY_EVENT', namespace: '/', ackId: undefined, attachments: 1 })
    expect(decodeSocketIoPacket('62-/admin,7[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')).toEqual({ type: 'BINARY_ACK', namespace: '/admin', ackId: 7, attachments: 2 })
  })

  it('returns undefined for text the official decoder rejects', () => {
    expect(decodeSocketIoPacket('2["connect"]')).toBeUndefined() // reserved event name
    expect(decodeSocketIoPacket('2{not json')).toBeUndefined()
    expect(decodeSocketIoPacket('9')).toBeUndefined()
  })

  it('counts attachments in a binary header without allocating', () => {
    expect(binaryAttachmentCount('451-["a"]', 1)).toBe(1)
    expect(binaryAttachmentCount('4612-0[]', 1)).toBe(12)
    expect(binaryAttachmentCount('42["a"]', 1)).toBe(0)
    expect(binaryAttachmentCount('45x-', 1)).toBe(0)
    expect(binaryAttachmentCount('51-', 0)).toBe(1)
  })
})

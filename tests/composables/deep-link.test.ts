// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { parseDeepLink } from '../../src/composables/useDeepLink'

describe('parseDeepLink', () => {
  it('is absent without a url', () => {
    expect(parseDeepLink('')).toBeUndefined()
    expect(parseDeepLink('?type=ws&connect=1')).toBeUndefined()
  })

  it('takes the type from the scheme by default', () => {
    expect(parseDeepLink('?url=ws%3A%2F%2Flocalhost%3A8080')).toEqual({ url: 'ws://localhost:8080', type: 'ws', connect: false, path: undefined, auth: undefined, client: undefined, parser: undefined, transports: undefined, protocols: undefined })
    expect(parseDeepLink('?url=http://localhost:3000&connect=1')).toEqual({ url: 'http://localhost:3000', type: 'socketio', connect: true, path: undefined, auth: undefined, client: undefined, parser: undefined, transports: undefined, protocols: undefined })
  })

  it('lets type and path override', () => {
    expect(parseDeepLink('?url=http://localhost:3000&type=ws')).toMatchObject({ type: 'ws' })
    expect(parseDeepLink('?url=ws://localhost:3000&type=socketio&path=/io')).toMatchObject({ type: 'socketio', path: '/io' })
  })

  it('carries a Socket.IO auth payload as text', () => {
    expect(parseDeepLink(`?url=http://localhost:3000/admin&auth=${encodeURIComponent('{"token":"letmein"}')}`)?.auth).toBe('{"token":"letmein"}')
  })

  it('picks the Socket.IO client version', () => {
    expect(parseDeepLink('?url=http://localhost:3002&client=v2')?.client).toBe('v2')
    expect(parseDeepLink('?url=http://localhost:3002&client=2')?.client).toBe('v2')
    expect(parseDeepLink('?url=http://localhost:3002&client=v9')?.client).toBeUndefined()
  })

  it('picks client auto, the parser and the transports; unknown values are ignored', () => {
    expect(parseDeepLink('?url=http://localhost:3000&client=auto')?.client).toBe('auto')
    expect(parseDeepLink('?url=http://localhost:3003&parser=MsgPack')?.parser).toBe('msgpack')
    expect(parseDeepLink('?url=http://localhost:3003&parser=protobuf')?.parser).toBeUndefined()
    // Kept in the client's order whatever the link's order; unknown names dropped; nothing known: not given.
    expect(parseDeepLink('?url=http://localhost:3000&transports=websocket,%20polling')?.transports).toEqual(['polling', 'websocket'])
    expect(parseDeepLink('?url=http://localhost:3000&transports=carrier-pigeon,websocket')?.transports).toEqual(['websocket'])
    expect(parseDeepLink('?url=http://localhost:3000&transports=carrier-pigeon')?.transports).toBeUndefined()
  })

  it('carries WebSocket subprotocols', () => {
    expect(parseDeepLink('?url=ws://localhost:8080/subprotocol&protocols=chat.v2,chat.v1')?.protocols).toBe('chat.v2,chat.v1')
  })

  it('connects only when asked', () => {
    expect(parseDeepLink('?url=ws://a&connect=0')?.connect).toBe(false)
    expect(parseDeepLink('?url=ws://a&connect=true')?.connect).toBe(true)
  })
})

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { decodeSocketIoFrame } from '../../src/timeline/inspect'
import { currentLocale, inEnglish, loadLocale, setLocale, translate } from '../../src/i18n'

// Korean is a chunk of its own in the app (src/i18n): loaded first, setLocale('ko') switches at once.
beforeAll(() => loadLocale('ko'))

/** The "Decoded packet" lines are messages: English words in English, Korean in Korean, protocol words kept. */
describe('decoded packet lines', () => {
  const before = currentLocale()
  afterEach(() => setLocale(before, false))

  it('reads as before in English', () => {
    expect(decodeSocketIoFrame('451-/admin,7["file",{"_placeholder":true,"num":0}]').lines.map(inEnglish))
      .toEqual(['Engine.IO MESSAGE', 'Socket.IO BINARY_EVENT namespace /admin ack id 7, 1 binary attachment follows'])
    expect(decodeSocketIoFrame('4not a packet{').lines.map(inEnglish)).toEqual(['Engine.IO MESSAGE', 'Not a Socket.IO packet: not a packet{'])
    expect(decodeSocketIoFrame('2probe').lines.map(inEnglish)).toEqual(['Engine.IO PING (upgrade probe)'])
    expect(decodeSocketIoFrame('3', { label: 'attachment', attachment: 1, of: 2 } as never).lines.map(inEnglish))
      .toEqual(['Binary attachment 1 of 2 of the preceding BINARY_EVENT / BINARY_ACK'])
  })

  it('reads in Korean, with the packet types as they are', () => {
    setLocale('ko', false)
    const lines = decodeSocketIoFrame('452-/admin,7["file",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]').lines.map(translate)
    expect(lines).toEqual(['Engine.IO MESSAGE', 'Socket.IO BINARY_EVENT 네임스페이스 /admin ack id 7, 바이너리 첨부 2개가 뒤따름'])
    expect(decodeSocketIoFrame('4not a packet{').lines.map(translate)[1]).toBe('Socket.IO 패킷이 아닙니다: not a packet{')
  })
})

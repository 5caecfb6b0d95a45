import { describe, expect, it } from 'vitest'
import { utf8Length } from '../../src/protocol/types'

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['hello', 5],
    ['42["chat",{"n":1}]', 18],
    ['\x7F', 1],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀é€', 10],
    ['\uD800', 3], // a lone surrogate: encoders write U+FFFD, 3 bytes
  ])('%j is %i bytes, as TextEncoder counts them', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes)
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length)
  })
})

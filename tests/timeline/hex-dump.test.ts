/** The hex dump's layouts (issue 10): 16 bytes a line, or 8 or 4 when the view is narrow, each line whole. */
import { describe, expect, it } from 'vitest'
import { hexBytesPerLine, hexDump, hexLineLength } from '../../src/timeline/payload'

const bytes = Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i)

describe('hexDump', () => {
  it('16 bytes a line by default, with the character column closed on every line', () => {
    const lines = hexDump(bytes).split('\n')
    expect(lines[0]).toBe('00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|')
    expect(lines[0]!.length).toBe(hexLineLength(16))
    expect(lines[1]).toBe('00000010  51 52 53 54                                       |QRST|')
  })

  it('8 or 4 bytes a line for a narrow view; the offsets follow', () => {
    expect(hexDump(bytes, undefined, 8).split('\n').slice(0, 2)).toEqual([
      '00000000  41 42 43 44 45 46 47 48  |ABCDEFGH|',
      '00000008  49 4a 4b 4c 4d 4e 4f 50  |IJKLMNOP|',
    ])
    expect(hexDump(bytes, undefined, 8).split('\n')[0]!.length).toBe(hexLineLength(8))
    expect(hexDump(bytes, undefined, 4).split('\n')[4]).toBe('00000010  51 52 53 54  |QRST|')
    expect(hexDump(bytes, 6, 4)).toBe('00000000  41 42 43 44  |ABCD|\n00000004  45 46        |EF|\n… 14 more bytes')
  })

  it('picks the widest layout that fits the columns it has', () => {
    expect(hexBytesPerLine(200)).toBe(16)
    expect(hexBytesPerLine(hexLineLength(16))).toBe(16)
    expect(hexBytesPerLine(hexLineLength(16) - 1)).toBe(8)
    expect(hexBytesPerLine(hexLineLength(8))).toBe(8)
    expect(hexBytesPerLine(hexLineLength(8) - 1)).toBe(4)
    expect(hexBytesPerLine(3)).toBe(4)
  })
})

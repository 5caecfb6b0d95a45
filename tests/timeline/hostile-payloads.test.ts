import { describe, expect, it } from 'vitest'
import type { TimelineEvent } from '../../src/protocol/types'
import { event } from '../support/events'
import { diagnose } from '../../src/protocol/diagnose'
import { jsonText, NESTING_LIMIT, nestsDeeperThan } from '../../src/protocol/codec/jsonText'
import { previewOf, searchableText, stringifyArgs, visibleSegments, visibleText } from '../../src/timeline/payload'
import { nestedArray, nestedObject } from '../support/nested'


function appEvent(args: unknown[]): TimelineEvent {
  return event('app', 'event', { seq: 1, time: 0, name: 'deep', detail: { args } })
}

describe('jsonText: JSON text without recursion', () => {
  const samples: unknown[] = [
    null, 0, -0, 1.5e300, 'x', '', 'é "q" \\ \n \u0000 \u2028', true, false, [], {}, [1, 'a', null, [2, [3, {}]]],
    { a: 1, b: [true, { c: 'd' }], e: {}, f: [] }, { skip: undefined, fn: () => 1, kept: 1 }, [undefined, () => 1],
    { date: new Date(0) }, { n: Number.NaN, i: Number.POSITIVE_INFINITY },
  ]

  it('writes what JSON.stringify writes, compact and indented', () => {
    for (const value of samples) {
      expect(jsonText(value).text).toBe(JSON.stringify(value))
      expect(jsonText(value, { indent: 2 }).text).toBe(JSON.stringify(value, null, 2))
    }
  })

  it('writes 100,000 levels where JSON.stringify throws RangeError', () => {
    const deep = nestedArray(100_000)
    expect(() => JSON.stringify(deep)).toThrow(RangeError)
    const { text, complete, depth } = jsonText(deep)
    expect(complete).toBe(true)
    expect(depth).toBe(100_000)
    expect(text).toBe(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    // The indented form stops indenting past the limit, so it stays the size of the value, not of depth².
    const pretty = jsonText(nestedObject(10_000), { indent: 2 }).text
    expect(pretty.length).toBeLessThan(100_000)
    expect(JSON.parse(pretty)).toBeTypeOf('object')
  })

  it('stops after the budget, cutting a huge string before escaping it', () => {
    const huge = 'y'.repeat(8 * 1024 * 1024)
    const cut = jsonText(['a', huge], { maxChars: 100 })
    expect(cut.complete).toBe(false)
    expect(cut.text.length).toBeLessThanOrEqual(101)
    expect(cut.text.startsWith('["a","yyy')).toBe(true)
    expect(jsonText(nestedArray(1_000_000), { maxChars: 50 }).text).toBe('['.repeat(51))
  })

  it('writes cycles as "[Circular]" and bigint as text, and applies replace once per value', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(jsonText(cyclic).text).toBe('{"a":1,"self":"[Circular]"}')
    const shared = { x: 1 }
    expect(jsonText([shared, shared]).text).toBe('[{"x":1},{"x":1}]')
    expect(jsonText({ big: 10n }).text).toBe('{"big":"10"}')
    expect(jsonText([new Uint8Array([1, 2])], { replace: v => v instanceof Uint8Array ? `<${v.length}>` : v }).text).toBe('["<2>"]')
  })

  it('tells a value nested deeper than a limit, without recursion', () => {
    expect(nestsDeeperThan(nestedArray(NESTING_LIMIT), NESTING_LIMIT)).toBe(false)
    expect(nestsDeeperThan(nestedArray(NESTING_LIMIT + 1), NESTING_LIMIT)).toBe(true)
    expect(nestsDeeperThan(nestedObject(1_000_000), NESTING_LIMIT)).toBe(true)
    expect(nestsDeeperThan('x', 0)).toBe(false)
  })
})

describe('payload walks over hostile values', () => {
  it('previews and searches events with 10,000-level arguments', () => {
    for (const [value, start] of [[nestedArray(10_000), '[[[[[['], [nestedObject(10_000), '[{"a":{"a":{"a":']] as const) {
      const event = appEvent([value])
      const preview = previewOf(event)
      expect(preview).toHaveLength(160)
      expect(preview.startsWith(start)).toBe(true)
      expect(searchableText(event)).toContain('event deep')
    }
    expect(stringifyArgs(nestedObject(10_000), 2)).not.toContain('[object Object]')
  })

  it('previews a 64 MiB string argument from its first characters only', () => {
    const huge = 'z'.repeat(64 * 1024 * 1024)
    const preview = previewOf(appEvent([huge]))
    expect(preview).toBe(`["${'z'.repeat(157)}…`)
  })

  it('leaves control characters in the preview for visibleSegments to mark', () => {
    const e = event('wire', 'frame', { seq: 1, time: 0, data: `a\nb\u001B[31m\u202Egnp.exe${'x'.repeat(500)}` })
    expect(visibleText(previewOf(e, 20))).toBe('a\\nb\\u001B[31m\\u202Egnp.exexxx…')
  })
})

describe('visibleSegments: invisible and bidi characters shown as markers', () => {
  it('marks the right-to-left override so "\\u202Egnp.exe" cannot pass for "exe.png"', () => {
    const segments = visibleSegments('\u202Egnp.exe')
    expect(segments).toEqual([
      { text: '\\u202E', mark: { code: 0x202E, name: 'right-to-left override (U+202E)' } },
      { text: 'gnp.exe' },
    ])
  })

  it('marks CR, LF, TAB, ESC, NUL, C1, zero-width, BOM, isolates, line separators and tag characters', () => {
    expect(visibleText('a\r\nb\tc\u001Bd\u0000e\u0085f\u200Bg\uFEFFh\u2066i\u2069j\u2028k\u{E0041}l\u3164m'))
      .toBe('a\\r\\nb\\tc\\u001Bd\\u0000e\\u0085f\\u200Bg\\uFEFFh\\u2066i\\u2069j\\u2028k\\u{E0041}l\\u3164m')
  })

  it('keeps line feeds and tabs in multi-line views, and still marks CR', () => {
    expect(visibleText('a\r\n\tb', { multiline: true })).toBe('a\\r\n\tb')
  })

  it('leaves ordinary text, accents, right-to-left letters and emoji sequences alone', () => {
    for (const text of ['plain', 'héllo ✓', 'שלום', '👩‍💻 👩🏽‍💻 ❤️']) expect(visibleSegments(text)).toEqual([{ text }])
  })

  it('styles at most maxMarks markers and folds the rest into the text', () => {
    const segments = visibleSegments('\u0007'.repeat(10), { maxMarks: 3 })
    expect(segments.filter(s => s.mark)).toHaveLength(3)
    expect(segments.map(s => s.text).join('')).toBe('\\u0007'.repeat(10))
  })
})

describe('diagnosis of hostile server data', () => {
  it('quotes connect_error data nested 10,000 levels, or 64 MiB of it, by its start', () => {
    for (const data of [nestedArray(10_000), { message: 'z'.repeat(64 * 1024 * 1024) }]) {
      const diagnosis = diagnose({ protocol: 'socketio', url: 'http://localhost:3000', socketIoErrorMessage: 'not authorized', socketIoErrorData: data })
      expect(diagnosis.id).toBe('auth-rejected')
      // The data is a value of the words, quoted by its start: at most 200 characters.
      const quoted = (diagnosis.params.data as unknown as { params: { data: string } }).params.data
      expect(quoted).toMatch(/^(\[\[\[|\{"message":"zzz).*…$/)
      expect(quoted.length).toBeLessThanOrEqual(200)
    }
  })
})

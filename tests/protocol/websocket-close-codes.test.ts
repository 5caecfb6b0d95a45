import { beforeAll, describe, expect, it } from 'vitest'
import { inEnglish, loadLocale, setLocale, translate } from '../../src/i18n'
import { closeCodeInfo, explainCloseCode } from '../../src/protocol/closeCodes'

// Korean is a chunk of its own in the app (src/i18n): loaded first, setLocale('ko') switches at once.
beforeAll(() => loadLocale('ko'))

/** Close codes are named by message (`protocol.closeCode.<code>` or the range's, filled with the code). */
describe('close codes', () => {
  it('names every code RFC 6455 and the IANA registry define by its own message', () => {
    for (let code = 1000; code <= 1015; code++) {
      expect(closeCodeInfo(code)).toEqual({ name: { key: `protocol.closeCode.${code}.name` }, meaning: { key: `protocol.closeCode.${code}.meaning` } })
    }
    for (const code of [3000, 3003, 3008]) expect(closeCodeInfo(code).name).toEqual({ key: `protocol.closeCode.${code}.name` })
    // The words exist for each, in English (the contract's names) and in Korean.
    expect(inEnglish(closeCodeInfo(1000).name)).toBe('Normal closure')
    expect(inEnglish(closeCodeInfo(1006).name)).toBe('Abnormal closure')
    expect(inEnglish(closeCodeInfo(1015).name)).toBe('TLS handshake failure')
  })

  it('has words in English and Korean for every code and range it names', () => {
    const codes = [...Array.from({ length: 16 }, (_, i) => 1000 + i), 3000, 3003, 3008, 999, 1016, 3500, 4000, 5000]
    const unnamed: string[] = []
    for (const code of codes) {
      for (const ref of Object.values(closeCodeInfo(code))) {
        if (inEnglish(ref) === ref.key) unnamed.push(`en ${ref.key}`)
        try {
          setLocale('ko', false)
          const words = translate(ref)
          if (words === ref.key || !/[\u3131-\uD79D]/.test(words)) unnamed.push(`ko ${ref.key}`)
        }
        finally {
          setLocale('en', false)
        }
      }
    }
    expect(unnamed).toEqual([])
  })

  it('names the ranges, filled with the code', () => {
    expect(closeCodeInfo(999).name.key).toBe('protocol.closeCode.unused.name')
    expect(closeCodeInfo(1016).name.key).toBe('protocol.closeCode.reserved.name')
    expect(closeCodeInfo(2999).name.key).toBe('protocol.closeCode.reserved.name')
    expect(closeCodeInfo(3500).meaning).toEqual({ key: 'protocol.closeCode.registered.meaning', params: { code: 3500 } })
    expect(closeCodeInfo(4000).meaning).toEqual({ key: 'protocol.closeCode.application.meaning', params: { code: 4000 } })
    expect(closeCodeInfo(4999).name.key).toBe('protocol.closeCode.application.name')
    expect(closeCodeInfo(5000).name.key).toBe('protocol.closeCode.invalid.name')
    expect(closeCodeInfo(1000.5).name.key).toBe('protocol.closeCode.invalid.name')
  })

  it('says what 1006 can hide and that TLS failures show as 1006', () => {
    expect(inEnglish(closeCodeInfo(1006).meaning)).toMatch(/handshake failed \(refused, rejected, TLS or blocked\)/)
    expect(inEnglish(closeCodeInfo(1015).meaning)).toMatch(/report this as 1006/)
  })

  it('puts the code, name, meaning and the server\'s reason in one message; the reason is a value, shown as text', () => {
    expect(explainCloseCode(1000)).toEqual({
      key: 'protocol.closeCode.explain',
      params: { code: 1000, name: { key: 'protocol.closeCode.1000.name' }, meaning: { key: 'protocol.closeCode.1000.meaning' }, said: '' },
    })
    const bye = explainCloseCode(4001, 'bye')
    expect(bye.params!.said).toEqual({ key: 'protocol.closeCode.reasonGiven', params: { reason: 'bye' } })
    expect(inEnglish(bye)).toMatch(/^4001 Application code: .* The reason given was "bye"\.$/)
    try {
      setLocale('ko', false)
      expect(translate(bye)).toMatch(/^4001 애플리케이션 코드: .*주어진 이유: "bye"\.$/)
    }
    finally {
      setLocale('en', false)
    }
  })
})

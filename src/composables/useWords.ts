import type { MessageParams, MessageRef } from '@/protocol/message'
import type { Words } from '@/stores/session'
import { useI18n } from 'vue-i18n'
import { translate } from '@/i18n'

/**
 * Puts what a store keeps as words (`Words`: a message, or a browser's or driver's own text) into the UI's language,
 * again whenever the language changes. Numbers among a message's values are written the locale's way
 * (`Intl.NumberFormat`, at most one decimal); `count` stays a number, as it picks the plural form.
 */
export function useWords(): (words: Words | undefined) => string {
  const { locale } = useI18n()
  return (words) => {
    if (words === undefined) return ''
    if (typeof words === 'string') return words
    const format = new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 })
    return translate(withNumbers(words, format))
  }
}

function withNumbers(ref: MessageRef, format: Intl.NumberFormat): MessageRef {
  if (!ref.params) return ref
  const params: Record<string, MessageParams[string]> = {}
  for (const [name, value] of Object.entries(ref.params))
    params[name] = typeof value === 'number' && name !== 'count' ? format.format(value) : value
  return { key: ref.key, params }
}

/**
 * The UI's languages: English (the default) and Korean, the language of the study note SocketLens grew from.
 * The locale follows the browser until the person picks one in Settings; the choice is remembered and
 * `<html lang>` follows it. Messages are compiled just in time (vue-i18n's default), never with `eval`, so they run
 * under the app's Content-Security-Policy.
 */
import { createI18n } from 'vue-i18n'
import { renderMessage, setMessageDescriber, type MessageRef } from '@/protocol/message'
import type { Translation } from './catalogue'
import en from './messages/en'
import ko from './messages/ko'

export const LOCALES = ['en', 'ko'] as const
export type Locale = typeof LOCALES[number]

/** Each language in its own words (endonyms): what the language switch shows, whatever the current locale. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', ko: '한국어' }

const STORAGE_KEY = 'socketlens.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The saved choice, else the first of the browser's languages SocketLens speaks, else English. */
export function pickLocale(saved: unknown, languages: readonly string[]): Locale {
  if (isLocale(saved)) return saved
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return 'en'
}

function savedLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null
  }
  catch {
    return null // storage disabled (private mode): follow the browser
  }
}

function browserLanguages(): readonly string[] {
  const nav = globalThis.navigator
  if (!nav) return []
  return nav.languages?.length ? nav.languages : nav.language ? [nav.language] : []
}

/** The catalogue's shape, every message a string (en is written `as const`; a translation's words differ). */
export type MessageSchema = Translation<typeof en>

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: pickLocale(savedLocale(), browserLanguages()),
  fallbackLocale: 'en',
  messages: { en, ko },
  // A key missing in Korean falls back to English; tests/i18n fails the build before that can ship.
  missingWarn: false,
  fallbackWarn: false,
})

/** The language the UI speaks now. */
export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/** Switch the UI's language, `<html lang>` with it, and remember the choice (unless `remember` is false). */
export function setLocale(locale: Locale, remember = true): void {
  i18n.global.locale.value = locale
  if (globalThis.document) globalThis.document.documentElement.lang = locale
  if (!remember) return
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  }
  catch {
    // Storage full or disabled: the language still applies to this page.
  }
}

/** Start-up: `<html lang>` says the language the page opens in. */
export function applyInitialLocale(): void {
  setLocale(currentLocale(), false)
}

/**
 * An imported file's message whose key this version does not know (a newer SocketLens wrote it): the English
 * sentence the file carries beside it (`text`, timeline/exportWords.ts), shown as the file's words.
 */
function filesOwnText(ref: MessageRef): string | undefined {
  const text = (ref as { text?: unknown }).text
  return typeof text === 'string' && !i18n.global.te(ref.key, 'en') ? text : undefined
}

/** A protocol-layer message in the UI's language. */
export function translate(ref: MessageRef): string {
  const fromFile = filesOwnText(ref)
  if (fromFile !== undefined) return fromFile
  return renderMessage(ref, (key, named, plural) => plural === undefined ? i18n.global.t(key, named) : i18n.global.t(key, named, plural))
}

/** A protocol-layer message in English, whatever the UI's language: what an export writes beside the key. */
export function inEnglish(ref: MessageRef): string {
  const fromFile = filesOwnText(ref)
  if (fromFile !== undefined) return fromFile
  return renderMessage(ref, (key, named, plural) => plural === undefined
    ? i18n.global.t(key, named, { locale: 'en' })
    : i18n.global.t(key, named, { locale: 'en', plural }))
}

// The timeline's previews and search text (pure layers) put messages into words through this.
setMessageDescriber(translate)

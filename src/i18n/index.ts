/**
 * The UI's languages: English (the default) and Korean, the language of the study note SocketLens grew from.
 * The locale follows the browser until the person picks one in Settings; the choice is remembered and
 * `<html lang>` follows it. Messages are compiled just in time (vue-i18n's default), never with `eval`, so they run
 * under the app's Content-Security-Policy.
 *
 * English is part of the initial bundle (it is every other language's fallback, and what exports write). Every other
 * catalogue is a chunk of its own, loaded before the app mounts when the page opens in that language, or when the
 * person picks it (`loadLocale`); the service worker precaches it with the rest of the build, so it loads offline.
 */
import { createI18n } from 'vue-i18n'
import { renderMessage, setMessageDescriber, type MessageRef } from '@/protocol/message'
import type { Translation } from './catalogue'
import en from './messages/en'

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

/** The catalogues that are chunks of their own (every language but English), each loaded on first use. */
const CATALOGUES: Readonly<Record<Exclude<Locale, 'en'>, () => Promise<{ default: MessageSchema }>>> = {
  ko: () => import('./messages/ko'),
}

// The UI starts in English and switches once the language it should open in has loaded (`applyInitialLocale`).
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  // vue-i18n's types ask for every locale's messages up front; the others are set as they load (`loadLocale`).
  messages: { en } as Record<Locale, MessageSchema>,
  // A key missing in Korean falls back to English; tests/i18n fails the build before that can ship.
  missingWarn: false,
  fallbackWarn: false,
})

/** Catalogues loaded or being loaded, by locale; a load that failed is forgotten, so asking again tries again. */
const loading = new Map<Locale, Promise<void>>([['en', Promise.resolve()]])

/** Whether `locale`'s catalogue is loaded, so that switching to it takes effect at once. */
export function isLocaleLoaded(locale: Locale): boolean {
  return i18n.global.availableLocales.includes(locale)
}

/** Load `locale`'s catalogue once; rejects with the browser's error when its chunk cannot be fetched. */
export function loadLocale(locale: Locale): Promise<void> {
  let load = loading.get(locale)
  if (load === undefined) {
    load = CATALOGUES[locale as Exclude<Locale, 'en'>]().then(
      (module) => { i18n.global.setLocaleMessage(locale, module.default) },
      (err: unknown) => {
        loading.delete(locale)
        throw err
      },
    )
    loading.set(locale, load)
  }
  return load
}

/** The language asked for last (`setLocale`). */
let wanted: Locale | undefined

/** The language the UI speaks now. */
export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/**
 * Switch the UI's language, `<html lang>` with it, and remember the choice (unless `remember` is false). A language
 * whose catalogue is loaded switches at once (synchronously); another switches once it has loaded, unless another
 * language was asked for meanwhile, and the promise rejects, with nothing changed, when it cannot be loaded.
 */
export function setLocale(locale: Locale, remember = true): Promise<void> {
  wanted = locale
  if (isLocaleLoaded(locale)) {
    applyLocale(locale, remember)
    return Promise.resolve()
  }
  // A language picked while this one loads wins: this one then loads but does not switch the UI.
  return loadLocale(locale).then(() => {
    if (wanted === locale) applyLocale(locale, remember)
  })
}

function applyLocale(locale: Locale, remember: boolean): void {
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

/**
 * Start-up: the language the page opens in (the saved choice, else the browser's), its catalogue loaded, and
 * `<html lang>` saying it. Where the catalogue cannot load (a first visit that went offline before the chunk came),
 * the page opens in English, the choice is kept for the next visit, and the reason is logged: resolves either way.
 */
export async function applyInitialLocale(): Promise<void> {
  const locale = pickLocale(savedLocale(), browserLanguages())
  try {
    await setLocale(locale, false)
  }
  catch (err) {
    console.warn(`SocketLens: the ${LOCALE_NAMES[locale]} words could not be loaded; showing English.`, err)
    applyLocale('en', false)
  }
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

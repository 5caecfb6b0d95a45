/** Vitest setup for the happy-dom project: components mount with the app's i18n, in English unless a test switches. */
import { config } from '@vue/test-utils'
import { afterEach } from 'vitest'
import { PLAIN_EDITOR } from '../../src/components/composer/editorLoader'
import { i18n, loadLocale, setLocale } from '../../src/i18n'

config.global.plugins = [...config.global.plugins, i18n]
// Korean is a chunk of its own in the app (src/i18n); loaded here, a test's setLocale('ko') switches at once.
await loadLocale('ko')
// The composer's fields stay plain textareas (named as the editor is): a suite that wants the CodeMirror editor
// provides PLAIN_EDITOR false (tests/components/composer-editor.test.ts), so no suite races the editor's lazy load.
config.global.provide = { ...config.global.provide, [PLAIN_EDITOR as symbol]: true }

afterEach(() => {
  setLocale('en', false)
})

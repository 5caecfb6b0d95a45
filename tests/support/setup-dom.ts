/** Vitest setup for the happy-dom project: components mount with the app's i18n, in English unless a test switches. */
import { config } from '@vue/test-utils'
import { afterEach } from 'vitest'
import { i18n, setLocale } from '../../src/i18n'

config.global.plugins = [...config.global.plugins, i18n]

afterEach(() => {
  setLocale('en', false)
})

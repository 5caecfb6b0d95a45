import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { registerSW } from 'virtual:pwa-register'
import App from './App.vue'
import { applyInitialLocale, i18n } from './i18n'
import { startAppUpdates } from './composables/useAppUpdate'
import './styles.css'

applyInitialLocale()
createApp(App).use(createPinia()).use(i18n).mount('#app')

// Offline and installable (PWA). Only in a production build: the dev server serves modules, not a precache.
// A new build waits for the person's Reload (components/session/UpdatePrompt.vue), never reloads a tab by itself.
if (import.meta.env.PROD && 'serviceWorker' in navigator)
  startAppUpdates(registerSW)

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { registerSW } from 'virtual:pwa-register'
import App from './App.vue'
import { applyInitialLocale, i18n } from './i18n'
import { startAppUpdates } from './composables/useAppUpdate'
import { whenQuiet } from './whenQuiet'
import './styles.css'

const app = createApp(App).use(createPinia()).use(i18n)
// The first render is a task of its own, after the bundle's evaluation (issue 11: together they were one task of
// 60 ms and more at every start and reload, with or without saved items), and after the words of the language the
// page opens in have loaded (src/i18n: English is in the bundle, other languages are chunks), so it never flashes
// English first.
void applyInitialLocale().then(() => setTimeout(() => app.mount('#app'), 0))

// Offline and installable (PWA). Only in a production build: the dev server serves modules, not a precache.
// A new build waits for the person's Reload (components/session/UpdatePrompt.vue), never reloads a tab by itself.
// The worker registers once the page is quiet: its install downloads and stores every file of the build, which on
// a first visit by a deep link that connects at once would compete with the stream for a two-core machine's CPU
// (docs/performance-history.md, "The service worker's install").
if (import.meta.env.PROD && 'serviceWorker' in navigator)
  startAppUpdates(registerSW, whenQuiet())

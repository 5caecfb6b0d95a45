import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { registerSW } from 'virtual:pwa-register'
import App from './App.vue'
import './styles.css'

createApp(App).use(createPinia()).mount('#app')

// Offline and installable (PWA). Only in a production build: the dev server serves modules, not a precache.
if (import.meta.env.PROD && 'serviceWorker' in navigator)
  registerSW({ immediate: true })

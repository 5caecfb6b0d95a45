import type { Plugin } from 'vite'
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import { defineConfig } from 'vitest/config'

/**
 * The built app's Content-Security-Policy. Only the build has it: `npm run dev` injects styles as <style> elements
 * for hot reload, which this policy refuses. tests/e2e/csp.spec.ts checks the app works under it.
 * - script-src 'self': every script is a file of the build; no inline script, no 'unsafe-eval' (the bundle calls
 *   neither eval nor new Function: Vue is the runtime-only build, templates are compiled at build time).
 * - style-src 'self', no 'unsafe-inline': styles are files of the build (Vue's scoped styles and uPlot's stylesheet
 *   are extracted to CSS files, a lazy chunk's loaded by a <link>). What Vue's :style bindings and uPlot set at run
 *   time goes through the CSSOM (element.style), which a policy does not govern, and no template has a static
 *   style="" attribute that Vue could stringify into HTML.
 * - connect-src: any ws:, wss:, http: and https: endpoint, since connecting anywhere is the point of the app.
 * - frame-ancestors only works as a header (a meta tag's is ignored): only `vite preview` (npm start) sends it.
 */
const contentSecurityPolicy: [directive: string, sources: string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'"],
  ['font-src', "'self'"],
  ['connect-src', "'self' ws: wss: http: https:"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
]

function policyText(delivery: 'header' | 'meta'): string {
  return contentSecurityPolicy
    .filter(([directive]) => delivery === 'header' || directive !== 'frame-ancestors')
    .map(([directive, sources]) => `${directive} ${sources}`)
    .join('; ')
}

/**
 * The policy right after the charset declaration of the built index.html (which must stay within the first 1024
 * bytes), ahead of every script and stylesheet, so it governs all of them.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'socketlens:content-security-policy',
    apply: 'build',
    transformIndexHtml(html) {
      const charset = /<meta charset="[^"]*"\s*\/?>/i
      if (!charset.test(html)) throw new Error('index.html needs <meta charset="UTF-8" />: the Content-Security-Policy tag goes after it')
      return html.replace(charset, declaration => `${declaration}\n    <meta http-equiv="Content-Security-Policy" content="${policyText('meta')}" />`)
    },
  }
}

export default defineConfig({
  // vue-i18n's compile-time flags: the Composition API only, no devtools hooks in a build.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  plugins: [
    vue(),
    contentSecurityPolicyMeta(),
    // Installable and offline: the service worker precaches the built app shell (never the endpoints it talks to).
    // Prompt mode: a new build's worker installs and waits until the person reloads (src/composables/useAppUpdate.ts),
    // because a tab can hold a live connection and a capture that exist nowhere else.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'SocketLens',
        short_name: 'SocketLens',
        description: 'Inspect WebSocket and Socket.IO connections layer by layer, in the browser.',
        theme_color: '#11151c',
        background_color: '#0f1319',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest}'],
        navigateFallback: '/index.html',
        cleanupOutdatedCaches: true,
        // The first worker controls the page that installed it (offline at once, no reload). An update's worker
        // claims the open tabs only once someone chose Reload; no skipWaiting, which would take over every tab
        // the moment a new build was fetched anywhere.
        clientsClaim: true,
      },
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { port: 5173, strictPort: true, host: 'localhost' },
  // `npm start` serves the build with vite preview (scripts/start.ts), which sends these with every file.
  preview: { port: 5173, strictPort: true, host: 'localhost', headers: { 'Content-Security-Policy': policyText('header') } },
  build: { target: 'es2022', sourcemap: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/protocol/**/*.test.ts', 'tests/timeline/**/*.test.ts', 'tests/dev-server/**/*.test.ts', 'tests/i18n/**/*.test.ts', 'tests/fanout/**/*.test.ts', 'tests/artillery/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'component',
          environment: 'happy-dom',
          // Every mounted component gets the app's i18n (English, the default), as in main.ts.
          setupFiles: ['tests/support/setup-dom.ts'],
          include: ['tests/components/**/*.test.ts', 'tests/composables/**/*.test.ts', 'tests/stores/**/*.test.ts'],
          // Many of these connect to the real dev server and wait up to 8 s for it (a loaded CI machine): the
          // default 5 s would end them first.
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
})

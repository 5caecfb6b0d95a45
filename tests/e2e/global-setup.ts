import type { PreviewServer } from 'vite'
import type { DevServer } from '../../dev-server/index'
import { preview } from 'vite'
import { FREE_PORTS, startDevServer } from '../../dev-server/index'
import { devServerInfoPlugin } from '../../dev-server/inspector-endpoint'

/**
 * Starts what the end-to-end tests talk to: the built inspector (vite preview of dist/) and the dev server,
 * each on free loopback ports so a running `npm start` is never disturbed. Workers read the URLs from env.
 * As under `npm start`, the inspector serves the dev server's control token at /__socketlens/dev-server.json and
 * the control API accepts the inspector's origin.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Filled in once the dev server listens; the plugin answers 503 until then.
  const dev: { server?: DevServer } = {}
  // SOCKETLENS_DIST serves another build than dist/ (engineers running end-to-end suites side by side).
  const app: PreviewServer = await preview({
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
    build: { outDir: process.env.SOCKETLENS_DIST ?? 'dist' },
    logLevel: 'silent',
    plugins: [devServerInfoPlugin(() => dev.server && { controlUrl: dev.server.urls.control, token: dev.server.controlToken, urls: { ...dev.server.urls } })],
  })
  const address = app.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('vite preview did not bind a TCP port')
  const appUrl = `http://localhost:${address.port}`
  const devServer = await startDevServer({
    ports: FREE_PORTS,
    controlOrigins: [appUrl, `http://127.0.0.1:${address.port}`],
    log: () => {},
  })
  dev.server = devServer
  process.env.SOCKETLENS_APP_URL = appUrl
  process.env.SOCKETLENS_DEV_URLS = JSON.stringify({ ...devServer.urls, controlToken: devServer.controlToken })
  return async () => {
    await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
    await devServer.close()
  }
}

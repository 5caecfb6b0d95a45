import type { PreviewServer } from 'vite'
import { preview } from 'vite'
import { startDevServer } from '../../dev-server/index'

/**
 * Starts what the end-to-end tests talk to: the built inspector (vite preview of dist/) and the dev server,
 * each on free loopback ports so a running `npm start` is never disturbed. Workers read the URLs from env.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const devServer = await startDevServer({ ports: { ws: 0, wss: 0, socketio: 0, polling: 0, socketioV2: 0, control: 0 }, log: () => {} })
  // SOCKETLENS_DIST serves another build than dist/ (engineers running end-to-end suites side by side).
  const app: PreviewServer = await preview({
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
    build: { outDir: process.env.SOCKETLENS_DIST ?? 'dist' },
    logLevel: 'silent',
  })
  const address = app.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('vite preview did not bind a TCP port')
  process.env.SOCKETLENS_APP_URL = `http://localhost:${address.port}`
  process.env.SOCKETLENS_DEV_URLS = JSON.stringify(devServer.urls)
  return async () => {
    await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
    await devServer.close()
  }
}

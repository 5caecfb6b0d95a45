/**
 * `npm start`: serves the built inspector at http://localhost:5173 and starts the dev server beside it.
 * `npm run dev`: the same with Vite's dev server and hot reload instead of the built app.
 *
 * Ports: APP_PORT (or --port) for the inspector; the dev server reads its own flags and variables
 * (see dev-server/README.md). Ctrl-C stops everything.
 *
 * The dev server's control API obeys only this inspector: a random token made here goes to the dev server in its
 * environment and to the inspector at /__socketlens/dev-server.json (same origin only, see
 * dev-server/inspector-endpoint.ts); the inspector's origin goes along as SOCKETLENS_APP_URL.
 */
import type { PreviewServer, ViteDevServer } from 'vite'
import type { DevServerInfo } from '../dev-server/inspector-endpoint.ts'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer, preview } from 'vite'
import { DEV_SERVER_READY, devServerInfoPlugin } from '../dev-server/inspector-endpoint.ts'

const { values, tokens } = parseArgs({
  options: {
    dev: { type: 'boolean', default: false },
    port: { type: 'string' },
  },
  strict: false,
  tokens: true,
})

let stopping = false
const appPort = Number(values.port ?? process.env.APP_PORT ?? 5173)
if (!Number.isInteger(appPort) || appPort < 1 || appPort > 65535) {
  console.error(`The inspector port must be a number from 1 to 65535 (got "${values.port ?? process.env.APP_PORT}").`)
  process.exit(2)
}

// Everything that is not ours goes to the dev server (--ws-port, --host, ...), which prints its own banner.
const ours = new Set(['dev', 'port'])
const forwarded = tokens.flatMap(t => t.kind === 'option' && !ours.has(t.name) ? [t.rawName, ...(t.value === undefined ? [] : [t.value])] : t.kind === 'positional' ? [t.value] : [])
const devServerMain = fileURLToPath(new URL('../dev-server/main.ts', import.meta.url))
// A user may set their own (for curl scripts); otherwise a new one at every start, which no page can guess.
const controlToken = process.env.SOCKETLENS_CONTROL_TOKEN || randomBytes(32).toString('base64url')
let devServerInfo: DevServerInfo | undefined
const devServer = spawn(process.execPath, ['--import', 'tsx', devServerMain, ...forwarded], {
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, SOCKETLENS_APP_URL: `http://localhost:${appPort}`, SOCKETLENS_CONTROL_TOKEN: controlToken },
})
devServer.on('message', (message: { type?: unknown, controlUrl?: unknown, urls?: unknown }) => {
  if (message?.type === DEV_SERVER_READY && typeof message.controlUrl === 'string' && typeof message.urls === 'object' && message.urls)
    devServerInfo = { controlUrl: message.controlUrl, token: controlToken, urls: message.urls as Record<string, string> }
})
const devServerExited = new Promise<void>(resolve => devServer.once('exit', () => resolve()))
devServer.once('exit', (code) => {
  devServerInfo = undefined
  if (!stopping) {
    console.error(`The dev server stopped (exit code ${code}). The inspector keeps running; restart with npm start.`)
  }
})

let app: ViteDevServer | PreviewServer
try {
  const plugins = [devServerInfoPlugin(() => devServerInfo)]
  app = values.dev
    ? await createServer({ server: { port: appPort, strictPort: true, host: 'localhost' }, plugins })
    : await preview({ preview: { port: appPort, strictPort: true, host: 'localhost' }, plugins })
  if ('listen' in app) await app.listen()
}
catch (error) {
  console.error(`Could not serve the inspector on port ${appPort}: ${(error as Error).message}`)
  console.error('Another program may be using it: stop it, or choose another port with APP_PORT=5174 npm start.')
  devServer.kill('SIGTERM')
  process.exit(1)
}

console.log(`
  SocketLens inspector   http://localhost:${appPort}${values.dev ? '   (hot reload)' : ''}
  The dev server's banner lists a deep link for each endpoint. Press Ctrl-C to stop.
`)

async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  console.log('\nStopping SocketLens…')
  if (devServer.exitCode === null) devServer.kill('SIGTERM')
  await Promise.allSettled([app.close(), devServerExited])
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())

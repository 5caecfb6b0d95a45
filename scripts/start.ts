/**
 * `npm start`: serves the built inspector at http://localhost:5173 and starts the dev server beside it.
 * `npm run dev`: the same with Vite's dev server and hot reload instead of the built app.
 *
 * Ports: APP_PORT (or --port) for the inspector; the dev server reads its own flags and variables
 * (see dev-server/README.md). Ctrl-C stops everything.
 */
import type { PreviewServer, ViteDevServer } from 'vite'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServer, preview } from 'vite'

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
const devServer = spawn(process.execPath, ['--import', 'tsx', devServerMain, ...forwarded], {
  stdio: 'inherit',
  env: { ...process.env, SOCKETLENS_APP_URL: `http://localhost:${appPort}` },
})
const devServerExited = new Promise<void>(resolve => devServer.once('exit', () => resolve()))
devServer.once('exit', (code) => {
  if (!stopping) {
    console.error(`The dev server stopped (exit code ${code}). The inspector keeps running; restart with npm start.`)
  }
})

let app: ViteDevServer | PreviewServer
try {
  app = values.dev
    ? await createServer({ server: { port: appPort, strictPort: true, host: 'localhost' } })
    : await preview({ preview: { port: appPort, strictPort: true, host: 'localhost' } })
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

/** `npm run dev-server`: starts every endpoint, prints the banner, stops cleanly on Ctrl-C. */
import { CLI_HELP, parseCli } from './cli.ts'
import { formatBanner, startDevServer } from './index.ts'
import { DEV_SERVER_READY } from './inspector-endpoint.ts'

async function main(): Promise<void> {
  let settings
  try {
    settings = parseCli(process.argv.slice(2))
  } catch (err) {
    console.error(`dev-server: ${(err as Error).message}\n\n${CLI_HELP}`)
    process.exitCode = 2
    return
  }
  if (settings.help) {
    console.log(CLI_HELP)
    return
  }
  const server = await startDevServer(settings.options)
  console.log(formatBanner(server, { inspectorUrl: settings.inspectorUrl, locale: settings.locale }))
  // Started by `npm start` (scripts/start.ts) with an IPC channel: tell it where everything listens, for the inspector.
  if (process.send) {
    process.send({ type: DEV_SERVER_READY, controlUrl: server.urls.control, urls: server.urls })
    process.channel?.unref()
  }

  let stoppingSince = 0
  const stop = (signal: string) => {
    if (stoppingSince) {
      // A parent (npm start) may forward a SIGTERM right after the terminal's SIGINT: only a later, deliberate
      // second Ctrl-C forces the exit.
      if (signal === 'SIGINT' && Date.now() - stoppingSince > 500) {
        console.error('dev-server: SIGINT again, exiting now')
        process.exit(130)
      }
      return
    }
    stoppingSince = Date.now()
    console.log(`dev-server: ${signal}, stopping...`)
    setTimeout(() => {
      console.error('dev-server: still stopping after 5 s, exiting anyway')
      process.exit(1)
    }, 5000).unref()
    server.close().then(
      () => {
        console.log('dev-server: stopped')
        process.exit(0)
      },
      (err: unknown) => {
        console.error(`dev-server: error while stopping: ${(err as Error).message}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(`dev-server: ${(err as Error).message}`)
  process.exit(1)
})

/** Command-line and environment settings of `npm run dev-server` (kept apart from main.ts so tests can call it). */
import { parseArgs } from 'node:util'
import { DEFAULT_INSPECTOR_URL } from './banner.ts'
import type { DevServerOptions } from './types.ts'

export interface CliSettings {
  options: DevServerOptions
  inspectorUrl: string
  help: boolean
}

export const CLI_HELP = `Usage: npm run dev-server -- [options]

  --host <address>          interface to bind (default 127.0.0.1; anything else is a warning)   SOCKETLENS_HOST
  --ws-port <n>             raw WebSocket (default 8080)                                         SOCKETLENS_WS_PORT
  --wss-port <n>            secure WebSocket, self-signed (default 8443)                         SOCKETLENS_WSS_PORT
  --socketio-port <n>       Socket.IO v4 (default 3000)                                          SOCKETLENS_SOCKETIO_PORT
  --polling-port <n>        Socket.IO v4, long-polling only (default 3001)                       SOCKETLENS_POLLING_PORT
  --socketio-v2-port <n>    Socket.IO v2 / Engine.IO 3 (default 3002)                            SOCKETLENS_SOCKETIO_V2_PORT
  --control-port <n>        fault-control HTTP API, loopback only (default 3099)                 SOCKETLENS_CONTROL_PORT
  --max-payload <bytes>     largest frame/packet a client may send (default 1048576)             SOCKETLENS_MAX_PAYLOAD
  --max-connections <n>     connections per server (default 1000)                                SOCKETLENS_MAX_CONNECTIONS
  --cors <origins>          comma-separated allowed origins, or * (default *)                    SOCKETLENS_CORS_ORIGINS
  --cert-dir <dir>          where the self-signed certificate is cached                          SOCKETLENS_CERT_DIR
  --admin-token <token>     token the /admin namespace expects (default letmein)                 SOCKETLENS_ADMIN_TOKEN
  --inspector-url <url>     inspector for the deep links (default ${DEFAULT_INSPECTOR_URL})       SOCKETLENS_INSPECTOR_URL
                            (npm start sets SOCKETLENS_APP_URL, used when neither is given)
  --quiet                   do not log connections
  -h, --help                this text

Flags win over environment variables. A port of 0 picks a free one.`

function int(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
  return value
}

/** Reads flags (which win) and SOCKETLENS_* environment variables. Throws with a readable message on bad input. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliSettings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'host': { type: 'string' },
      'ws-port': { type: 'string' },
      'wss-port': { type: 'string' },
      'socketio-port': { type: 'string' },
      'polling-port': { type: 'string' },
      'socketio-v2-port': { type: 'string' },
      'control-port': { type: 'string' },
      'max-payload': { type: 'string' },
      'max-connections': { type: 'string' },
      'cors': { type: 'string' },
      'cert-dir': { type: 'string' },
      'admin-token': { type: 'string' },
      'inspector-url': { type: 'string' },
      'quiet': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  })
  const get = (flag: keyof typeof values, envName: string): string | undefined => {
    const v = values[flag]
    return typeof v === 'string' ? v : env[envName]
  }
  const port = (flag: keyof typeof values, envName: string) => int(`--${flag} / ${envName}`, get(flag, envName), 0, 65535)
  const ports = {
    ws: port('ws-port', 'SOCKETLENS_WS_PORT'),
    wss: port('wss-port', 'SOCKETLENS_WSS_PORT'),
    socketio: port('socketio-port', 'SOCKETLENS_SOCKETIO_PORT'),
    polling: port('polling-port', 'SOCKETLENS_POLLING_PORT'),
    socketioV2: port('socketio-v2-port', 'SOCKETLENS_SOCKETIO_V2_PORT'),
    control: port('control-port', 'SOCKETLENS_CONTROL_PORT'),
  }
  const cors = get('cors', 'SOCKETLENS_CORS_ORIGINS')
  const options: DevServerOptions = {
    host: get('host', 'SOCKETLENS_HOST') || undefined,
    ports: Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)),
    maxPayload: int('--max-payload / SOCKETLENS_MAX_PAYLOAD', get('max-payload', 'SOCKETLENS_MAX_PAYLOAD'), 1, 1024 * 1024 * 1024),
    maxConnections: int('--max-connections / SOCKETLENS_MAX_CONNECTIONS', get('max-connections', 'SOCKETLENS_MAX_CONNECTIONS'), 1, 1_000_000),
    corsOrigins: cors === undefined || cors.trim() === '*' || cors.trim() === '' ? '*' : cors.split(',').map((o) => o.trim()).filter(Boolean),
    certDir: get('cert-dir', 'SOCKETLENS_CERT_DIR') || undefined,
    adminToken: get('admin-token', 'SOCKETLENS_ADMIN_TOKEN') || undefined,
  }
  if (values.quiet) options.log = () => {}
  for (const key of Object.keys(options) as (keyof DevServerOptions)[]) {
    if (options[key] === undefined) delete options[key]
  }
  return {
    options,
    // SOCKETLENS_APP_URL is what `npm start` sets for the inspector it serves.
    inspectorUrl: get('inspector-url', 'SOCKETLENS_INSPECTOR_URL') || env.SOCKETLENS_APP_URL || DEFAULT_INSPECTOR_URL,
    help: values.help === true,
  }
}

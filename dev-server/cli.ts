/** Command-line and environment settings of `npm run dev-server` (kept apart from main.ts so tests can call it). */
import { parseArgs } from 'node:util'
import { DEFAULT_INSPECTOR_URL, bannerLocale, type BannerLocale } from './banner.ts'
import { inspectorOrigins, normalizeOrigin } from './control-access.ts'
import { MAX_CLUSTER_NODES, MIN_CLUSTER_NODES } from './cluster.ts'
import type { DevServerOptions } from './types.ts'

export interface CliSettings {
  options: DevServerOptions
  inspectorUrl: string
  /** The banner's language, from `--lang` or LC_ALL / LC_MESSAGES / LANG; undefined: English. */
  locale?: BannerLocale
  help: boolean
}

export const CLI_HELP = `Usage: npm run dev-server -- [options]

  --host <address>          interface to bind (default 127.0.0.1; anything else is a warning)   SOCKETLENS_HOST
  --ws-port <n>             raw WebSocket, ws:// and wss:// on one port (default 8080)           SOCKETLENS_WS_PORT
  --wss-port <n>            secure WebSocket, self-signed (default 8443)                         SOCKETLENS_WSS_PORT
  --socketio-port <n>       Socket.IO v4 (default 3000)                                          SOCKETLENS_SOCKETIO_PORT
  --polling-port <n>        Socket.IO v4, long-polling only (default 3001)                       SOCKETLENS_POLLING_PORT
  --socketio-v2-port <n>    Socket.IO v2 / Engine.IO 3 (default 3002)                            SOCKETLENS_SOCKETIO_V2_PORT
  --msgpack-port <n>        Socket.IO v4, msgpack parser (default 3003)                          SOCKETLENS_MSGPACK_PORT
  --websocket-only-port <n> Socket.IO v4, WebSocket transport only (default 3004)                SOCKETLENS_WEBSOCKET_ONLY_PORT
  --custom-path-port <n>    Socket.IO v4 on the path /realtime/io (default 3005)                 SOCKETLENS_CUSTOM_PATH_PORT
  --http-only-port <n>      plain HTTP, no WebSocket (default 3006)                              SOCKETLENS_HTTP_ONLY_PORT
  --control-port <n>        fault-control HTTP API, loopback only (default 3099)                 SOCKETLENS_CONTROL_PORT
  --control-origin <origin> a browser origin that may use the control API (repeat, or comma-     SOCKETLENS_CONTROL_ORIGINS
                            separated); the inspector's own origin is always allowed
                            the control token: SOCKETLENS_CONTROL_TOKEN (environment only, so   SOCKETLENS_CONTROL_TOKEN
                            it never shows in a process list; npm start sets a random one;
                            without it the dev server makes one and prints it)
  --max-payload <bytes>     largest frame/packet a client may send (default 1048576)             SOCKETLENS_MAX_PAYLOAD
  --max-connections <n>     connections per server (default 1000)                                SOCKETLENS_MAX_CONNECTIONS
  --cors <origins>          Socket.IO CORS: comma-separated origins, or * (default *)            SOCKETLENS_CORS_ORIGINS
  --handshake-timeout <ms>  time to send request headers / finish TLS (default 10000)            SOCKETLENS_HANDSHAKE_TIMEOUT
  --request-timeout <ms>    time to send a whole request (default 30000)                         SOCKETLENS_REQUEST_TIMEOUT
  --max-pending <n>         unfinished handshakes per server; the oldest is cut (default 1000)   SOCKETLENS_MAX_PENDING
  --cert-dir <dir>          where the self-signed certificate is cached                          SOCKETLENS_CERT_DIR
  --admin-token <token>     token the /admin namespace expects (default letmein)                 SOCKETLENS_ADMIN_TOKEN
  --inspector-url <url>     inspector for the deep links (default ${DEFAULT_INSPECTOR_URL})       SOCKETLENS_INSPECTOR_URL
                            (npm start sets SOCKETLENS_APP_URL, used when neither is given)
  --lang <en|ko>            the banner's language (default: LC_ALL, LC_MESSAGES or LANG;          LANG
                            ko* is Korean, anything else English)
  --cluster <n>             serve Socket.IO v4 (the socketio port) from n nodes, 2-8, behind     SOCKETLENS_CLUSTER
                            one port (Node's cluster, @socket.io/sticky, cluster-adapter);
                            every answer names its node
  --no-sticky               with --cluster: no sticky sessions, requests go round-robin (long-
                            polling then fails with HTTP 400 "Session ID unknown")
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
      'msgpack-port': { type: 'string' },
      'websocket-only-port': { type: 'string' },
      'custom-path-port': { type: 'string' },
      'http-only-port': { type: 'string' },
      'control-port': { type: 'string' },
      'control-origin': { type: 'string', multiple: true },
      'handshake-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      'max-pending': { type: 'string' },
      'max-payload': { type: 'string' },
      'max-connections': { type: 'string' },
      'cors': { type: 'string' },
      'cert-dir': { type: 'string' },
      'admin-token': { type: 'string' },
      'inspector-url': { type: 'string' },
      'lang': { type: 'string' },
      'cluster': { type: 'string' },
      'no-sticky': { type: 'boolean', default: false },
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
    msgpack: port('msgpack-port', 'SOCKETLENS_MSGPACK_PORT'),
    websocketOnly: port('websocket-only-port', 'SOCKETLENS_WEBSOCKET_ONLY_PORT'),
    customPath: port('custom-path-port', 'SOCKETLENS_CUSTOM_PATH_PORT'),
    httpOnly: port('http-only-port', 'SOCKETLENS_HTTP_ONLY_PORT'),
    control: port('control-port', 'SOCKETLENS_CONTROL_PORT'),
  }
  const cors = get('cors', 'SOCKETLENS_CORS_ORIGINS')
  // SOCKETLENS_APP_URL is what `npm start` sets for the inspector it serves.
  const inspectorUrl = get('inspector-url', 'SOCKETLENS_INSPECTOR_URL') || env.SOCKETLENS_APP_URL || DEFAULT_INSPECTOR_URL
  const listed = values['control-origin'] ?? (env.SOCKETLENS_CONTROL_ORIGINS ? [env.SOCKETLENS_CONTROL_ORIGINS] : [])
  const named = listed.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean)
  let controlOrigins: string[]
  try {
    controlOrigins = [...new Set([...inspectorOrigins(inspectorUrl), ...named.map(normalizeOrigin)])]
  } catch (err) {
    throw new Error(`--control-origin / --inspector-url: ${(err as Error).message}`, { cause: err })
  }
  const options: DevServerOptions = {
    host: get('host', 'SOCKETLENS_HOST') || undefined,
    ports: Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)),
    maxPayload: int('--max-payload / SOCKETLENS_MAX_PAYLOAD', get('max-payload', 'SOCKETLENS_MAX_PAYLOAD'), 1, 1024 * 1024 * 1024),
    maxConnections: int('--max-connections / SOCKETLENS_MAX_CONNECTIONS', get('max-connections', 'SOCKETLENS_MAX_CONNECTIONS'), 1, 1_000_000),
    corsOrigins: cors === undefined || cors.trim() === '*' || cors.trim() === '' ? '*' : cors.split(',').map((o) => o.trim()).filter(Boolean),
    certDir: get('cert-dir', 'SOCKETLENS_CERT_DIR') || undefined,
    adminToken: get('admin-token', 'SOCKETLENS_ADMIN_TOKEN') || undefined,
    controlOrigins,
    // Environment only (see CLI_HELP): a flag would show the secret to every user of this machine in `ps`.
    controlToken: env.SOCKETLENS_CONTROL_TOKEN || undefined,
    handshakeTimeoutMs: int('--handshake-timeout / SOCKETLENS_HANDSHAKE_TIMEOUT', get('handshake-timeout', 'SOCKETLENS_HANDSHAKE_TIMEOUT'), 100, 600_000),
    requestTimeoutMs: int('--request-timeout / SOCKETLENS_REQUEST_TIMEOUT', get('request-timeout', 'SOCKETLENS_REQUEST_TIMEOUT'), 100, 3_600_000),
    maxPendingHandshakes: int('--max-pending / SOCKETLENS_MAX_PENDING', get('max-pending', 'SOCKETLENS_MAX_PENDING'), 1, 1_000_000),
  }
  const nodes = int('--cluster / SOCKETLENS_CLUSTER', get('cluster', 'SOCKETLENS_CLUSTER'), MIN_CLUSTER_NODES, MAX_CLUSTER_NODES)
  if (nodes !== undefined) options.cluster = { nodes, sticky: !values['no-sticky'] }
  else if (values['no-sticky']) throw new Error('--no-sticky needs --cluster <n> (2 to 8 nodes)')
  if (values.quiet) options.log = () => {}
  for (const key of Object.keys(options) as (keyof DevServerOptions)[]) {
    if (options[key] === undefined) delete options[key]
  }
  return {
    options,
    inspectorUrl,
    locale: bannerLocale(values.lang, env),
    help: values.help === true,
  }
}

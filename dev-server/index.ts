/**
 * SocketLens dev server: real WebSocket and Socket.IO endpoints for the inspector and its tests.
 *
 *   const server = await startDevServer({ ports: FREE_PORTS, log: () => {} })
 *   // server.urls.ws, server.faults.stallHeartbeats(5000), await server.restart(), await server.close()
 *
 * See dev-server/README.md for every endpoint, event and control route.
 */
import { loadOrCreateCertificate, DEFAULT_CERT_DIR } from './cert.ts'
import { MIN_CONTROL_TOKEN_LENGTH, generateControlToken, normalizeOrigin } from './control-access.ts'
import { runControlAction, startControlServer, type ControlServer, type ControlTarget } from './control.ts'
import { HeartbeatStaller } from './heartbeat.ts'
import { startHttpOnly, type HttpOnlyEndpoint } from './http-only.ts'
import { DEFAULT_SLOW_CLIENT_LIMITS, browserHost, connectHost, isLoopbackHost } from './net-util.ts'
import { startRawWs, type RawWsEndpoint } from './raw-ws.ts'
import { SOCKETIO_VARIANTS, startSocketIo, type SocketIoContext, type SocketIoEndpoint } from './socketio.ts'
import { DEFAULT_RECORD_LIMIT, Recorder } from './record.ts'
import { startSocketIoCluster, validateClusterOptions, type ClusterEndpoint } from './cluster.ts'
import { startSocketIoV2Server, type SocketIoV2Server } from './socketio-v2.ts'
import type {
  DevServer, DevServerFaults, DevServerOptions, DevServerPorts, DevServerStatus, DevServerUrls, ResolvedOptions, RestartOptions,
} from './types.ts'

export type {
  JsonValue, RecordEntry, RecordInput, RecordSnapshot, RecordSocketIoServer, RecordSocketIoEvent, RecordSocketIoConnection,
  RecordSocketIoRoom, RecordWsFrame, RecordWsConnection,
} from './types.ts'
export { DEFAULT_RECORD_LIMIT, jsonSafe } from './record.ts'
export type {
  DevServer, DevServerFaults, DevServerOptions, DevServerPorts, DevServerStatus, DevServerUrls, RestartOptions,
} from './types.ts'
export { formatBanner, deepLink, type BannerOptions } from './banner.ts'
export { CONTROL_ACTIONS } from './control.ts'
export { RAW_WS_PATHS, SUPPORTED_SUBPROTOCOLS } from './raw-ws.ts'
export { CUSTOM_SOCKETIO_PATH, NAMESPACES, ROOM_MESSAGE_EVENT, SOCKETIO_VARIANTS } from './socketio.ts'
export { HTTP_ONLY_PAGE } from './http-only.ts'
export { DEFAULT_SLOW_CLIENT_LIMITS } from './net-util.ts'
export { generateControlToken, inspectorOrigins } from './control-access.ts'
export { SOCKETIO_V2_NAMESPACES } from './socketio-v2.ts'

export const DEFAULT_PORTS: Readonly<Required<DevServerPorts>> = Object.freeze({
  ws: 8080, wss: 8443, socketio: 3000, polling: 3001, socketioV2: 3002, msgpack: 3003, websocketOnly: 3004, customPath: 3005,
  httpOnly: 3006, control: 3099,
})
/** Every port 0: each server on a free port (tests and benchmarks, beside a running `npm start`). */
export const FREE_PORTS: Readonly<Required<DevServerPorts>> = Object.freeze(
  Object.fromEntries(Object.keys(DEFAULT_PORTS).map(name => [name, 0])) as Required<DevServerPorts>,
)
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_ADMIN_TOKEN = 'letmein'
export const DEFAULT_MAX_PAYLOAD = 1_048_576
export const DEFAULT_MAX_CONNECTIONS = 1000

const PORT_NAMES = ['ws', 'wss', 'socketio', 'polling', 'socketioV2', 'msgpack', 'websocketOnly', 'customPath', 'httpOnly', 'control'] as const
type PortName = (typeof PORT_NAMES)[number]

/** Flag and environment variable that set each port (named in errors so a port conflict says how to fix it). */
export const PORT_SETTINGS: Record<PortName, { flag: string; env: string }> = {
  ws: { flag: '--ws-port', env: 'SOCKETLENS_WS_PORT' },
  wss: { flag: '--wss-port', env: 'SOCKETLENS_WSS_PORT' },
  socketio: { flag: '--socketio-port', env: 'SOCKETLENS_SOCKETIO_PORT' },
  polling: { flag: '--polling-port', env: 'SOCKETLENS_POLLING_PORT' },
  socketioV2: { flag: '--socketio-v2-port', env: 'SOCKETLENS_SOCKETIO_V2_PORT' },
  msgpack: { flag: '--msgpack-port', env: 'SOCKETLENS_MSGPACK_PORT' },
  websocketOnly: { flag: '--websocket-only-port', env: 'SOCKETLENS_WEBSOCKET_ONLY_PORT' },
  customPath: { flag: '--custom-path-port', env: 'SOCKETLENS_CUSTOM_PATH_PORT' },
  httpOnly: { flag: '--http-only-port', env: 'SOCKETLENS_HTTP_ONLY_PORT' },
  control: { flag: '--control-port', env: 'SOCKETLENS_CONTROL_PORT' },
}

function resolveOptions(options: DevServerOptions): ResolvedOptions {
  const ports = { ...DEFAULT_PORTS, ...options.ports }
  for (const name of PORT_NAMES) {
    const port = ports[name]
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`ports.${name} must be an integer from 0 to 65535, got ${port}`)
  }
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`)
    return Math.floor(v)
  }
  const corsOrigins = options.corsOrigins ?? '*'
  if (corsOrigins !== '*' && !Array.isArray(corsOrigins)) throw new TypeError('corsOrigins must be "*" or an array of origins')
  if (options.controlOrigins !== undefined && !Array.isArray(options.controlOrigins)) throw new TypeError('controlOrigins must be an array of origins')
  const controlOrigins = [...new Set((options.controlOrigins ?? []).map(normalizeOrigin))]
  const controlToken = options.controlToken ?? generateControlToken()
  if (typeof controlToken !== 'string' || controlToken.trim().length < MIN_CONTROL_TOKEN_LENGTH || /\s/.test(controlToken)) {
    throw new RangeError(`controlToken must be at least ${MIN_CONTROL_TOKEN_LENGTH} characters without spaces (leave it out for a random one)`)
  }
  const handshakeTimeoutMs = positive('handshakeTimeoutMs', options.handshakeTimeoutMs, DEFAULT_SLOW_CLIENT_LIMITS.handshakeTimeoutMs)
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs, Math.max(handshakeTimeoutMs, DEFAULT_SLOW_CLIENT_LIMITS.requestTimeoutMs))
  // Node refuses a header timeout longer than the request timeout.
  if (requestTimeoutMs < handshakeTimeoutMs) throw new RangeError(`requestTimeoutMs (${requestTimeoutMs}) must be at least handshakeTimeoutMs (${handshakeTimeoutMs})`)
  return {
    host: options.host ?? DEFAULT_HOST,
    ports,
    maxPayload: positive('maxPayload', options.maxPayload, DEFAULT_MAX_PAYLOAD),
    maxConnections: positive('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS),
    corsOrigins,
    controlOrigins,
    controlToken,
    limits: {
      handshakeTimeoutMs,
      requestTimeoutMs,
      maxPendingHandshakes: positive('maxPendingHandshakes', options.maxPendingHandshakes, DEFAULT_SLOW_CLIENT_LIMITS.maxPendingHandshakes),
    },
    certDir: options.certDir ?? DEFAULT_CERT_DIR,
    pingInterval: positive('pingInterval', options.pingInterval, 25_000),
    pingTimeout: positive('pingTimeout', options.pingTimeout, 20_000),
    tickerIntervalMs: positive('tickerIntervalMs', options.tickerIntervalMs, 1000),
    adminToken: options.adminToken ?? DEFAULT_ADMIN_TOKEN,
    recordLimit: positive('recordLimit', options.recordLimit, DEFAULT_RECORD_LIMIT),
  }
}

function portInUse(err: unknown, name: PortName, port: number): Error {
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'EADDRINUSE') {
    const { flag, env } = PORT_SETTINGS[name]
    return new Error(`port ${port} (${name}) is already in use: stop what holds it, or choose another port with ${flag} or ${env}`, { cause: err })
  }
  return e instanceof Error ? e : new Error(String(err))
}

interface Endpoints {
  ws: RawWsEndpoint
  wss: RawWsEndpoint
  /** N worker processes behind one port with `cluster` (cluster.ts), else the one in-process server. */
  socketio: SocketIoEndpoint | ClusterEndpoint
  polling: SocketIoEndpoint
  /** Socket.IO v2 (Engine.IO 3): its own module, so only kill/restart/close reach it (see README, fault controls). */
  socketioV2: SocketIoV2Server
  msgpack: SocketIoEndpoint
  websocketOnly: SocketIoEndpoint
  customPath: SocketIoEndpoint
  httpOnly: HttpOnlyEndpoint
}

/** The Socket.IO v4 servers, each a variant of the same setup (socketio.ts). */
const V4_SERVERS = ['socketio', 'polling', 'msgpack', 'websocketOnly', 'customPath'] as const satisfies readonly (keyof typeof SOCKETIO_VARIANTS & keyof Endpoints)[]

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.log(line))
  const resolved = resolveOptions(options)
  const clusterOptions = options.cluster ? validateClusterOptions(options.cluster) : undefined
  const { host } = resolved
  if (!isLoopbackHost(host)) {
    log(`WARNING: binding to ${host} exposes the dev server (echo endpoints, Socket.IO) beyond this machine. The control API stays on loopback.`)
  }
  const certificate = await loadOrCreateCertificate(resolved.certDir, log)
  const startedAt = Date.now()
  const ports: Required<DevServerPorts> = { ...resolved.ports }
  const timers = new Set<NodeJS.Timeout>()
  let endpoints: Endpoints | undefined
  let refuseUpgrade = false
  let restarts = 0
  const recorder = new Recorder(resolved.recordLimit)
  let connections = 0
  let closed = false
  let chain: Promise<void> = Promise.resolve()

  const socketioEndpoints = () => (endpoints ? V4_SERVERS.map((name) => endpoints![name]) : [])
  const clusterEndpoint = (): ClusterEndpoint | undefined => (endpoints && !('engineSockets' in endpoints.socketio) ? endpoints.socketio : undefined)
  const sessionsOf = (endpoint: SocketIoEndpoint | ClusterEndpoint | undefined) => (!endpoint ? 0 : 'engineSockets' in endpoint ? endpoint.engineSockets.size : endpoint.sessions)
  const rawEndpoints = () => (endpoints ? [endpoints.ws, endpoints.wss] : [])
  const staller = new HeartbeatStaller(log, function* engineSockets() {
    for (const endpoint of socketioEndpoints()) if ('engineSockets' in endpoint) yield* endpoint.engineSockets
  })

  /** Sleeps that close() cuts short (a restart's downtime). */
  const sleepers = new Set<() => void>()
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer)
      sleepers.delete(wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    sleepers.add(wake)
  })

  const schedule = (run: () => void, ms = 50) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!closed) run()
    }, ms)
    timers.add(timer)
  }

  const faults: DevServerFaults = {
    killSockets() {
      log('[fault] kill-sockets: cutting every connection')
      for (const endpoint of [...rawEndpoints(), ...socketioEndpoints()]) endpoint.kill()
      endpoints?.socketioV2.kill()
      endpoints?.httpOnly.kill()
    },
    stallHeartbeats(ms: number) {
      staller.stall(ms)
      clusterEndpoint()?.stallHeartbeats(ms)
    },
    refuseUpgrade(on: boolean) {
      refuseUpgrade = on
      clusterEndpoint()?.refuseUpgrade(on)
      log(`[fault] refuse-upgrade ${on ? 'on: WebSocket upgrades are refused' : 'off'}`)
    },
    closeAllWebSockets(code: number, reason?: string) {
      log(`[fault] close-websockets ${code}${reason ? ` ${reason}` : ''}`)
      for (const endpoint of rawEndpoints()) endpoint.closeAll(code, reason)
      for (const endpoint of socketioEndpoints()) endpoint.closeWebSockets(code, reason)
    },
    disconnectSockets() {
      log('[fault] disconnect-sockets')
      for (const endpoint of socketioEndpoints()) endpoint.disconnectAll()
    },
  }

  const urlHost = connectHost(host)
  const controlHost = isLoopbackHost(host) ? host : '127.0.0.1'
  const urls = (): DevServerUrls => ({
    ws: `ws://${urlHost}:${ports.ws}`,
    wss: `wss://${urlHost}:${ports.wss}`,
    socketio: `http://${urlHost}:${ports.socketio}`,
    polling: `http://${urlHost}:${ports.polling}`,
    socketioV2: `http://${urlHost}:${ports.socketioV2}`,
    wsTls: `wss://${urlHost}:${ports.ws}`,
    msgpack: `http://${urlHost}:${ports.msgpack}`,
    websocketOnly: `http://${urlHost}:${ports.websocketOnly}`,
    customPath: `http://${urlHost}:${ports.customPath}`,
    httpOnly: `http://${urlHost}:${ports.httpOnly}`,
    control: `http://${connectHost(controlHost)}:${ports.control}`,
    silent: `ws://${urlHost}:${ports.ws}/silent`,
  })

  const status = (): DevServerStatus => ({
    host,
    ports: { ...ports },
    urls: urls(),
    startedAt,
    restarts,
    maxPayload: resolved.maxPayload,
    maxConnections: resolved.maxConnections,
    connections: {
      ws: endpoints?.ws.clients.size ?? 0,
      wss: endpoints?.wss.clients.size ?? 0,
      socketio: sessionsOf(endpoints?.socketio),
      polling: endpoints?.polling.engineSockets.size ?? 0,
      socketioV2: endpoints?.socketioV2.sessions ?? 0,
      msgpack: endpoints?.msgpack.engineSockets.size ?? 0,
      websocketOnly: endpoints?.websocketOnly.engineSockets.size ?? 0,
      customPath: endpoints?.customPath.engineSockets.size ?? 0,
    },
    pendingHandshakes: [...rawEndpoints(), ...socketioEndpoints()].reduce((sum, endpoint) => sum + endpoint.pendingHandshakes, 0),
    faults: { refuseUpgrade, heartbeatsStalledUntil: staller.stalledUntil },
    ...(clusterOptions ? { cluster: { sticky: clusterOptions.sticky, nodes: clusterEndpoint()?.nodes ?? [] } } : {}),
  })

  const target: ControlTarget = {
    faults,
    status,
    restart: (o) => restart(o),
    record: (since) => recorder.read(since),
    clearRecord: () => recorder.clear(),
  }
  const socketioContext: SocketIoContext = {
    log,
    options: resolved,
    startedAt,
    isUpgradeRefused: () => refuseUpgrade,
    onEngineSocket: (socket) => staller.onEngineSocket(socket),
    control: (action, params, via) => runControlAction(target, action, params, via === 'socket' ? (run) => schedule(run) : undefined),
    controlAccess: { token: resolved.controlToken, origins: resolved.controlOrigins },
    record: recorder,
  }
  const rawContext = {
    record: recorder,
    nextConnection: () => ++connections,
    log,
    maxPayload: resolved.maxPayload,
    maxConnections: resolved.maxConnections,
    limits: resolved.limits,
    isUpgradeRefused: () => refuseUpgrade,
  }

  async function startEndpoints(): Promise<void> {
    const started: Partial<Endpoints> = {}
    const attempt = <K extends keyof Endpoints>(name: K, start: () => Promise<Endpoints[K]>) =>
      start().then(
        (endpoint) => {
          started[name] = endpoint
          ports[name] = endpoint.port
        },
        (err: unknown) => {
          throw portInUse(err, name, ports[name])
        },
      )
    const results = await Promise.allSettled([
      // The study note's secure echo server listens on 8080 over TLS: that port answers ws:// and wss:// alike.
      attempt('ws', () => startRawWs({ schemes: 'both', host, port: ports.ws, tls: certificate, context: rawContext })),
      attempt('wss', () => startRawWs({ schemes: 'tls', host, port: ports.wss, tls: certificate, context: rawContext })),
      ...V4_SERVERS.map((name) => attempt(name, () => (name === 'socketio' && clusterOptions
        ? startSocketIoCluster({
          cluster: clusterOptions,
          host,
          port: ports.socketio,
          resolved,
          startedAt,
          log,
          recorder,
          refuseUpgrade: () => refuseUpgrade,
          control: (action, params) => runControlAction(target, action, params, (run) => schedule(run)),
        })
        : startSocketIo({ name, variant: SOCKETIO_VARIANTS[name], host, port: ports[name], context: socketioContext })))),
      attempt('httpOnly', () => startHttpOnly({ host, port: ports.httpOnly, limits: resolved.limits, maxConnections: resolved.maxConnections, log })),
      attempt('socketioV2', () => startSocketIoV2Server({
        host,
        port: ports.socketioV2,
        log,
        pingInterval: resolved.pingInterval,
        pingTimeout: resolved.pingTimeout,
        adminToken: resolved.adminToken,
        limits: resolved.limits,
      })),
    ])
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failure) {
      await Promise.allSettled(Object.values(started).map((endpoint) => endpoint.close()))
      throw failure.reason
    }
    endpoints = started as Endpoints
  }

  async function stopEndpoints(): Promise<void> {
    const current = endpoints
    endpoints = undefined
    if (!current) return
    await Promise.allSettled(Object.values(current).map((endpoint: Endpoints[keyof Endpoints]) => endpoint.close()))
  }

  function restart(restartOptions?: RestartOptions): Promise<void> {
    const downtime = Math.max(0, Math.min(60_000, Math.floor(restartOptions?.downtimeMs ?? 0)))
    const run = async () => {
      if (closed) throw new Error('the dev server is closed')
      log(`[restart] stopping every server but the control API${downtime ? ` for ${downtime} ms` : ''}`)
      await stopEndpoints()
      if (downtime) await sleep(downtime)
      if (closed) return
      // The ports were just released; should another process grab one in that instant, retry briefly.
      for (let attempt = 1; ; attempt++) {
        try {
          await startEndpoints()
          break
        } catch (err) {
          if (closed || attempt >= 5) throw err
          log(`[restart] ${(err as Error).message}; retrying`)
          await sleep(200)
        }
      }
      restarts++
      log(`[restart] listening again on the same ports (restart #${restarts})`)
    }
    const next = chain.then(run, run)
    chain = next.catch(() => {})
    return next
  }

  await startEndpoints()
  let control: ControlServer
  try {
    control = await startControlServer({
      host: controlHost,
      port: ports.control,
      access: { token: resolved.controlToken, origins: resolved.controlOrigins },
      // The configured host under the names a client may use for it (the control API itself is on loopback).
      hostNames: [...new Set([controlHost, connectHost(controlHost), browserHost(host)])],
      limits: resolved.limits,
      log,
      target,
    }).catch((err: unknown) => {
      throw portInUse(err, 'control', ports.control)
    })
  } catch (err) {
    await stopEndpoints()
    throw err
  }
  ports.control = control.port

  const server: DevServer = {
    ports,
    get urls() {
      return urls()
    },
    tls: { cert: certificate.cert, certFile: certificate.file },
    adminToken: resolved.adminToken,
    controlToken: resolved.controlToken,
    controlOrigins: resolved.controlOrigins,
    faults,
    status,
    restart,
    get cluster() {
      const endpoint = clusterEndpoint()
      return clusterOptions ? { sticky: clusterOptions.sticky, nodes: endpoint?.nodes ?? [] } : undefined
    },
    record: (since?: number) => recorder.read(since),
    clearRecord: () => recorder.clear(),
    async close() {
      if (closed) return chain
      closed = true
      const pending = chain
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const wake of [...sleepers]) wake()
      staller.dispose()
      await pending.catch(() => {})
      await Promise.allSettled([stopEndpoints(), control.close()])
    },
  }
  return server
}

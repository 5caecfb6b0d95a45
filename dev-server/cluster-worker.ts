/**
 * One node of the clustered Socket.IO v4 endpoint (see cluster.ts): the same server as port 3000 unclustered
 * (`startSocketIo`, every namespace and handler), with the cluster adapter, `node` in its answers, and its connections
 * handed over by the primary (@socket.io/sticky's setupWorker). Started by `cluster.fork()` only.
 */
import cluster from 'node:cluster'
import { createAdapter } from '@socket.io/cluster-adapter'
import { setupWorker } from '@socket.io/sticky'
import type { Server } from 'socket.io'
import type { PrimaryToWorker, WorkerConfig, WorkerToPrimary } from './cluster.ts'
import type { ControlResult } from './control.ts'
import { HeartbeatStaller } from './heartbeat.ts'
import { RecordIpcSink, type RecordIpcMessage } from './record.ts'
import { SOCKETIO_VARIANTS, startSocketIo, type SocketIoContext, type SocketIoEndpoint } from './socketio.ts'
import type { ResolvedOptions } from './types.ts'

if (!cluster.isWorker || !process.send) {
  console.error('dev-server/cluster-worker.ts is started by the clustered dev server (npm run dev-server -- --cluster N), not by hand')
  process.exit(2)
}

const node = Number(process.env.SOCKETLENS_CLUSTER_NODE)
const toPrimary = (message: WorkerToPrimary | RecordIpcMessage) => {
  if (process.connected) process.send!(message, undefined, {}, () => {})
}

let endpoint: SocketIoEndpoint | undefined
let refuseUpgrade = false
let nextControl = 0
const controlCalls = new Map<number, (result: ControlResult) => void>()

async function start(config: WorkerConfig): Promise<void> {
  refuseUpgrade = config.refuseUpgrade
  const log = (line: string) => toPrimary({ type: 'socketlens:log', line: line.replace(/^\[socket\.io\]/, `[socket.io node ${node}]`) })
  const staller = new HeartbeatStaller(log, function* engineSockets() {
    if (endpoint) yield* endpoint.engineSockets
  })
  const context: SocketIoContext = {
    log,
    options: config.options as ResolvedOptions,
    startedAt: config.startedAt,
    isUpgradeRefused: () => refuseUpgrade,
    onEngineSocket: (socket) => {
      staller.onEngineSocket(socket)
      reportSessions()
      socket.once('close', () => setImmediate(reportSessions))
    },
    // The `__control` namespace of a node runs its actions in the primary, which owns every server.
    control: (action, params) => new Promise((resolve) => {
      const id = ++nextControl
      controlCalls.set(id, resolve)
      toPrimary({ type: 'socketlens:control', id, action, params })
    }),
    controlAccess: { token: config.options.controlToken, origins: config.options.controlOrigins },
    record: new RecordIpcSink(toPrimary),
    node,
  }
  const variant = { ...SOCKETIO_VARIANTS.socketio, label: `socket.io node ${node}` }
  endpoint = await startSocketIo({
    name: 'socketio',
    variant,
    host: config.host,
    port: 0,
    context,
    serverOptions: { adapter: createAdapter() },
    setup: (io: Server) => {
      const before = new Set(io.engine.listeners('connection'))
      setupWorker(io)
      if (!config.sticky) {
        // No sticky sessions: do not tell the primary which sessions live here, so it routes every request round-robin.
        for (const listener of io.engine.listeners('connection')) {
          if (!before.has(listener)) io.engine.off('connection', listener as (...args: unknown[]) => void)
        }
      }
      return false
    },
  })
  process.on('message', (message: PrimaryToWorker) => {
    if (message?.type === 'socketlens:control-result') {
      controlCalls.get(message.id)?.(message.result)
      controlCalls.delete(message.id)
      return
    }
    if (message?.type !== 'socketlens:fault' || !endpoint) return
    switch (message.op) {
      case 'kill':
        endpoint.kill()
        break
      case 'disconnect':
        endpoint.disconnectAll()
        break
      case 'close-websockets':
        endpoint.closeWebSockets(message.code ?? 1000, message.reason)
        break
      case 'refuse-upgrade':
        refuseUpgrade = !!message.on
        break
      case 'stall':
        staller.stall(message.ms ?? 0)
        break
    }
  })
  const stop = () => {
    staller.dispose()
    const done = () => process.exit(0)
    setTimeout(done, 2000).unref()
    void endpoint?.close().then(done, done)
  }
  process.once('SIGTERM', stop)
  process.on('SIGINT', () => {
    // Ctrl-C in a terminal reaches the whole process group: the primary decides when the nodes stop.
  })
}

function reportSessions(): void {
  if (!endpoint) return
  toPrimary({ type: 'socketlens:sessions', node, count: endpoint.engineSockets.size, pending: endpoint.pendingHandshakes })
}

process.on('message', function onConfig(message: PrimaryToWorker) {
  if (message?.type !== 'socketlens:config') return
  process.off('message', onConfig)
  start(message.config).then(
    () => toPrimary({ type: 'socketlens:ready', node, port: 0 }),
    (err: unknown) => {
      toPrimary({ type: 'socketlens:failed', node, error: (err as Error).message })
      process.exit(1)
    },
  )
})
toPrimary({ type: 'socketlens:hello', node })

/**
 * The clustered Socket.IO v4 endpoint (`--cluster N`, issue 13): N worker processes (Node's `cluster`) behind one
 * port, with Socket.IO's own packages: `@socket.io/sticky` routes every HTTP request of a session to the worker that
 * holds it (by its `sid`), `@socket.io/cluster-adapter` carries rooms and broadcasts between the workers.
 *
 * `sticky: false` keeps the same primary but the workers never tell it which sessions they hold, so every request is
 * routed round-robin, as by a load balancer without session affinity: the polls and POSTs of a long-polling session
 * land on other nodes, which answer HTTP 400 `{"code":1,"message":"Session ID unknown"}`. (setupWorker also turns
 * HTTP keep-alive off, so each request is routed on its own.)
 *
 * The workers run dev-server/cluster-worker.ts under tsx; they get their settings over IPC (the control token never
 * goes through the environment), send their log lines, session counts and record entries to the primary, and take
 * the fault controls from it. One clustered endpoint per process at a time: Node's `cluster` is process-wide.
 */
import cluster, { type Worker } from 'node:cluster'
import { createServer, type Server as HttpServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setupPrimary as setupAdapterPrimary } from '@socket.io/cluster-adapter'
import { setupMaster } from '@socket.io/sticky'
import { ConnectionTracker, closeServer, listen } from './net-util.ts'
import { isRecordIpcMessage, type Recorder } from './record.ts'
import type { ControlResult } from './control.ts'
import type { Log, ResolvedOptions } from './types.ts'

export const MIN_CLUSTER_NODES = 2
export const MAX_CLUSTER_NODES = 8

export interface ClusterOptions {
  /** Worker nodes, 2–8. */
  nodes: number
  /** Sticky sessions (default true); false routes every request round-robin. */
  sticky?: boolean
}

/** What a worker needs, sent over IPC once it is up. */
export interface WorkerConfig {
  node: number
  sticky: boolean
  host: string
  options: Omit<ResolvedOptions, 'limits'> & { limits: ResolvedOptions['limits'] }
  startedAt: number
  refuseUpgrade: boolean
}

/** Messages between the primary and the workers (besides sticky's, the adapter's and the record's). */
export type PrimaryToWorker =
  | { type: 'socketlens:config'; config: WorkerConfig }
  | { type: 'socketlens:fault'; op: 'kill' | 'disconnect' | 'refuse-upgrade' | 'stall' | 'close-websockets'; on?: boolean; ms?: number; code?: number; reason?: string }
  | { type: 'socketlens:control-result'; id: number; result: ControlResult }
export type WorkerToPrimary =
  | { type: 'socketlens:hello'; node: number }
  | { type: 'socketlens:ready'; node: number; port: number }
  | { type: 'socketlens:failed'; node: number; error: string }
  | { type: 'socketlens:log'; line: string }
  | { type: 'socketlens:sessions'; node: number; count: number; pending: number }
  | { type: 'socketlens:control'; id: number; action: string; params: Record<string, unknown> }

export interface ClusterNodeInfo {
  node: number
  pid: number
  sessions: number
}

export interface ClusterEndpoint {
  readonly port: number
  readonly nodes: ClusterNodeInfo[]
  readonly sticky: boolean
  readonly sessions: number
  readonly pendingHandshakes: number
  kill(): void
  closeWebSockets(code: number, reason?: string): void
  disconnectAll(): void
  refuseUpgrade(on: boolean): void
  stallHeartbeats(ms: number): void
  close(): Promise<void>
}

let running = false
let adapterPrimaryReady = false

/** The tsx loader for the workers (`node --import <loader> cluster-worker.ts`), found from this package's tsx. */
function tsxLoader(): string {
  const require = createRequire(import.meta.url)
  return pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href
}

export function validateClusterOptions(cluster: ClusterOptions): Required<ClusterOptions> {
  const { nodes } = cluster
  if (!Number.isInteger(nodes) || nodes < MIN_CLUSTER_NODES || nodes > MAX_CLUSTER_NODES) {
    throw new RangeError(`cluster nodes must be an integer from ${MIN_CLUSTER_NODES} to ${MAX_CLUSTER_NODES}, got ${nodes}`)
  }
  return { nodes, sticky: cluster.sticky ?? true }
}

export async function startSocketIoCluster(options: {
  cluster: Required<ClusterOptions>
  host: string
  port: number
  resolved: ResolvedOptions
  startedAt: number
  log: Log
  recorder: Recorder
  refuseUpgrade: () => boolean
  control: (action: string, params: Record<string, unknown>) => Promise<ControlResult>
}): Promise<ClusterEndpoint> {
  if (!cluster.isPrimary) throw new Error('a clustered dev server must be started from the primary process')
  if (running) throw new Error('only one clustered dev server can run in a process at a time (Node\'s cluster module is process-wide)')
  running = true
  const { log, recorder } = options
  const { nodes: count, sticky } = options.cluster
  const workers = new Map<number, { worker: Worker; node: number; sessions: number; pending: number; ready: boolean }>()
  let closing = false

  // Socket.IO's own primaries: sticky routing on our HTTP server, and the adapter's message relay (process-wide,
  // installed once; it relays between whichever workers exist).
  const httpServer: HttpServer = createServer()
  const tracker = new ConnectionTracker()
  tracker.track(httpServer)
  const before = new Set(cluster.listeners('message'))
  setupMaster(httpServer, { loadBalancingMethod: 'round-robin' })
  const stickyListeners = cluster.listeners('message').filter((l) => !before.has(l))
  if (!adapterPrimaryReady) {
    setupAdapterPrimary()
    adapterPrimaryReady = true
  }

  const onMessage = (worker: Worker, message: unknown) => {
    const entry = [...workers.values()].find((w) => w.worker === worker)
    if (!entry) return
    if (isRecordIpcMessage(message)) {
      if (message.op === 'add' && message.entry) recorder.addForwarded(message.entry, message.key)
      else if (message.op === 'acked' && message.key) recorder.markAcked(message.key)
      return
    }
    const m = message as WorkerToPrimary
    switch (m?.type) {
      case 'socketlens:log':
        log(m.line)
        break
      case 'socketlens:sessions':
        entry.sessions = m.count
        entry.pending = m.pending
        break
      case 'socketlens:control':
        options.control(m.action, m.params).then(
          (result) => send(worker, { type: 'socketlens:control-result', id: m.id, result }),
          (err: unknown) => send(worker, { type: 'socketlens:control-result', id: m.id, result: { status: 500, body: { ok: false, error: (err as Error).message } } }),
        )
        break
    }
  }
  cluster.on('message', onMessage)

  const send = (worker: Worker, message: PrimaryToWorker) => {
    if (worker.isConnected()) worker.send(message, () => {})
  }
  const broadcast = (message: PrimaryToWorker) => {
    for (const { worker } of workers.values()) send(worker, message)
  }

  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./cluster-worker.ts', import.meta.url)),
    execArgv: ['--import', tsxLoader()],
    args: [],
    // Buffers stay Buffers over IPC (sticky forwards request chunks, the adapter binary packets).
    serialization: 'advanced',
  })

  const startWorker = (node: number) => new Promise<void>((resolve, reject) => {
    const worker = cluster.fork({ SOCKETLENS_CLUSTER_NODE: String(node) })
    const entry = { worker, node, sessions: 0, pending: 0, ready: false }
    workers.set(node, entry)
    const timer = setTimeout(() => reject(new Error(`cluster node ${node} did not start within 30 s`)), 30_000)
    worker.on('message', (message: WorkerToPrimary) => {
      if (message?.type === 'socketlens:ready' && message.node === node) {
        clearTimeout(timer)
        entry.ready = true
        resolve()
      } else if (message?.type === 'socketlens:failed' && message.node === node) {
        clearTimeout(timer)
        reject(new Error(`cluster node ${node} failed to start: ${message.error}`))
      }
    })
    // Asked for by the worker once its modules are loaded (a message sent earlier, at 'online', would be lost).
    worker.on('message', (message: WorkerToPrimary) => {
      if (message?.type !== 'socketlens:hello') return
      const { limits, ...rest } = options.resolved
      send(worker, {
        type: 'socketlens:config',
        config: { node, sticky, host: options.host, options: { ...rest, limits }, startedAt: options.startedAt, refuseUpgrade: options.refuseUpgrade() },
      })
    })
    worker.once('exit', (code, signal) => {
      clearTimeout(timer)
      workers.delete(node)
      if (!closing) {
        log(`[socket.io cluster] node ${node} (pid ${worker.process.pid}) exited (${signal ?? code}); the other nodes go on`)
        reject(new Error(`cluster node ${node} exited (${signal ?? code}) while starting`))
      }
    })
  })

  const stopWorkers = () => Promise.all([...workers.values()].map(({ worker }) => new Promise<void>((resolve) => {
    if (worker.isDead()) return resolve()
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), 3000)
    worker.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    worker.process.kill('SIGTERM')
  })))

  const cleanup = async () => {
    closing = true
    // Stop taking connections first: one handed to a node that is on its way out would hang until the client's timeout.
    await closeServer(httpServer, tracker)
    await stopWorkers()
    workers.clear()
    cluster.off('message', onMessage)
    for (const listener of stickyListeners) cluster.off('message', listener as (...args: unknown[]) => void)
    running = false
  }

  let port: number
  try {
    await Promise.all(Array.from({ length: count }, (_, i) => startWorker(i + 1)))
    port = await listen(httpServer, options.port, options.host)
  } catch (err) {
    await cleanup()
    throw err
  }
  log(`[socket.io cluster] ${count} nodes on port ${port}, ${sticky ? 'sticky sessions (@socket.io/sticky)' : 'NO sticky sessions: requests go round-robin'}`)

  return {
    port,
    sticky,
    get nodes() {
      return [...workers.values()].sort((a, b) => a.node - b.node).map((w) => ({ node: w.node, pid: w.worker.process.pid ?? 0, sessions: w.sessions }))
    },
    get sessions() {
      return [...workers.values()].reduce((sum, w) => sum + w.sessions, 0)
    },
    get pendingHandshakes() {
      return [...workers.values()].reduce((sum, w) => sum + w.pending, 0)
    },
    kill() {
      tracker.destroyAll()
      broadcast({ type: 'socketlens:fault', op: 'kill' })
    },
    closeWebSockets(code, reason) {
      broadcast({ type: 'socketlens:fault', op: 'close-websockets', code, reason })
    },
    disconnectAll() {
      broadcast({ type: 'socketlens:fault', op: 'disconnect' })
    },
    refuseUpgrade(on) {
      broadcast({ type: 'socketlens:fault', op: 'refuse-upgrade', on })
    },
    stallHeartbeats(ms) {
      broadcast({ type: 'socketlens:fault', op: 'stall', ms })
    },
    close: cleanup,
  }
}

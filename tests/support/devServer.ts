/** Shared helpers for the dev-server suite: free ports, real clients, child processes, and waits that fail with a reason. */
import { spawn, type SpawnOptions } from 'node:child_process'
import { afterAll, beforeAll } from 'vitest'
import { io as ioClient, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import WebSocket from 'ws'
import { FREE_PORTS, startDevServer, type DevServer, type DevServerOptions } from '../../dev-server/index.ts'

export { FREE_PORTS }

export function startTestServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({ log: () => {}, ...options, ports: { ...FREE_PORTS, ...options.ports } })
}

/**
 * The suite's own real dev server (free ports): started before its first test, closed after its last, once the
 * clients and probes of `sioClient` and `probe` still open are closed. Call it where `beforeAll` would go, at a file's
 * top level or in a `describe`; it returns a getter for the running server. `options` may be a function, read as the
 * server starts, for what an earlier `beforeAll` makes (a port). The suite's `afterAll` hooks registered after this
 * call run before the server closes (vitest runs them as a stack).
 */
export function useDevServer(options: DevServerOptions | (() => DevServerOptions) = {}): () => DevServer {
  let server: DevServer | undefined
  beforeAll(async () => {
    server = await startTestServer(typeof options === 'function' ? options() : options)
  })
  afterAll(async () => {
    closeAllClients()
    closeAllProbes()
    await server?.close()
    server = undefined
  })
  return () => {
    if (!server) throw new Error('the dev server of useDevServer runs from its suite\'s beforeAll to its afterAll only')
    return server
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves with `fn()`'s value once it is truthy; rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export function once<T = unknown>(emitter: { once(event: string, fn: (...args: never[]) => void): unknown }, event: string, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), timeoutMs)
    emitter.once(event, ((...args: T[]) => {
      clearTimeout(timer)
      resolve(args)
    }) as (...args: never[]) => void)
  })
}

export interface Received { data: string | Buffer; binary: boolean }

/** A `ws` client that records every message and its close. */
export class WsProbe {
  readonly ws: WebSocket
  readonly messages: Received[] = []
  closed: { code: number; reason: string } | undefined
  error: Error | undefined
  readonly opened: Promise<void>
  readonly done: Promise<{ code: number; reason: string }>

  constructor(url: string, protocols?: string | string[], options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, protocols, options)
    this.ws.on('message', (data: Buffer, binary: boolean) => this.messages.push({ data: binary ? data : data.toString(), binary }))
    this.ws.on('error', (err) => {
      this.error = err
    })
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('error', reject)
      this.ws.once('close', () => reject(new Error('closed before open')))
    })
    this.opened.catch(() => {})
    this.done = new Promise((resolve) => {
      this.ws.once('close', (code: number, reason: Buffer) => {
        this.closed = { code, reason: reason.toString() }
        resolve(this.closed)
      })
    })
  }

  /** Waits for at least `n` messages and returns the first `n`. */
  async take(n: number, timeoutMs = 5000): Promise<Received[]> {
    await waitFor(`${n} messages (have ${this.messages.length})`, () => this.messages.length >= n, timeoutMs)
    return this.messages.slice(0, n)
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.terminate()
  }
}

const probes = new Set<WsProbe>()

/** A `WsProbe` that `closeAllProbes()` closes. `servername` (SNI) is one of the TLS options `ws` hands to tls.connect. */
export function probe(url: string, protocols?: string | string[], options: WebSocket.ClientOptions & { servername?: string } = {}): WsProbe {
  const p = new WsProbe(url, protocols, options)
  probes.add(p)
  return p
}

export function closeAllProbes(): void {
  for (const p of probes) p.close()
  probes.clear()
}

/** Opens a `ws` connection expecting the handshake to fail; resolves with the HTTP status and body. */
export function expectUnexpectedResponse(url: string, protocols?: string | string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols)
    ws.on('open', () => {
      ws.terminate()
      reject(new Error('the handshake unexpectedly succeeded'))
    })
    ws.on('error', () => {})
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
        ws.terminate()
      })
    })
  })
}

const sockets = new Set<Socket>()

/** A socket.io-client socket that the suite closes in `closeAllClients()`; `autoConnect` stays on. */
export function sioClient(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const socket = ioClient(url, { forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200, timeout: 3000, ...options })
  sockets.add(socket)
  return socket
}

export function closeAllClients(): void {
  for (const socket of sockets) {
    socket.io.opts.reconnection = false
    socket.io.reconnection(false)
    socket.disconnect()
    socket.io.engine?.close()
  }
  sockets.clear()
}

export async function connected(socket: Socket, timeoutMs = 5000): Promise<void> {
  if (socket.connected) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for connect')), timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.once('connect_error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

/**
 * Every call of `event` with its arguments. With connection state recovery on, Socket.IO appends the packet's offset
 * (a string) as an extra last argument of every plain (non-binary, no-ack) event, so tests look at `args[0]`.
 */
export function record(socket: Socket, event: string): unknown[][] {
  const calls: unknown[][] = []
  socket.on(event, (...args: unknown[]) => calls.push(args))
  return calls
}

/** What the inspector sends to the control API: the token, and a JSON content type (POST). */
export function controlHeaders(server: Pick<DevServer, 'controlToken'>, extra: Record<string, string> = {}): Record<string, string> {
  return { 'Authorization': `Bearer ${server.controlToken}`, 'Content-Type': 'application/json', ...extra }
}

/** `GET /status` of the control API, with the token. */
export async function controlStatus(server: DevServer): Promise<{ status: number; body: unknown; headers: Headers }> {
  return httpJson(`${server.urls.control}/status`, { headers: controlHeaders(server) })
}

export async function httpJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init)
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON.
  }
  return { status: res.status, body, headers: res.headers }
}

/**
 * Runs `node --import tsx <args>` until it exits, with everything it wrote to stdout and stderr. A process that
 * does not exit by itself within 10 s is killed (and shows as `signal: 'SIGKILL'`).
 */
export async function runTsx(args: string[], options: Omit<SpawnOptions, 'stdio'> = {}): Promise<{ output: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])))
  clearTimeout(timer)
  return { output, code, signal }
}

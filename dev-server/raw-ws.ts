/**
 * The raw WebSocket server (`ws` package), served on `ws://` and again on `wss://`.
 * One HTTP(S) server per scheme; the path of the upgrade request picks the behaviour.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import {
  ConnectionTracker, PendingHandshakes, boolParam, closeReason, closeServer, httpServerLimits, intParam, isSendableCloseCode, listen, noop,
  numberParam, parseRequestUrl, rejectUpgrade, type SlowClientLimits,
} from './net-util.ts'
import { DEFAULT_SYMBOLS, QuoteBook, normalizeSymbol } from './quotes.ts'
import type { RecordSink } from './record.ts'
import type { Log } from './types.ts'

/** Subprotocols that `/subprotocol` accepts, in no particular preference: the client's order wins. */
export const SUPPORTED_SUBPROTOCOLS = ['chat.v1', 'chat.v2'] as const

export const LIMITS = {
  tickerMaxHz: 100,
  floodMaxFrames: 10_000_000,
  floodMaxSize: 1_048_576,
  floodHighWaterMark: 1_048_576,
  bigMaxSize: 64 * 1_048_576,
  binaryMaxCount: 1000,
  binaryMaxSize: 1_048_576,
  maxDelayMs: 60_000,
  silentHoldMs: 10 * 60_000,
} as const

/** Every path the raw WebSocket server answers, with a one-line description (shown on `GET /` and in the banner). */
export const RAW_WS_PATHS: Record<string, string> = {
  '/': 'answers each message with "echo message <message>"',
  '/echo': 'byte-exact echo: text stays text, binary stays binary',
  '/ticker': 'JSON quotes {symbol, price, change, time}; ?hz=10&symbols=AAPL,MSFT',
  '/flood': 'a burst of frames, as fast as the socket drains; ?n=100000&size=100&binary=1&close=1',
  '/close': 'closes right after opening; ?code=4001&reason=bye&delay=0',
  '/close-after': 'echoes, then closes every connection after ms; ?ms=1500&code=1011&reason=...',
  '/drop': 'cuts the TCP connection without a close frame; ?after=500',
  '/subprotocol': 'negotiates chat.v1 or chat.v2 (HTTP 400 when none is offered)',
  '/slow': 'echoes each message after a delay; ?delay=2000',
  '/binary': 'sends binary frames on open, answers every message in binary; ?count=3&size=256',
  '/big': 'sends one frame of the given size; ?size=1048576&binary=1',
  '/reject': 'refuses the handshake with an HTTP status; ?status=403',
  '/silent': 'accepts the TCP connection and never answers (connect-timeout tests)',
}

export interface RawWsContext {
  log: Log
  maxPayload: number
  maxConnections: number
  limits: SlowClientLimits
  isUpgradeRefused(): boolean
  /** Where the frames clients send are recorded (the dev server's record). */
  record: RecordSink
  /** A connection number unique over the dev server's life (restarts included), for the record. */
  nextConnection(): number
}

/** `plain`: ws:// only; `tls`: wss:// only; `both`: ws:// and wss:// on one port, told apart by a connection's first byte. */
export type RawWsSchemes = 'plain' | 'tls' | 'both'

/** The first byte of a TLS connection: the record type of its ClientHello (handshake, 0x16). */
const TLS_HANDSHAKE_RECORD = 0x16

export interface RawWsEndpoint {
  readonly port: number
  readonly clients: ReadonlySet<WebSocket>
  /** Connections that have not finished their first request or handshake yet. */
  readonly pendingHandshakes: number
  /** Cuts every TCP connection (no close frame). */
  kill(): void
  closeAll(code: number, reason?: string): void
  close(): Promise<void>
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

const ECHO_PREFIX = Buffer.from('echo message ')

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

function filler(size: number): string {
  return ALPHABET.repeat(Math.ceil(size / ALPHABET.length)).slice(0, size)
}

function isSilentPath(pathname: string): boolean {
  return pathname === '/silent' || pathname.startsWith('/silent/')
}

export async function startRawWs(options: {
  schemes: RawWsSchemes
  host: string
  port: number
  tls?: { key: string; cert: string }
  context: RawWsContext
}): Promise<RawWsEndpoint> {
  const { schemes, context } = options
  const { log } = context
  const label = { plain: 'ws', tls: 'wss', both: 'ws+wss' }[schemes]
  const tracker = new ConnectionTracker()
  const pending = new PendingHandshakes(context.limits)
  const held = new Set<Duplex>()
  const timers = new Set<NodeJS.Timeout>()
  let nextId = 1

  const setTracked = (fn: () => void, ms: number): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
    return timer
  }
  const clearTracked = (timer: NodeJS.Timeout | undefined) => {
    if (!timer) return
    clearTimeout(timer)
    timers.delete(timer)
  }

  const hold = (socket: Duplex) => {
    held.add(socket)
    socket.on('error', noop)
    socket.once('close', () => held.delete(socket))
    // Never answered; the server still lets go of it eventually so nothing lingers forever.
    const timer = setTracked(() => socket.destroy(), LIMITS.silentHoldMs)
    socket.once('close', () => clearTracked(timer))
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = parseRequestUrl(req.url)
    if (isSilentPath(url.pathname)) {
      hold(req.socket)
      return
    }
    const scheme = (req.socket as TLSSocket).encrypted ? 'wss' : 'ws'
    if (url.pathname === '/' || url.pathname === '/index.txt') {
      const lines = [
        `SocketLens dev server — raw WebSocket (${scheme}://${schemes === 'both' ? ', and the other scheme on this same port' : ''})`,
        scheme === 'wss' ? 'If you see this page in a browser, the self-signed certificate is accepted: wss:// connections will work now.' : '',
        '',
        'Paths (connect with a WebSocket client):',
        ...Object.entries(RAW_WS_PATHS).map(([path, text]) => `  ${path.padEnd(13)} ${text}`),
        '',
      ]
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(lines.join('\n'))
      return
    }
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket', Connection: 'Upgrade' })
    res.end(`${url.pathname} is a WebSocket endpoint: connect with ${scheme}://\n`)
  }

  const limits = httpServerLimits(context.limits)
  const plainServer: HttpServer | undefined = schemes === 'tls' ? undefined : createHttpServer(limits, onRequest)
  const tlsServer: HttpServer | undefined = schemes === 'plain'
    ? undefined
    : createHttpsServer({ ...limits, key: options.tls?.key, cert: options.tls?.cert }, onRequest)
  const httpServers = [plainServer, tlsServer].filter((s): s is HttpServer => s !== undefined)
  for (const server of httpServers) {
    server.on('clientError', (_err: Error, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      socket.destroy()
    })
    pending.watch(server, { tls: server === tlsServer })
    server.on('upgrade', onUpgrade)
  }
  tlsServer?.on('tlsClientError', noop)
  // Both schemes on one port: a front TCP server reads each connection's first byte, puts it back, and hands the
  // connection to the TLS server (a ClientHello starts with 0x16) or to the plain one (an HTTP request line).
  const front: NetServer = schemes === 'both' ? createNetServer((socket) => routeByFirstByte(socket)) : httpServers[0]!
  function routeByFirstByte(socket: Socket): void {
    socket.on('error', noop)
    pending.add(socket)
    socket.once('data', (chunk: Buffer) => {
      pending.settle(socket)
      socket.pause()
      socket.unshift(chunk)
      ;(chunk[0] === TLS_HANDSHAKE_RECORD ? tlsServer! : plainServer!).emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
  }
  tracker.track(front)
  // Bound raw TCP connections too (silent clients, and the 503 answers to over-limit upgrades); connections still
  // in their handshake have their own budget, so slow clients cannot use up the room of the open ones.
  front.maxConnections = context.maxConnections + context.limits.maxPendingHandshakes + 64

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: context.maxPayload,
    clientTracking: true,
    perMessageDeflate: false,
    handleProtocols: (protocols: Set<string>, req: IncomingMessage) => {
      const path = parseRequestUrl(req.url).pathname
      if (path === '/subprotocol') {
        for (const protocol of protocols) {
          if ((SUPPORTED_SUBPROTOCOLS as readonly string[]).includes(protocol)) return protocol
        }
        return false
      }
      // Everywhere else behave like the `ws` default: take the client's first choice.
      const [first] = protocols
      return first ?? false
    },
  })
  wss.on('error', noop)

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', noop)
    const url = parseRequestUrl(req.url)
    const path = url.pathname
    const params = url.searchParams
    if (isSilentPath(path)) {
      log(`[${label}] ~ ${path}: holding a handshake that will never be answered`)
      hold(socket)
      return
    }
    if (context.isUpgradeRefused()) {
      rejectUpgrade(socket, 503, 'WebSocket upgrade refused (fault injection: refuse-upgrade is on)')
      return
    }
    if (wss.clients.size >= context.maxConnections) {
      log(`[${label}] refused ${path}: ${wss.clients.size} connections open (maxConnections ${context.maxConnections})`)
      rejectUpgrade(socket, 503, `too many connections (maxConnections ${context.maxConnections})`)
      return
    }
    if (!(path in RAW_WS_PATHS)) {
      rejectUpgrade(socket, 404, `no WebSocket endpoint at ${path}; try one of ${Object.keys(RAW_WS_PATHS).join(' ')}`)
      return
    }
    if (path === '/reject') {
      const status = intParam(params, 'status', 403, 400, 599)
      log(`[${label}] rejected a handshake on /reject with ${status}`)
      rejectUpgrade(socket, status, `handshake rejected with ${status} by /reject`)
      return
    }
    if (path === '/subprotocol' && !req.headers['sec-websocket-protocol']) {
      rejectUpgrade(socket, 400, `/subprotocol needs a subprotocol: offer ${SUPPORTED_SUBPROTOCOLS.join(' or ')}`)
      return
    }
    if (path === '/close' && params.has('code') && !isSendableCloseCode(Number(params.get('code')))) {
      rejectUpgrade(socket, 400, `/close: ${params.get('code')} is not a close code a server may send (1000-1003, 1007-1014, 3000-4999)`)
      return
    }
    if (path === '/close-after' && params.has('code') && !isSendableCloseCode(Number(params.get('code')))) {
      rejectUpgrade(socket, 400, `/close-after: ${params.get('code')} is not a close code a server may send (1000-1003, 1007-1014, 3000-4999)`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, path, params))
  }

  function onConnection(ws: WebSocket, req: IncomingMessage, path: string, params: URLSearchParams): void {
    const id = nextId++
    const tag = `[${label} #${id}]`
    const remote = (req.socket as Socket).remoteAddress ?? '?'
    log(`${tag} + ${path}${params.size ? `?${params}` : ''} from ${remote}${ws.protocol ? ` protocol ${ws.protocol}` : ''}`)
    const own = new Set<NodeJS.Timeout>()
    const later = (fn: () => void, ms: number) => {
      const timer = setTracked(() => {
        own.delete(timer)
        fn()
      }, ms)
      own.add(timer)
    }
    let interval: NodeJS.Timeout | undefined
    const server = schemes === 'tls' ? 'wss' : 'ws'
    const connection = context.nextConnection()
    context.record.add({ type: 'open', at: Date.now(), server, path, connection })
    ws.on('message', (data, isBinary) => {
      const bytes = toBuffer(data)
      context.record.add({
        type: 'frame', at: Date.now(), server, path, connection, kind: isBinary ? 'binary' : 'text',
        data: isBinary ? bytes.toString('base64') : bytes.toString('utf8'), size: bytes.length,
      })
    })
    ws.on('close', (code: number) => context.record.add({ type: 'close', at: Date.now(), server, path, connection, code }))
    ws.on('error', (err: Error & { code?: string }) => {
      const why = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? `frame over maxPayload (${context.maxPayload} bytes): closing with 1009`
        : `${err.message}${err.code ? ` (${err.code})` : ''}`
      log(`${tag} error: ${why}`)
    })
    ws.on('close', (code: number, reason: Buffer) => {
      for (const timer of own) clearTracked(timer)
      own.clear()
      if (interval) clearInterval(interval)
      log(`${tag} - ${path} closed ${code}${reason.length ? ` ${reason.toString()}` : ''}`)
    })
    const open = () => ws.readyState === WebSocket.OPEN

    switch (path) {
      case '/': {
        ws.on('message', (data, isBinary) => {
          if (isBinary) ws.send(Buffer.concat([ECHO_PREFIX, toBuffer(data)]), { binary: true })
          else ws.send(`echo message ${toBuffer(data).toString()}`)
        })
        break
      }
      case '/echo': {
        ws.on('message', (data, isBinary) => ws.send(toBuffer(data), { binary: isBinary }))
        break
      }
      case '/ticker': {
        const hz = numberParam(params, 'hz', 10, 0.1, LIMITS.tickerMaxHz)
        const requested = (params.get('symbols') ?? '').split(',').map(normalizeSymbol).filter((s): s is string => !!s)
        const symbols = requested.length ? [...new Set(requested)].slice(0, 50) : [...DEFAULT_SYMBOLS]
        const book = new QuoteBook()
        let i = 0
        interval = setInterval(() => {
          if (open()) ws.send(JSON.stringify(book.next(symbols[i++ % symbols.length]!)))
        }, Math.max(1, Math.round(1000 / hz)))
        ws.on('message', (data, isBinary) => ws.send(toBuffer(data), { binary: isBinary }))
        break
      }
      case '/flood': {
        const n = intParam(params, 'n', 10_000, 0, LIMITS.floodMaxFrames)
        const size = intParam(params, 'size', 100, 0, LIMITS.floodMaxSize)
        flood(ws, tag, n, size, boolParam(params, 'binary'), boolParam(params, 'close'))
        break
      }
      case '/close': {
        const code = params.has('code') ? Number(params.get('code')) : 4001
        const reason = closeReason(params.get('reason') ?? 'closed by /close')
        const delay = intParam(params, 'delay', 0, 0, LIMITS.maxDelayMs)
        if (delay > 0) later(() => open() && ws.close(code, reason), delay)
        else ws.close(code, reason)
        break
      }
      case '/close-after': {
        // A server that accepts every connection and drops it a little later: looks healthy at first, every time.
        const ms = intParam(params, 'ms', 1500, 0, LIMITS.maxDelayMs)
        const code = params.has('code') ? Number(params.get('code')) : 1011
        const reason = closeReason(params.get('reason') ?? `closed by /close-after after ${ms} ms`)
        ws.on('message', (data, isBinary) => ws.send(toBuffer(data), { binary: isBinary }))
        later(() => open() && ws.close(code, reason), ms)
        break
      }
      case '/drop': {
        const after = intParam(params, 'after', 500, 0, LIMITS.maxDelayMs)
        ws.on('message', (data, isBinary) => ws.send(toBuffer(data), { binary: isBinary }))
        later(() => {
          log(`${tag} dropping the TCP connection (no close frame)`)
          ws.terminate()
        }, after)
        break
      }
      case '/subprotocol': {
        if (!ws.protocol) {
          // The client offered only protocols we do not speak; the 101 carried none, so a conforming client fails the
          // connection itself (browsers: close 1006). Close from our side too in case the client does not.
          later(() => open() && ws.close(1002, 'no supported subprotocol offered'), 100)
        }
        ws.on('message', (data, isBinary) => {
          if (isBinary) ws.send(toBuffer(data), { binary: true })
          else ws.send(`[${ws.protocol}] ${toBuffer(data).toString()}`)
        })
        break
      }
      case '/slow': {
        const delay = intParam(params, 'delay', 2000, 0, LIMITS.maxDelayMs)
        ws.on('message', (data, isBinary) => {
          const copy = toBuffer(data)
          later(() => open() && ws.send(copy, { binary: isBinary }), delay)
        })
        break
      }
      case '/binary': {
        const count = intParam(params, 'count', 3, 0, LIMITS.binaryMaxCount)
        const size = intParam(params, 'size', 256, 0, LIMITS.binaryMaxSize)
        for (let k = 0; k < count; k++) {
          const frame = Buffer.allocUnsafe(size)
          for (let j = 0; j < size; j++) frame[j] = (k + j) & 0xff
          ws.send(frame, { binary: true })
        }
        ws.on('message', (data) => ws.send(toBuffer(data), { binary: true }))
        break
      }
      case '/big': {
        const size = intParam(params, 'size', 1_048_576, 0, LIMITS.bigMaxSize)
        if (boolParam(params, 'binary')) {
          const frame = Buffer.allocUnsafe(size)
          for (let j = 0; j < size; j++) frame[j] = j & 0xff
          ws.send(frame, { binary: true })
        } else {
          ws.send(filler(size))
        }
        ws.on('message', (data, isBinary) => ws.send(toBuffer(data), { binary: isBinary }))
        break
      }
    }
  }

  /** Sends `n` frames of `size` bytes, pausing whenever more than the high-water mark waits in the socket buffer. */
  function flood(ws: WebSocket, tag: string, n: number, size: number, binary: boolean, closeWhenDone: boolean): void {
    const started = performance.now()
    const text = filler(size)
    let i = 0
    const frame = (seq: number): string | Buffer => {
      if (binary) {
        const buf = Buffer.alloc(size, 0xab)
        if (size >= 4) buf.writeUInt32BE(seq >>> 0, 0)
        return buf
      }
      // Each text frame starts with its sequence number so that loss and order can be checked.
      const head = `${seq}:`
      return head.length >= size ? head.slice(0, size) : head + text.slice(head.length)
    }
    const done = () => {
      log(`${tag} flood done: ${n} frames of ${size} bytes in ${Math.round(performance.now() - started)} ms`)
      if (closeWhenDone) ws.close(1000, 'flood complete')
    }
    const pump = () => {
      let batch = 0
      while (i < n) {
        if (ws.readyState !== WebSocket.OPEN) return
        const seq = i++
        if (seq === n - 1) {
          // The last frame reports the end once it (and so everything before it) has been written out.
          ws.send(frame(seq), { binary }, (err) => {
            if (!err) done()
          })
          return
        }
        if (ws.bufferedAmount > LIMITS.floodHighWaterMark) {
          // Resume once this frame (and so everything before it) has been handed to the kernel.
          ws.send(frame(seq), { binary }, (err) => {
            if (!err) pump()
          })
          return
        }
        ws.send(frame(seq), { binary })
        if (++batch >= 1000) {
          // Let other connections and timers run between batches.
          setTracked(pump, 0)
          return
        }
      }
      if (n === 0) done()
    }
    pump()
  }

  const port = await listen(front, options.port, options.host)
  if (front !== plainServer && front !== tlsServer) {
    // Node starts checking `headersTimeout` / `requestTimeout` when an HTTP server emits 'listening'; these two get
    // their connections from the front server and never listen themselves.
    for (const server of httpServers) server.emit('listening')
  }

  return {
    port,
    clients: wss.clients,
    get pendingHandshakes() {
      return pending.size
    },
    kill() {
      for (const ws of wss.clients) ws.terminate()
      for (const socket of held) socket.destroy()
      tracker.destroyAll()
    },
    closeAll(code: number, reason?: string) {
      for (const ws of wss.clients) {
        if (ws.readyState === WebSocket.OPEN) ws.close(code, closeReason(reason))
      }
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const ws of wss.clients) ws.terminate()
      for (const socket of held) socket.destroy()
      held.clear()
      pending.clear()
      await closeServer(front, tracker)
      if (front !== plainServer && front !== tlsServer) {
        // Stops their connection checks (started above); they hold no listening socket of their own.
        for (const server of httpServers) server.close(noop)
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}

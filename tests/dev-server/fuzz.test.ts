/**
 * Bounded fuzzing: random bytes over raw TCP (and TLS), random HTTP requests, random WebSocket frames (well-formed
 * messages and malformed frames), and random Engine.IO / Socket.IO packets over both transports. Afterwards every
 * server must still answer. Reproduce a failure with FUZZ_SEED=<seed printed in the failure>.
 */
import { connect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WsProbe, connected, controlStatus, sioClient, useDevServer } from '../support/devServer.ts'

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const BUDGET_MS = Number(process.env.FUZZ_MS ?? 1000) // per phase; four phases

/** mulberry32: small, seedable, good enough to pick random inputs reproducibly. */
function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))
  const text = (n: number) => Array.from({ length: n }, () => pick(['a', 'Z', '0', '"', '{', '}', '[', ']', ',', ':', '-', '/', '\\', ' ', 'é', '✓', '\u0000', '\n', '𝄞'])).join('')
  const json = (depth = 0): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0: return null
      case 1: return int(2) === 0
      case 2: return pick([0, -1, 1e308, 3.14, 2 ** 53, -0])
      case 3: return text(int(20))
      case 4: return pick(['lobby', '', ' ', 'x'.repeat(200), '__proto__', 'constructor', 'AAPL'])
      case 5: return Array.from({ length: int(4) }, () => json(depth + 1))
      case 6: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['room', 'message', 'symbol', 'symbols', 'token', 'on', 'ms', 'code', '__proto__', text(5)]), json(depth + 1)]))
      default: return { room: pick(['lobby', 42, null, '', 'r'.repeat(129)]), message: json(depth + 1) }
    }
  }
  return { next, int, pick, bytes, text, json }
}

const EVENTS = ['joinRoom', 'leaveRoom', 'message', 'roomMessage', 'echo', 'binary', 'broadcast', 'rooms', 'subscribe', 'unsubscribe', 'stats', 'announce', 'kick', 'anything', 'connect', 'disconnect', '']
const NAMESPACES = ['', '/admin,', '/ticker,', '/nope,', '/__control,']

const r = rng(SEED)
const failures: string[] = []

// A handler that throws is caught and logged by the server: count that as a failure too.
const server = useDevServer({ maxPayload: 64 * 1024, log: (line) => /handler failed|uncaught/i.test(line) && failures.push(line) })

async function during(ms: number, concurrency: number, task: () => Promise<void>): Promise<number> {
  const deadline = Date.now() + ms
  let runs = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      runs++
      await task().catch(() => {})
    }
  }))
  return runs
}

/** Opens a TCP (or TLS) connection, writes `chunks`, waits a moment, then cuts it. */
function rawSession(port: number, chunks: Buffer[], tls = false, lingerMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = tls ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : connect(port, '127.0.0.1')
    const finish = () => {
      socket.destroy()
      resolve()
    }
    socket.on('error', finish)
    socket.on('data', () => {})
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      for (const chunk of chunks) socket.write(chunk)
      setTimeout(finish, lingerMs)
    })
    setTimeout(finish, 1000)
  })
}

/** A masked WebSocket frame with random header bits, opcode and (possibly lying) length. */
function randomFrame(): Buffer {
  const payload = r.bytes(r.int(r.int(2) ? 20 : 300))
  const first = (r.int(2) ? 0x80 : 0) | (r.int(8) === 0 ? r.int(8) << 4 : 0) | r.pick([0, 1, 2, 8, 9, 10, 3, 7, 11, 15])
  const masked = r.int(10) !== 0
  let header: Buffer
  const len = r.int(6) === 0 ? r.int(2 ** 16) : payload.length
  if (len < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | len])
  else {
    header = Buffer.alloc(4)
    header[0] = first
    header[1] = (masked ? 0x80 : 0) | 126
    header.writeUInt16BE(len, 2)
  }
  return Buffer.concat([header, masked ? r.bytes(4) : Buffer.alloc(0), payload])
}

function handshake(path: string, protocol?: string): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + `Sec-WebSocket-Key: ${r.bytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n`
    + `${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`,
  )
}

function randomSocketIoPacket(): string {
  const nsp = r.pick(NAMESPACES)
  const args = [r.pick(EVENTS), ...Array.from({ length: r.int(3) }, () => r.json())]
  switch (r.int(9)) {
    case 0: return `0${r.text(r.int(10))}` // bogus CONNECT via an engine OPEN
    case 1: return `40${nsp}${r.int(2) ? JSON.stringify(r.json()) : ''}`
    case 2: return `41${nsp}`
    case 3: return `42${nsp}${r.int(3) ? r.int(1e6) : ''}${JSON.stringify(args)}`
    case 4: return `43${nsp}${r.int(1e3)}${JSON.stringify([r.json()])}`
    case 5: return `45${r.int(3)}-${nsp}${r.int(2) ? r.int(100) : ''}${JSON.stringify([r.pick(EVENTS), { _placeholder: true, num: r.int(3) }])}`
    case 6: return `4${r.int(10)}${r.text(r.int(40))}`
    case 7: return `${r.pick(['1', '2', '3', '5', '6', '7', 'b', ''])}${r.text(r.int(12))}`
    default: return `42${JSON.stringify(args).slice(0, r.int(40))}` // truncated JSON
  }
}

describe(`fuzz (seed ${SEED})`, () => {
  it('survives random bytes and random HTTP over TCP and TLS on every port', async () => {
    const ports = [
      server().ports.ws, server().ports.socketio, server().ports.polling, server().ports.control,
      server().ports.msgpack, server().ports.websocketOnly, server().ports.customPath, server().ports.httpOnly,
    ]
    const runs = await during(BUDGET_MS, 12, async () => {
      const port = r.pick(ports)
      const mode = r.int(4)
      if (mode === 0) return rawSession(port, [r.bytes(r.int(2000))])
      if (mode === 1) return rawSession(r.pick([server().ports.wss, server().ports.ws]), [r.bytes(r.int(500))], r.int(2) === 0)
      const method = r.pick(['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'HEAD', 'BREW', ''])
      const path = r.pick(['/', '/socket.io/', '/echo', '/status', '/restart?downtime=x', '/silent', '/reject?status=abc', '/%', '/../..', '/realtime/io/', '/close-after?ms=x'])
      const query = r.int(2) ? `?EIO=${r.pick(['4', '3', '5', 'x'])}&transport=${r.pick(['polling', 'websocket', 'webtransport', ''])}&sid=${r.text(5)}` : ''
      const headers = Array.from({ length: r.int(4) }, () => `${r.pick(['Content-Length', 'Origin', 'Upgrade', 'Connection', 'Transfer-Encoding', r.text(6)])}: ${r.text(r.int(20))}`)
      const body = r.bytes(r.int(300))
      const request = `${method} ${path}${query} HTTP/1.1\r\nHost: x\r\n${headers.join('\r\n')}\r\n\r\n`
      // Never send these to the control port: they are valid requests there and would restart the server mid-fuzz.
      if (port === server().ports.control && method === 'POST') return
      return rawSession(port, r.int(3) ? [Buffer.from(request), body] : [Buffer.from(request.slice(0, r.int(request.length)))])
    })
    expect(runs).toBeGreaterThan(8)
  })

  it('survives random WebSocket messages and malformed frames on every raw path', async () => {
    const paths = ['/', '/echo', '/slow?delay=1', '/binary?count=1&size=8', '/drop?after=50', '/ticker?hz=100']
    const runs = await during(BUDGET_MS, 8, async () => {
      if (r.int(2) === 0) {
        const probe = new WsProbe(`${server().urls.ws}${r.pick(paths)}`)
        await probe.opened
        for (let i = r.int(10); i >= 0; i--) {
          if (r.int(2)) probe.ws.send(r.bytes(r.int(r.int(10) === 0 ? 70_000 : 200)))
          else probe.ws.send(r.text(r.int(100)))
        }
        await new Promise((resolve) => setTimeout(resolve, 10))
        probe.close()
        return
      }
      const path = r.pick([...paths, '/subprotocol'])
      const frames = Array.from({ length: 1 + r.int(4) }, randomFrame)
      await rawSession(server().ports.ws, [handshake(path, path === '/subprotocol' ? 'chat.v1' : undefined), ...frames], false, 30)
    })
    expect(runs).toBeGreaterThan(8)
  })

  it('survives random Engine.IO / Socket.IO packets over WebSocket', async () => {
    const base = `${server().urls.socketio.replace('http:', 'ws:')}/socket.io/?EIO=4&transport=websocket`
    const runs = await during(BUDGET_MS, 8, async () => {
      const ws = new WebSocket(base)
      ws.on('error', () => {})
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('close', () => reject(new Error('closed')))
      })
      if (r.int(2)) ws.send('40')
      for (let i = 1 + r.int(8); i > 0; i--) {
        if (ws.readyState !== WebSocket.OPEN) break
        if (r.int(6) === 0) ws.send(r.bytes(r.int(64)))
        else ws.send(randomSocketIoPacket())
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
      ws.terminate()
    })
    expect(runs).toBeGreaterThan(8)
  })

  it('survives random Engine.IO / Socket.IO packets over long-polling', async () => {
    const runs = await during(BUDGET_MS, 6, async () => {
      const origin = r.pick([server().urls.socketio, server().urls.polling])
      const open = await fetch(`${origin}/socket.io/?EIO=4&transport=polling`)
      const text = await open.text()
      const sid = /"sid":"([^"]+)"/.exec(text)?.[1]
      if (!sid) return
      const url = `${origin}/socket.io/?EIO=4&transport=polling&sid=${r.int(8) === 0 ? r.text(5) : sid}`
      const packets = Array.from({ length: 1 + r.int(5) }, () => (r.int(8) === 0 ? `b${r.bytes(r.int(30)).toString('base64')}` : randomSocketIoPacket()))
      const body = r.int(2) ? `40\x1e${packets.join('\x1e')}` : packets.join(r.pick(['\x1e', '', '\n']))
      await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } }).then((res) => res.text())
      await fetch(url, { method: 'POST', body: '1' }).then((res) => res.text()).catch(() => {})
    })
    expect(runs).toBeGreaterThan(5)
  })

  it('still answers on every server afterwards', async () => {
    const echo = new WsProbe(`${server().urls.ws}/`)
    await echo.opened
    echo.ws.send('after the storm')
    expect(await echo.take(1)).toEqual([{ data: 'echo message after the storm', binary: false }])
    echo.close()

    const secure = new WsProbe(`${server().urls.wss}/echo`, undefined, { ca: server().tls.cert })
    await secure.opened
    secure.ws.send('tls ok')
    expect(await secure.take(1)).toEqual([{ data: 'tls ok', binary: false }])
    secure.close()

    for (const url of [server().urls.socketio, server().urls.polling]) {
      const client = sioClient(url)
      await connected(client)
      expect(await client.timeout(3000).emitWithAck('echo', { still: 'alive' })).toEqual({ still: 'alive' })
      expect(await client.timeout(3000).emitWithAck('joinRoom', 'post-fuzz')).toEqual(['post-fuzz'])
      client.disconnect()
    }
    const status = await controlStatus(server())
    expect(status.status).toBe(200)
    expect(failures).toEqual([])
  })
})

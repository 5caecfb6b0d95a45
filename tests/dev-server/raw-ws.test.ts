import { connect } from 'node:net'
import { get as httpsGet } from 'node:https'
import { describe, expect, it } from 'vitest'
import { closeAllClients, connected, expectUnexpectedResponse, probe, sioClient, useDevServer, waitFor } from '../support/devServer.ts'

const server = useDevServer()

describe('ws://  /  (classic echo)', () => {
  it('answers text with "echo message <message>"', async () => {
    const p = probe(`${server().urls.ws}/`)
    await p.opened
    p.ws.send('hello')
    p.ws.send('héllo wörld ✓')
    expect(await p.take(2)).toEqual([
      { data: 'echo message hello', binary: false },
      { data: 'echo message héllo wörld ✓', binary: false },
    ])
  })

  it('answers binary with the same prefix, in a binary frame', async () => {
    const p = probe(server().urls.ws)
    await p.opened
    p.ws.send(Buffer.from([0, 1, 254, 255]))
    const [msg] = await p.take(1)
    expect(msg!.binary).toBe(true)
    expect(msg!.data).toEqual(Buffer.concat([Buffer.from('echo message '), Buffer.from([0, 1, 254, 255])]))
  })
})

describe('ws:// paths', () => {
  it('/echo is byte-exact: text stays text, binary stays binary', async () => {
    const p = probe(`${server().urls.ws}/echo`)
    await p.opened
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    p.ws.send('plain ✓ text')
    p.ws.send(bytes)
    p.ws.send('')
    expect(await p.take(3)).toEqual([
      { data: 'plain ✓ text', binary: false },
      { data: bytes, binary: true },
      { data: '', binary: false },
    ])
  })

  it('/ticker streams JSON quotes for the requested symbols in turn', async () => {
    const p = probe(`${server().urls.ws}/ticker?hz=50&symbols=aapl,MSFT`)
    const before = Date.now()
    const quotes = (await p.take(4)).map((m) => JSON.parse(m.data as string))
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT', 'AAPL', 'MSFT'])
    for (const q of quotes) {
      expect(Object.keys(q).sort()).toEqual(['change', 'price', 'symbol', 'time'])
      expect(q.price).toBeGreaterThan(0)
      expect(typeof q.change).toBe('number')
      expect(q.time).toBeGreaterThanOrEqual(before)
      expect(q.time).toBeLessThanOrEqual(Date.now())
    }
    expect(quotes[0].change).toBe(0)
  })

  it('/flood sends exactly n frames of exactly size bytes, in order, then closes when asked', async () => {
    const n = 20_000
    const p = probe(`${server().urls.ws}/flood?n=${n}&size=100&close=1`)
    const closed = await p.done
    expect(closed).toEqual({ code: 1000, reason: 'flood complete' })
    expect(p.messages).toHaveLength(n)
    p.messages.forEach((m, i) => {
      if (m.binary || (m.data as string).length !== 100 || !(m.data as string).startsWith(`${i}:`)) {
        throw new Error(`frame ${i} is wrong: ${JSON.stringify(m).slice(0, 80)}`)
      }
    })
  })

  it('/flood?binary=1 sends binary frames numbered in their first four bytes', async () => {
    const p = probe(`${server().urls.ws}/flood?n=500&size=8&binary=1`)
    const msgs = await p.take(500)
    expect(msgs.every((m) => m.binary && (m.data as Buffer).length === 8)).toBe(true)
    expect(msgs.map((m) => (m.data as Buffer).readUInt32BE(0))).toEqual(Array.from({ length: 500 }, (_, i) => i))
    await new Promise((r) => setTimeout(r, 50))
    expect(p.messages).toHaveLength(500)
  })

  it('/flood respects backpressure: a client that stops reading does not make the server buffer the whole burst', async () => {
    const p = probe(`${server().urls.ws}/flood?n=20000&size=10000`) // 200 MB if it were all queued
    await p.opened
    const socket = (p.ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.pause()
    const before = process.memoryUsage()
    await new Promise((r) => setTimeout(r, 600))
    const after = process.memoryUsage()
    // Text frames queue as strings (V8 heap), binary ones as buffers: count both.
    const grown = (after.heapUsed + after.external + after.arrayBuffers) - (before.heapUsed + before.external + before.arrayBuffers)
    expect(grown).toBeLessThan(64 * 1024 * 1024)
    socket.resume()
    await p.take(100)
    p.close()
  })

  it('/close closes right after opening with the requested code and reason', async () => {
    expect(await probe(`${server().urls.ws}/close?code=4001&reason=${encodeURIComponent('bye now')}`).done).toEqual({ code: 4001, reason: 'bye now' })
    expect(await probe(`${server().urls.ws}/close?code=1000`).done).toEqual({ code: 1000, reason: 'closed by /close' })
    expect(await probe(`${server().urls.ws}/close`).done).toEqual({ code: 4001, reason: 'closed by /close' })
  })

  it('/close refuses a code a server may not send, with HTTP 400', async () => {
    const res = await expectUnexpectedResponse(`${server().urls.ws}/close?code=1006`)
    expect(res.status).toBe(400)
    expect(res.body).toContain('1006')
  })

  it('/drop cuts the TCP connection without a close frame after the delay (close 1006)', async () => {
    const p = probe(`${server().urls.ws}/drop?after=200`)
    await p.opened
    const opened = Date.now()
    p.ws.send('still here')
    expect(await p.take(1)).toEqual([{ data: 'still here', binary: false }])
    const closed = await p.done
    expect(closed).toEqual({ code: 1006, reason: '' })
    expect(Date.now() - opened).toBeGreaterThanOrEqual(180)
  })

  it('/subprotocol picks the client\'s first supported protocol', async () => {
    const p = probe(`${server().urls.ws}/subprotocol`, ['chat.v3', 'chat.v2', 'chat.v1'])
    await p.opened
    expect(p.ws.protocol).toBe('chat.v2')
    p.ws.send('hi')
    expect(await p.take(1)).toEqual([{ data: '[chat.v2] hi', binary: false }])
    const v1 = probe(`${server().urls.ws}/subprotocol`, 'chat.v1')
    await v1.opened
    expect(v1.ws.protocol).toBe('chat.v1')
  })

  it('/subprotocol answers without a protocol when none offered is supported, so the client fails the handshake', async () => {
    const p = probe(`${server().urls.ws}/subprotocol`, ['graphql-ws'])
    await expect(p.opened).rejects.toThrow(/no subprotocol/i)
  })

  it('/subprotocol refuses a handshake that offers no subprotocol with HTTP 400', async () => {
    const res = await expectUnexpectedResponse(`${server().urls.ws}/subprotocol`)
    expect(res.status).toBe(400)
    expect(res.body).toContain('chat.v1')
  })

  it('/slow answers each message after the delay, in order', async () => {
    const p = probe(`${server().urls.ws}/slow?delay=300`)
    await p.opened
    const sent = Date.now()
    p.ws.send('one')
    p.ws.send(Buffer.from([9]))
    await new Promise((r) => setTimeout(r, 150))
    expect(p.messages).toHaveLength(0)
    expect(await p.take(2)).toEqual([{ data: 'one', binary: false }, { data: Buffer.from([9]), binary: true }])
    expect(Date.now() - sent).toBeGreaterThanOrEqual(280)
  })

  it('/binary sends numbered binary frames on open and answers in binary', async () => {
    const p = probe(`${server().urls.ws}/binary?count=2&size=4`)
    expect(await p.take(2)).toEqual([
      { data: Buffer.from([0, 1, 2, 3]), binary: true },
      { data: Buffer.from([1, 2, 3, 4]), binary: true },
    ])
    p.ws.send('hi')
    expect((await p.take(3))[2]).toEqual({ data: Buffer.from('hi'), binary: true })
  })

  it('/big sends one frame of the requested size (text by default, binary on request)', async () => {
    const text = probe(`${server().urls.ws}/big?size=300000`)
    const [t] = await text.take(1)
    expect(t!.binary).toBe(false)
    expect((t!.data as string).length).toBe(300_000)
    expect((t!.data as string).slice(0, 40)).toBe('abcdefghijklmnopqrstuvwxyz0123456789abcd')
    const bin = probe(`${server().urls.ws}/big?size=70000&binary=1`)
    const [b] = await bin.take(1)
    expect(b!.binary).toBe(true)
    expect((b!.data as Buffer).length).toBe(70_000)
    expect((b!.data as Buffer)[256 + 7]).toBe(7)
    await new Promise((r) => setTimeout(r, 50))
    expect(text.messages).toHaveLength(1)
  })

  it('/reject refuses the handshake with the requested HTTP status (403 by default)', async () => {
    expect((await expectUnexpectedResponse(`${server().urls.ws}/reject?status=401`)).status).toBe(401)
    expect((await expectUnexpectedResponse(`${server().urls.ws}/reject`)).status).toBe(403)
    expect((await expectUnexpectedResponse(`${server().urls.ws}/reject?status=503`)).status).toBe(503)
  })

  it('an unknown path is refused with 404', async () => {
    const res = await expectUnexpectedResponse(`${server().urls.ws}/nope`)
    expect(res.status).toBe(404)
    expect(res.body).toContain('/echo')
  })

  it('/silent accepts the connection and never answers the handshake', async () => {
    const p = probe(server().urls.silent, undefined, { handshakeTimeout: 400 })
    await expect(p.opened).rejects.toThrow(/handshake has timed out/i)

    // A plain HTTP request (what a Socket.IO polling client sends) is never answered either.
    const port = Number(new URL(server().urls.silent).port)
    const received: Buffer[] = []
    const socket = connect(port, '127.0.0.1')
    socket.on('data', (c) => received.push(c))
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write('GET /silent/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n')
    await new Promise((r) => setTimeout(r, 400))
    expect(socket.destroyed).toBe(false)
    expect(Buffer.concat(received).length).toBe(0)
    socket.destroy()
  })

  it('/silent as a Socket.IO path makes the client time out', async () => {
    const client = sioClient(`http://127.0.0.1:${server().ports.ws}`, { path: '/silent', timeout: 300, reconnection: false })
    const started = Date.now()
    await expect(connected(client)).rejects.toThrow('timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
    closeAllClients()
  })

  it('plain HTTP: GET / describes the endpoints, other paths ask for an upgrade (426)', async () => {
    const home = await fetch(`${server().urls.ws.replace('ws:', 'http:')}/`)
    expect(home.status).toBe(200)
    const text = await home.text()
    for (const path of ['/echo', '/ticker', '/flood', '/close', '/drop', '/subprotocol', '/slow', '/binary', '/big', '/reject', '/silent']) {
      expect(text).toContain(path)
    }
    expect((await fetch(`${server().urls.ws.replace('ws:', 'http:')}/echo`)).status).toBe(426)
  })
})

describe('wss://', () => {
  it('serves the same paths over TLS with the self-signed certificate (trusted here through `ca`)', async () => {
    const p = probe(`${server().urls.wss}/echo`, undefined, { ca: server().tls.cert })
    await p.opened
    p.ws.send('over tls')
    expect(await p.take(1)).toEqual([{ data: 'over tls', binary: false }])
    const classic = probe(`${server().urls.wss}/`, undefined, { ca: server().tls.cert, servername: 'localhost' })
    await classic.opened
    classic.ws.send('x')
    expect(await classic.take(1)).toEqual([{ data: 'echo message x', binary: false }])
  })

  it('is really TLS with an untrusted certificate: refused without `ca`', async () => {
    const p = probe(`${server().urls.wss}/echo`)
    await expect(p.opened).rejects.toThrow(/self[- ]signed/i)
  })

  it('answers https GET / with a page saying the certificate is accepted', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`${server().urls.wss.replace('wss:', 'https:')}/`, { ca: server().tls.cert }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      }).on('error', reject)
    })
    expect(body).toContain('certificate is accepted')
  })
})

describe('limits', () => {
  const lines: string[] = []
  const limited = useDevServer({ maxPayload: 1024, maxConnections: 2, log: (line) => lines.push(line) })

  it('a frame over maxPayload closes the connection with 1009 and logs it', async () => {
    const p = probe(`${limited().urls.ws}/echo`)
    await p.opened
    p.ws.send('x'.repeat(1024))
    expect(await p.take(1)).toEqual([{ data: 'x'.repeat(1024), binary: false }])
    p.ws.send('x'.repeat(1025))
    const closed = await p.done
    expect(closed.code).toBe(1009)
    await waitFor('a 1009 log line', () => lines.some((l) => l.includes('maxPayload') && l.includes('1009')))
  })

  it('refuses connections beyond maxConnections with 503, and accepts again once one closes', async () => {
    const a = probe(`${limited().urls.ws}/echo`)
    const b = probe(`${limited().urls.ws}/echo`)
    await Promise.all([a.opened, b.opened])
    const res = await expectUnexpectedResponse(`${limited().urls.ws}/echo`)
    expect(res.status).toBe(503)
    expect(res.body).toContain('too many connections')
    a.ws.close()
    await a.done
    await waitFor('the slot to free up', () => limited().status().connections.ws === 1)
    const c = probe(`${limited().urls.ws}/echo`)
    await c.opened
  })
})

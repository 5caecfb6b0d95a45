/**
 * The Engine.IO probe (src/protocol/engineProbe.ts) against real servers: Node's socket.io 4 (the dev server and
 * servers of the test's own), the dev server's Socket.IO v2 (engine.io 3), python-socketio 5 on aiohttp (Debian),
 * an HTTP server that is no Engine.IO server, a port where nothing listens, and one that never answers.
 */
import { createRequire } from 'node:module'
import { Server as SocketIoServer } from 'socket.io'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  describeHandshake, fingerprintOfError, normalizeEnginePath, parseOpenPacket, probeEngineIo, pythonRefusal,
} from '../../src/protocol/engineProbe'
import { startPythonSocketIo } from '../support/pythonSocketIo'
import type { PythonServer } from '../support/pythonSocketIo'
import { closedPort } from '../support/ports'
import { closeLoopbackServers, httpServer, socketIoServer } from '../support/servers'

afterEach(async () => {
  await closeLoopbackServers()
})

/** A Socket.IO 2.5 server (engine.io 3) on a free port: `socket.io-v2` is socket.io@2.5.1 under another name. */
async function socketIoV2Server(): Promise<{ url: string }> {
  const { server, url } = await httpServer()
  const createIo = createRequire(import.meta.url)('socket.io-v2') as (srv: unknown) => { close: () => void }
  createIo(server)
  return { url }
}

describe('engine probe: Node servers', () => {

  it('fingerprints a socket.io 4 server: Engine.IO 4, Node engine.io, upgrades and timings', async () => {
    const { url } = await socketIoServer()
    const result = await probeEngineIo(url)
    expect(result.outcome).toBe('handshake')
    expect(result.fingerprint).toMatchObject({
      engineIo: 4, implementation: 'node-engine.io', upgrades: ['websocket'], maxPayload: expect.any(Number),
      pingInterval: expect.any(Number), pingTimeout: expect.any(Number), sid: expect.any(String),
    })
    expect(result.evidence[0]).toMatchObject({ key: 'protocol.engine.answeredBody', params: { asked: 'GET /socket.io/?EIO=4&transport=polling', status: 200 } })
    expect(result.evidence).toContainEqual({ key: 'protocol.engine.fingerprint.serverWhy', params: { name: 'Node engine.io (socket.io)', why: { key: 'protocol.engine.why.nodeOrder' } } })
  })

  it('fingerprints a Socket.IO v2 server (engine.io 3) from its length-prefixed body', async () => {
    const { url } = await socketIoV2Server()
    const result = await probeEngineIo(url)
    expect(result.outcome).toBe('handshake')
    expect(result.fingerprint).toMatchObject({ engineIo: 3, implementation: 'node-engine.io' })
    expect(result.evidence).toContainEqual({ key: 'protocol.engine.fingerprint.eio3' })
  })

  it('an EIO=3 probe of a v4 server without allowEIO3 is refused with code 5: an Engine.IO 4 server', async () => {
    const { url } = await socketIoServer()
    const result = await probeEngineIo(url, { eio: 3 })
    expect(result.outcome).toBe('refused')
    expect(result).toMatchObject({ status: 400, engineError: { code: 5 } })
    expect(result.fingerprint).toMatchObject({ engineIo: 4, implementation: 'node-engine.io' })
  })

  it('a websocket-only socket.io server refuses polling with engine.io\'s code 0', async () => {
    const { url } = await socketIoServer({ transports: ['websocket'] })
    const result = await probeEngineIo(url)
    expect(result).toMatchObject({ outcome: 'refused', status: 400, engineError: { code: 0, message: 'Transport unknown' } })
  })

  it('finds a server at a custom path, and only there', async () => {
    // An HTTP server that answers 404 elsewhere, as an app's server does, with Socket.IO attached at /realtime/io.
    const { server, url } = await httpServer((_req, res) => res.writeHead(404).end())
    const io = new SocketIoServer(server, { path: '/realtime/io' })
    expect((await probeEngineIo(url)).outcome).toBe('not-engine-io')
    const found = await probeEngineIo(`${url}/ignored/namespace?x=1`, { path: '/realtime/io' })
    expect(found.outcome).toBe('handshake')
    expect(found.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/realtime\/io\/\?/)
    await io.close()
  })

  it('an HTTP server that is no Engine.IO server, a closed port, a silent server, an abort', async () => {
    const { url } = await httpServer((_req, res) => res.writeHead(404).end('Cannot GET'))
    expect(await probeEngineIo(url)).toMatchObject({ outcome: 'not-engine-io', status: 404 })
    const port = await closedPort()
    expect((await probeEngineIo(`http://127.0.0.1:${port}`)).outcome).toBe('unreadable')
    const silent = await httpServer(() => {})
    const timedOut = await probeEngineIo(silent.url, { timeoutMs: 100 })
    expect(timedOut.outcome).toBe('timeout')
    const controller = new AbortController()
    const pending = probeEngineIo(silent.url, { signal: controller.signal })
    controller.abort()
    expect((await pending).outcome).toBe('aborted')
  })

  it('goes only to the host and port of the URL it is given', async () => {
    const asked: string[] = []
    const fake = (async (input: string) => {
      asked.push(input)
      throw new TypeError('offline')
    }) as unknown as typeof fetch
    await probeEngineIo('ws://example.test:5005/realtime/io/?EIO=4&transport=websocket', { path: '//evil.test/x', fetch: fake })
    expect(asked).toHaveLength(1)
    expect(new URL(asked[0]!).host).toBe('example.test:5005')
  })
})

describe('engine probe: python-socketio 5 (python-engineio 4) on aiohttp', () => {
  const servers: PythonServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.stop()
  })

  it('fingerprints its handshake: no maxPayload, pingTimeout first', async () => {
    const server = await startPythonSocketIo('full')
    servers.push(server)
    const result = await probeEngineIo(server.url)
    expect(result.outcome).toBe('handshake')
    expect(result.fingerprint).toMatchObject({ engineIo: 4, implementation: 'python-engineio', upgrades: ['websocket'] })
    expect(result.fingerprint.maxPayload).toBeUndefined()
  })

  it('reads "Invalid transport" from a websocket-only server as python-engineio refusing polling', async () => {
    const server = await startPythonSocketIo('websocket-only')
    servers.push(server)
    const result = await probeEngineIo(server.url)
    expect(result).toMatchObject({ outcome: 'refused', status: 400, body: '"Invalid transport"', engineError: { message: 'Invalid transport' } })
    expect(result.fingerprint.implementation).toBe('python-engineio')
    expect(pythonRefusal(result.body)).toBe('transport')
  })

  it('refuses an EIO=3 probe with its own words', async () => {
    const server = await startPythonSocketIo('full')
    servers.push(server)
    const result = await probeEngineIo(server.url, { eio: 3 })
    expect(result.outcome).toBe('refused')
    expect(pythonRefusal(result.body)).toBe('version')
  })
})

describe('engine probe: parsing', () => {
  it('tells Engine.IO 4 from 3 and refuses what is not an open packet', () => {
    expect(parseOpenPacket('0{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":2,"maxPayload":3}')?.eio).toBe(4)
    const open3 = '0{"sid":"a","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}'
    expect(parseOpenPacket(`${open3.length}:${open3}2:40`)?.eio).toBe(3)
    expect(parseOpenPacket('<html>')).toBeUndefined()
    expect(parseOpenPacket('0{"nosid":1}')).toBeUndefined()
    expect(parseOpenPacket('0{broken')).toBeUndefined()
  })

  it('names the implementation from what the handshake and the error bodies hold, and nothing from a stranger', () => {
    expect(describeHandshake({ sid: 'a', upgrades: [], pingTimeout: 1, pingInterval: 2 }).implementation).toBe('python-engineio')
    expect(describeHandshake({ sid: 'a', upgrades: [], pingInterval: 2, pingTimeout: 1, maxPayload: 9 }).implementation).toBe('node-engine.io')
    expect(describeHandshake({ sid: 'a', upgrades: [] }).implementation).toBeUndefined()
    expect(fingerprintOfError('{"code":0,"message":"Transport unknown"}').implementation).toBe('node-engine.io')
    expect(fingerprintOfError('"http://localhost:5173 is not an accepted origin."').implementation).toBe('python-engineio')
    expect(fingerprintOfError('"Something else"')).toEqual({})
    expect(fingerprintOfError('Cannot GET /')).toEqual({})
    expect(normalizeEnginePath('realtime/io/')).toBe('/realtime/io/')
    expect(normalizeEnginePath('/')).toBe('/')
  })
})

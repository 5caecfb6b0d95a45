/**
 * How the Start-here panel finds the dev server (src/presets.ts), against the real dev server and the real endpoint
 * handler `npm start` serves (dev-server/inspector-endpoint.ts): the ports it names win over the defaults, no
 * endpoint falls back to asking the default ports, nothing listening is "absent", and the Reconnect demo's restart
 * goes through the control API with the token.
 */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devServerInfoHandler, DEV_SERVER_INFO_PATH } from '../../dev-server/inspector-endpoint.ts'
import { discoverDevServer, presetSessions, readDevServerInfo, restartDevServer, type DevServerEndpoints } from '../../src/presets'
import { useDevServer } from '../support/devServer'
import { closedPort, listenOnLoopback } from '../support/ports'

describe('Start here: finding the dev server', () => {
  const server = useDevServer()
  let inspector: Server
  let infoUrl: string
  let withoutEndpoint: string

  beforeAll(async () => {
    const handler = devServerInfoHandler(() => ({ controlUrl: server().urls.control, token: server().controlToken, urls: { ...server().urls } }))
    inspector = createServer((req, res) => handler(req, res, () => {
      res.writeHead(404)
      res.end('not found')
    }))
    const port = await listenOnLoopback(inspector as unknown as import('node:net').Server)
    infoUrl = `http://localhost:${port}${DEV_SERVER_INFO_PATH}`
    withoutEndpoint = `http://localhost:${port}/nothing-here.json`
  })
  afterAll(async () => {
    await new Promise<void>(resolve => inspector.close(() => resolve()))
  })

  it('takes the endpoints and the control token the inspector serves (ports chosen at start, not the defaults)', async () => {
    const found = await discoverDevServer({ infoUrl })
    expect(found).toEqual({
      status: 'running',
      source: 'endpoint',
      endpoints: { ws: server().urls.ws, wss: server().urls.wss, socketio: server().urls.socketio, polling: server().urls.polling, socketioV2: server().urls.socketioV2 },
      control: { url: server().urls.control, token: server().controlToken },
    })
    // And the presets open on them.
    if (found.status !== 'running') throw new Error('not running')
    expect(presetSessions('wsEcho', found.endpoints)).toEqual([{ url: `${server().urls.ws}/`, type: 'ws', message: 'hello' }])
    expect(presetSessions('socketioV2', found.endpoints)[0]).toMatchObject({ url: server().urls.socketioV2, type: 'socketio', client: 'v2' })
    expect(presetSessions('rooms', found.endpoints, { room: 'lobby-1' }).map(s => [s.url, JSON.parse(s.message!).room])).toEqual([[server().urls.socketio, 'lobby-1'], [server().urls.socketio, 'lobby-1']])
    expect(presetSessions('reconnect', found.endpoints, { control: true })[0]!.url).toBe(server().urls.socketio)
    expect(presetSessions('reconnect', found.endpoints, { control: false })[0]!.url).toBe(`${server().urls.ws}/drop?after=2000`)
  })

  it('without the endpoint, asks whether the default ports answer', async () => {
    const defaults: DevServerEndpoints = { ws: server().urls.ws, wss: server().urls.wss, socketio: server().urls.socketio, polling: server().urls.polling, socketioV2: server().urls.socketioV2 }
    expect(await discoverDevServer({ infoUrl: withoutEndpoint, defaults })).toEqual({ status: 'running', source: 'ports', endpoints: defaults })
  })

  it('says absent when neither the endpoint nor the ports answer, within its time bound', async () => {
    const [a, b] = [await closedPort(), await closedPort()]
    const defaults: DevServerEndpoints = { ws: `ws://127.0.0.1:${a}`, wss: `wss://127.0.0.1:${a}`, socketio: `http://127.0.0.1:${b}`, polling: `http://127.0.0.1:${b}`, socketioV2: `http://127.0.0.1:${b}` }
    const started = Date.now()
    expect(await discoverDevServer({ infoUrl: `http://127.0.0.1:${await closedPort()}${DEV_SERVER_INFO_PATH}`, defaults, timeoutMs: 500 })).toEqual({ status: 'absent', endpoints: defaults })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('never takes a URL of the wrong scheme from the endpoint', () => {
    const info = readDevServerInfo({ urls: { ws: 'javascript:alert(1)', socketio: 'ws://x', polling: 'http://127.0.0.1:1' }, controlUrl: 'file:///etc', token: 't' })
    expect(info?.endpoints.ws).toBe('ws://localhost:8080')
    expect(info?.endpoints.socketio).toBe('http://localhost:3000')
    expect(info?.endpoints.polling).toBe('http://127.0.0.1:1')
    expect(info?.control).toBeUndefined()
    expect(readDevServerInfo('nonsense')).toBeUndefined()
  })

  it('the Reconnect demo restarts the servers through the control API, and only with the token', async () => {
    const before = server().status().restarts
    expect(await restartDevServer({ url: server().urls.control, token: 'wrong-token-wrong-token-wrong-token' }, 0)).toBe(false)
    expect(server().status().restarts).toBe(before)
    expect(await restartDevServer({ url: server().urls.control, token: server().controlToken }, 100)).toBe(true)
    expect(server().status().restarts).toBe(before + 1)
  })
})

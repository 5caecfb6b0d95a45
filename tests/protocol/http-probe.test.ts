/**
 * The HTTP probe against real servers over real sockets (Node's fetch): an HTTP server that answers every request
 * 426 as a WebSocket-only server does; a closed port; a TCP server that never answers. Node's fetch has no origin, so 'no-cors' changes
 * nothing here and the status shows; the browser's opaque answer is covered end to end (tests/e2e/diagnoses-ws.spec.ts).
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpUrlOf, probeHttp, ProbeBudget, type ProbeFinding } from '../../src/protocol/httpProbe'
import { closedPort, listenOnLoopback } from '../support/ports'

let http: HttpServer
let httpPort: number
let silent: Server
let silentPort: number
const held = new Set<Socket>()

beforeAll(async () => {
  http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' })
    res.end('Upgrade Required')
  })
  httpPort = await listenOnLoopback(http as unknown as Server)
  // Accepts TCP and says nothing: a probe must time out, not hang.
  silent = createServer((socket) => {
    held.add(socket)
    socket.on('close', () => held.delete(socket))
  })
  silentPort = await listenOnLoopback(silent)
})

afterAll(async () => {
  for (const socket of held) socket.destroy()
  await new Promise<void>(resolve => silent?.close(() => resolve()))
  await new Promise<void>(resolve => http?.close(() => resolve()))
})

describe('httpUrlOf', () => {
  it.each([
    ['ws://localhost:8080/echo?token=x', 'http://localhost:8080/echo'],
    ['wss://example.org/feed', 'https://example.org/feed'],
    ['ws://[::1]:9000', 'http://[::1]:9000/'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
  ])('%s → %s', (ws, http) => {
    expect(httpUrlOf(ws)).toBe(http)
  })
  it('no URL for text that is none, or another scheme', () => {
    expect(httpUrlOf('localhost 8080')).toBeUndefined()
    expect(httpUrlOf('ftp://localhost/')).toBeUndefined()
  })
})

describe('probeHttp', () => {
  it('says something answers HTTP at a WebSocket server\'s port', async () => {
    const url = httpUrlOf(`ws://127.0.0.1:${httpPort}/echo`)!
    const found = await probeHttp(url)
    expect(found).toMatchObject({ kind: 'http', url, outcome: 'answers', status: 426 })
    expect(found.summary).toMatchObject({ key: 'protocol.probe.httpAnswersStatus', params: { url, status: 426 } })
  })

  it('says nothing answers at a closed port', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`
    const found = await probeHttp(url)
    expect(found).toMatchObject({ kind: 'http', url, outcome: 'nothing' })
    expect(found.status).toBeUndefined()
    expect(found.summary).toMatchObject({ key: 'protocol.probe.httpNothing', params: { url, why: { key: 'protocol.probe.cause', params: { cause: 'ECONNREFUSED' } } } })
  })

  it('gives up on a server that never answers', async () => {
    const url = `http://127.0.0.1:${silentPort}/`
    const found = await probeHttp(url, { timeoutMs: 300 })
    expect(found).toMatchObject({ outcome: 'timeout' })
    expect(found.summary).toEqual({ key: 'protocol.probe.httpTimeout', params: { url, timeoutMs: 300 } })
  })

  it('rejects with an AbortError when the caller aborts', async () => {
    const controller = new AbortController()
    const pending = probeHttp(`http://127.0.0.1:${silentPort}/`, { timeoutMs: 10_000, signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('passes no-cors by default, and leaves the mode out when told', async () => {
    const seen: (RequestInit | undefined)[] = []
    const spy: typeof fetch = (input, init) => {
      seen.push(init)
      return fetch(input, init)
    }
    const url = httpUrlOf(`ws://127.0.0.1:${httpPort}/`)!
    await probeHttp(url, { fetch: spy })
    await probeHttp(url, { fetch: spy, mode: undefined })
    // 'follow': a browser throws a TypeError for a no-cors request with any other redirect mode.
    expect(seen[0]).toMatchObject({ mode: 'no-cors', cache: 'no-store', redirect: 'follow' })
    expect(seen[1] && 'mode' in seen[1]).toBe(false)
  })
})

describe('ProbeBudget', () => {
  const finding = (n: number): ProbeFinding[] => [{ kind: 'http', url: `http://x/${n}`, outcome: 'answers', ms: 1, summary: { key: 'protocol.probe.httpAnswers', params: { url: `http://x/${n}`, ms: 1 } } }]

  function setup(options: { maxPerRun?: number } = {}) {
    let t = 0
    let made = 0
    const budget = new ProbeBudget({ now: () => t, againAfterMs: 1000, ...options })
    const run = () => Promise.resolve(finding(++made))
    return { budget, run, advance: (ms: number) => { t += ms }, made: () => made }
  }

  it('probes a kind once, and reuses the finding until its backoff has passed, doubling it', async () => {
    const { budget, run, advance, made } = setup()
    expect(await budget.probe('nothing-listening', run)).toEqual(finding(1))
    expect(await budget.probe('nothing-listening', run)).toEqual(finding(1))
    expect(budget.known('nothing-listening')).toEqual(finding(1))
    advance(999)
    await budget.probe('nothing-listening', run)
    expect(made()).toBe(1)
    advance(1)
    expect(await budget.probe('nothing-listening', run)).toEqual(finding(2))
    advance(1999)
    await budget.probe('nothing-listening', run)
    expect(made()).toBe(2)
    advance(1)
    await budget.probe('nothing-listening', run)
    expect(made()).toBe(3)
  })

  it('a probe that got no answer at all (a timeout) may be made again sooner: 5 s, then 10 s, within the cap', async () => {
    let t = 0
    const outcomes: ProbeFinding['outcome'][] = ['timeout', 'timeout', 'nothing']
    const made: ProbeFinding['outcome'][] = []
    const budget = new ProbeBudget({ now: () => t, againAfterMs: 30_000, maxPerRun: 3 })
    const run = () => {
      const outcome = outcomes[made.length]!
      made.push(outcome)
      return Promise.resolve([{ ...finding(made.length)[0]!, outcome }])
    }
    await budget.probe('http', run)
    t += 4_999
    await budget.probe('http', run)
    expect(made).toEqual(['timeout'])
    t += 1
    await budget.probe('http', run)
    expect(made).toEqual(['timeout', 'timeout'])
    t += 9_999
    await budget.probe('http', run)
    expect(made).toHaveLength(2)
    t += 1
    expect((await budget.probe('http', run))![0]!.outcome).toBe('nothing')
    // A finding that settles it: the normal doubling backoff again, and the run's cap holds whatever the outcome.
    t += 60_000
    expect((await budget.probe('http', run))![0]!.outcome).toBe('nothing')
    expect(made).toHaveLength(3)
  })

  it('each kind has its own probe; a run has a cap over all kinds', async () => {
    const { budget, run, made } = setup({ maxPerRun: 2 })
    await budget.probe('a', run)
    await budget.probe('b', run)
    expect(budget.probe('c', run)).toBeUndefined()
    expect(made()).toBe(2)
    expect(budget.count).toBe(2)
  })

  it('start() begins a new run; abort() cancels the probe under way, which may then be made again', async () => {
    const { budget, run, made } = setup()
    let seenSignal: AbortSignal | undefined
    const pending = budget.probe('slow', signal => new Promise((_resolve, reject) => {
      seenSignal = signal
      signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))
    }))!
    budget.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(seenSignal?.aborted).toBe(true)
    expect(budget.known('slow')).toBeUndefined()
    await budget.probe('slow', run)
    expect(made()).toBe(1)
    budget.start()
    expect(budget.known('slow')).toBeUndefined()
    expect(budget.count).toBe(0)
  })
})

describe('probes as evidence', () => {
  it('diagnose() lists what each probe found', async () => {
    const { evidenceOf } = await import('../../src/protocol/diagnose')
    const found = await probeHttp(`http://127.0.0.1:${httpPort}/`)
    const lines = evidenceOf({ protocol: 'ws', url: `ws://127.0.0.1:${httpPort}/`, everOpened: false, closeCode: 1006, probes: [found] })
    expect(lines).toContainEqual(found.summary)
  })
})

/**
 * Issue 9: the dev server's banner speaks English or Korean, from `--lang` or the environment (LC_ALL, LC_MESSAGES,
 * LANG), with its words in the app's catalogues (src/i18n/messages/<locale>/devServer.ts). Links, ports, tokens and
 * event names read the same in both.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bannerLocale, fill } from '../../dev-server/banner.ts'
import { parseCli } from '../../dev-server/cli.ts'
import { DEFAULT_PORTS, formatBanner } from '../../dev-server/index.ts'
import en from '../../src/i18n/messages/en/devServer.ts'
import { RAW_WS_PATHS } from '../../dev-server/raw-ws.ts'
import { WsProbe } from '../support/devServer.ts'

const fake = { ports: { ...DEFAULT_PORTS }, adminToken: 'letmein', controlToken: 'tok-0123456789abcdef', controlOrigins: ['http://localhost:5173'], status: () => ({ host: '127.0.0.1' }) }

/** Every link, port, token and URL the banner prints: what must not change with the language. */
function links(banner: string): string[] {
  return [...banner.matchAll(/(?:https?|wss?):\/\/[^\s,]+|Bearer \S+|\?token=\S+/g)].map(m => m[0])
}

describe('the banner\'s language', () => {
  it('is English by default, and the words come from the catalogue', () => {
    const banner = formatBanner(fake)
    expect(banner).toContain('\nSocketLens dev server\n')
    expect(banner).toContain(`    ${'ws://localhost:8080/close-after'.padEnd(36)} ${RAW_WS_PATHS['/close-after']}`)
    expect(banner).toContain('ticker: subscribe / unsubscribe "AAPL"')
    // Literal braces written {'{'} in the catalogue come out as braces; every value is filled in.
    expect(banner).toContain('message {room, message} (the others get `message`')
    expect(banner).toContain('roomMessage {room, message} (the others get {room, message, from}; ack {room, delivered})')
    expect(banner).toContain('/admin: auth { token: "letmein" }')
    expect(banner).not.toMatch(/\{'|\{(?:link|url|port|token|host|event|origins|actions|path|tls|both)\}/)
  })

  it('speaks Korean with the same links, ports and tokens', () => {
    const english = formatBanner(fake)
    const korean = formatBanner(fake, { locale: 'ko' })
    expect(links(korean)).toEqual(links(english))
    expect(links(korean).length).toBeGreaterThan(25)
    for (const text of [
      'SocketLens 개발 서버', '웹소켓 (ws), 포트 8080:', '보안 웹소켓: wss://localhost:8443/ 및 wss://localhost:8080/',
      'Socket.IO, 롱 폴링 전용: http://localhost:3001', '방 입장 joinRoom "room"', '확인 응답',
      '      열기: http://localhost:5173/?url=ws%3A%2F%2Flocalhost%3A8080%2F&type=ws&connect=1',
      '/admin: 인증 auth { token: "letmein" }', '브라우저 출처: http://localhost:5173', 'Ctrl-C를 누르면 개발 서버가 멈춤.',
      `    ${'ws://localhost:8080/echo'.padEnd(36)} 바이트 그대로 에코`,
    ]) expect(korean).toContain(text)
    // No English sentence is left: every line with words reads in Korean, or is a link, a list of names or a path.
    expect(korean).not.toContain('open: ')
    expect(korean).not.toContain('dev server')
    expect(formatBanner({ ...fake, status: () => ({ host: '0.0.0.0' }) }, { locale: 'ko' })).toContain('경고: 0.0.0.0에서 수신 중')
  })

  it('describes every raw WebSocket path in the catalogue', () => {
    const named = Object.keys(en.banner.paths)
    const pathNames = Object.keys(RAW_WS_PATHS).map(p => p === '/' ? 'root' : p.slice(1).replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()))
    expect(pathNames.sort()).toEqual(named.sort())
    // The English words are the ones the server's own GET / page shows (raw-ws.ts).
    for (const [path, text] of Object.entries(RAW_WS_PATHS)) expect(formatBanner(fake)).toContain(`${path.padEnd(36 - 'ws://localhost:8080'.length)} ${text}`)
  })

  it('comes from --lang, else LC_ALL, LC_MESSAGES, LANG (ko* is Korean, anything else English)', () => {
    expect(bannerLocale(undefined, {})).toBeUndefined()
    expect(bannerLocale(undefined, { LANG: 'ko_KR.UTF-8' })).toBe('ko')
    expect(bannerLocale(undefined, { LANG: 'ko' })).toBe('ko')
    expect(bannerLocale(undefined, { LANG: 'C.UTF-8' })).toBe('en')
    expect(bannerLocale(undefined, { LANG: 'kok_IN' })).toBe('en') // Konkani, not Korean
    expect(bannerLocale(undefined, { LANG: 'ko_KR.UTF-8', LC_ALL: 'en_US.UTF-8' })).toBe('en')
    expect(bannerLocale(undefined, { LANG: 'en_US.UTF-8', LC_MESSAGES: 'ko_KR.UTF-8' })).toBe('ko')
    expect(bannerLocale(undefined, { LANG: 'ko_KR.UTF-8', LC_ALL: '' })).toBe('ko')
    expect(bannerLocale('en', { LANG: 'ko_KR.UTF-8' })).toBe('en')
    expect(bannerLocale('ko-KR', { LC_ALL: 'C' })).toBe('ko')
    expect(() => bannerLocale('fr', {})).toThrow('--lang must be en or ko, got "fr"')
    expect(parseCli(['--lang', 'ko'], {}).locale).toBe('ko')
    expect(parseCli([], { LANG: 'ko_KR.UTF-8' }).locale).toBe('ko')
    expect(parseCli([], { LANG: 'en_GB.UTF-8' }).locale).toBe('en')
    expect(() => parseCli(['--lang', 'xx'], {})).toThrow('--lang must be en or ko')
  })

  it('fills values and literals the way vue-i18n does', () => {
    expect(fill("a {x} {'{'}b{'}'} { y } {z}", { x: 1, y: 'two' })).toBe('a 1 {b} two {z}')
  })
})

describe('npm run dev-server in Korean', () => {
  let certDir: string
  beforeAll(async () => {
    certDir = await mkdtemp(join(tmpdir(), 'socketlens-cert-'))
  })
  afterAll(async () => {
    await rm(certDir, { recursive: true, force: true })
  })

  it('prints the Korean banner under LANG=ko_KR.UTF-8, and its links lead to live endpoints', async () => {
    const main = fileURLToPath(new URL('../../dev-server/main.ts', import.meta.url))
    const zeroPorts = ['--ws-port', '--wss-port', '--socketio-port', '--polling-port', '--socketio-v2-port', '--msgpack-port', '--websocket-only-port', '--custom-path-port', '--http-only-port', '--control-port'].flatMap(f => [f, '0'])
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...zeroPorts, '--cert-dir', certDir, '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LANG: 'ko_KR.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
    try {
      const deadline = Date.now() + 15_000
      while (!out.includes('개발 서버가 멈춤') && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
      expect(out).toContain('SocketLens 개발 서버')
      expect(out).not.toContain('SocketLens dev server')
      const wsPort = /웹소켓 \(ws\), 포트 (\d+):/.exec(out)?.[1]
      expect(wsPort).toBeDefined()
      const p = new WsProbe(`ws://127.0.0.1:${wsPort}/`)
      await p.opened
      p.ws.send('안녕')
      expect(await p.take(1)).toEqual([{ data: 'echo message 안녕', binary: false }])
      p.close()
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    }
    finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})

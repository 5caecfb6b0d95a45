/**
 * Artillery 2.0.21, installed on demand into a folder of its own (not the app's package.json: it is about 600 MB,
 * and 2.0.21 is the last release that runs on Node 20). The folder is cached between runs, outside the clone:
 * `${SOCKETLENS_ARTILLERY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/socketlens/artillery-2.0.21}`. A second call finds it
 * there and returns at once; two processes installing at the same time take turns (a lock folder beside it).
 *
 *   npx tsx scripts/artillery.ts          installs when missing, prints the path of the `artillery` binary
 *
 * The install runs `npm install --prefix <dir> artillery@2.0.21 --no-audit --no-fund` with
 * PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 (Artillery depends on Playwright; nothing may be downloaded from outside the
 * package registries). npm's EBADENGINE warnings (a dependency that asks for a newer Node) are printed and returned.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ARTILLERY_VERSION = '2.0.21'

export function artilleryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SOCKETLENS_ARTILLERY_DIR) return resolve(env.SOCKETLENS_ARTILLERY_DIR)
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(cache, 'socketlens', `artillery-${ARTILLERY_VERSION}`)
}

export interface ArtilleryInstall {
  /** The `artillery` binary. */
  bin: string
  dir: string
  /** It was there already. */
  cached: boolean
  /** npm's EBADENGINE warnings of this install (none when cached). */
  engineWarnings: string[]
  /** ms the install took (0 when cached). */
  ms: number
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', 'artillery', 'package.json'), 'utf8')) as { version?: string }).version
  }
  catch {
    return undefined
  }
}

function binOf(dir: string): string {
  return join(dir, 'node_modules', '.bin', 'artillery')
}

function ready(dir: string): boolean {
  return installedVersion(dir) === ARTILLERY_VERSION && existsSync(binOf(dir))
}

const sleep = (ms: number): Promise<void> => new Promise(done => setTimeout(done, ms))

/** Take the lock folder; a lock older than 15 minutes is a crashed install's and is taken over. */
async function lock(path: string): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(path)
      return () => rmSync(path, { recursive: true, force: true })
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      try {
        if (Date.now() - statSync(path).mtimeMs > 15 * 60_000) rmSync(path, { recursive: true, force: true })
      }
      catch {
        // Gone meanwhile: try again.
      }
      await sleep(1000)
    }
  }
}

function npmInstall(dir: string, log: (line: string) => void): Promise<{ code: number | null, output: string }> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['install', '--prefix', dir, `artillery@${ARTILLERY_VERSION}`, '--no-audit', '--no-fund'], {
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const take = (chunk: Buffer): void => {
      const text = chunk.toString()
      output += text
      for (const line of text.split('\n')) if (line.trim()) log(line)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('error', fail)
    child.on('close', code => done({ code, output }))
  })
}

/** The `artillery` binary, installed first when missing. */
export async function ensureArtillery(options: { dir?: string, log?: (line: string) => void } = {}): Promise<ArtilleryInstall> {
  const dir = options.dir ?? artilleryDir()
  const log = options.log ?? ((line: string) => console.error(`[artillery install] ${line}`))
  if (ready(dir)) return { bin: binOf(dir), dir, cached: true, engineWarnings: [], ms: 0 }
  mkdirSync(dirname(dir), { recursive: true })
  const release = await lock(`${dir}.lock`)
  try {
    // Another process may have finished it while this one waited.
    if (ready(dir)) return { bin: binOf(dir), dir, cached: true, engineWarnings: [], ms: 0 }
    mkdirSync(dir, { recursive: true })
    const started = Date.now()
    log(`installing artillery@${ARTILLERY_VERSION} into ${dir} (about 600 MB, a few minutes; cached afterwards)`)
    const { code, output } = await npmInstall(dir, log)
    const engineWarnings = output.split('\n').filter(line => /EBADENGINE/.test(line))
    if (code !== 0 || !ready(dir)) throw new Error(`npm install artillery@${ARTILLERY_VERSION} failed (exit ${code}):\n${output.slice(-4000)}`)
    if (engineWarnings.length > 0) log(`${engineWarnings.length} EBADENGINE warning(s): a dependency asks for another Node than ${process.version}`)
    return { bin: binOf(dir), dir, cached: false, engineWarnings, ms: Date.now() - started }
  }
  finally {
    release()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureArtillery().then((install) => {
    if (!install.cached) console.error(`artillery ${ARTILLERY_VERSION} installed in ${Math.round(install.ms / 1000)} s`)
    console.log(install.bin)
  }, (error: unknown) => {
    console.error((error as Error).message)
    process.exit(1)
  })
}

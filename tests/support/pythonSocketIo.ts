/**
 * Starts tests/support/python-socketio-server.py with Debian's Python (python3-socketio, python3-aiohttp) on a free
 * port, for the interoperability tests, and kills it afterwards. Used by the unit suites and the end-to-end specs.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Debian's interpreter: the `python3` first on PATH may be another one without python-socketio. */
export const PYTHON = process.env.SOCKETLENS_PYTHON ?? '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./python-socketio-server.py', import.meta.url))

export type PythonServerMode = 'full' | 'websocket-only' | 'default-cors'

export interface PythonServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** Kills the server and waits for it to exit. */
  stop: () => Promise<void>
}

export function pythonAvailable(): boolean {
  return existsSync(PYTHON)
}

/** Starts the server in `mode`; rejects with its stderr when it does not come up within 15 s. */
export function startPythonSocketIo(mode: PythonServerMode = 'full', options: { path?: string } = {}): Promise<PythonServer> {
  const args = [SCRIPT, '--mode', mode]
  if (options.path) args.push('--path', options.path)
  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const stop = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`python-socketio server (${mode}) did not start:\n${stderr}`))
    }, 15_000)
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /LISTENING (\d+)/.exec(out)
      if (!match) return
      clearTimeout(timer)
      const port = Number(match[1])
      resolve({ url: `http://127.0.0.1:${port}`, port, stop })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`python-socketio server (${mode}) exited with ${code}:\n${stderr}`))
    })
  })
}

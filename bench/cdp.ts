import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { WebSocket } from 'ws'

/** A loopback port free right now (for Chromium's --remote-debugging-port). */
export async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/**
 * A bare DevTools-protocol client for one page target, over the page's own debugger WebSocket.
 *
 * Why not Playwright's page: Playwright enables the Network domain on its pages, which reports every WebSocket
 * frame to the driver and by itself caps a bare page at 6,000–10,000 frames/s. This client only ever sends Page.*
 * and Runtime.* commands, so the measured page runs as it would for a person.
 */
export class CdpPage {
  private nextId = 1
  private pending = new Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>()
  private listeners = new Map<string, ((params: unknown) => void)[]>()

  private constructor(private readonly socket: WebSocket, readonly targetId: string, private readonly debugPort: number) {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { id?: number, method?: string, params?: unknown, result?: unknown, error?: { message: string } }
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.error) waiter?.reject(new Error(message.error.message))
        else waiter?.resolve(message.result)
      }
      else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params)
      }
    })
    socket.on('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('DevTools connection closed'))
      this.pending.clear()
    })
  }

  /** Open a new tab through the DevTools HTTP endpoint and connect to it. */
  static async open(debugPort: number): Promise<CdpPage> {
    const response = await fetch(`http://127.0.0.1:${debugPort}/json/new?about:blank`, { method: 'PUT' })
    if (!response.ok) throw new Error(`DevTools /json/new answered ${response.status}`)
    const target = await response.json() as { id: string, webSocketDebuggerUrl: string }
    const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const page = new CdpPage(socket, target.id, debugPort)
    await page.send('Page.enable')
    return page
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.socket.send(JSON.stringify({ id, method, params }))
    })
  }

  /** Call `listener` for every `method` event until the returned function is called. */
  on(method: string, listener: (params: unknown) => void): () => void {
    const list = this.listeners.get(method) ?? []
    list.push(listener)
    this.listeners.set(method, list)
    return () => {
      const index = list.indexOf(listener)
      if (index >= 0) list.splice(index, 1)
    }
  }

  once(method: string): Promise<unknown> {
    return new Promise((resolve) => {
      const list = this.listeners.get(method) ?? []
      const listener = (params: unknown) => {
        list.splice(list.indexOf(listener), 1)
        resolve(params)
      }
      list.push(listener)
      this.listeners.set(method, list)
    })
  }

  /** Evaluate an expression in the page (awaiting a returned promise) and return its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send<{ result: { value?: T }, exceptionDetails?: { text: string, exception?: { description?: string } } }>(
      'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })
    if (result.exceptionDetails)
      throw new Error(`in page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`)
    return result.result.value as T
  }

  /** Run `source` before any page script on every navigation, then go to `url` and wait for load. */
  async navigate(url: string, initScript?: string): Promise<void> {
    if (initScript) await this.send('Page.addScriptToEvaluateOnNewDocument', { source: initScript })
    const loaded = this.once('Page.loadEventFired')
    await this.send('Page.navigate', { url })
    await loaded
  }

  async close(): Promise<void> {
    this.socket.close()
    await fetch(`http://127.0.0.1:${this.debugPort}/json/close/${this.targetId}`).catch(() => undefined)
  }
}

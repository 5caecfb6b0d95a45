/**
 * Cheap active probes, made only after a failure and only to the host and port the session failed to reach.
 *
 * A browser reports every failed WebSocket handshake as the same bare 1006 (PROTOCOL.md), but a page can still ask
 * the same host and port an ordinary HTTP question: `fetch(url, { mode: 'no-cors' })` resolves with an opaque
 * response when anything answers HTTP there, whatever the status and CORS headers, and rejects with a TypeError
 * when nothing does (refused, unreachable, TLS not trusted, or blocked by the browser). That tells "something
 * answers HTTP here, it does not accept WebSocket at this path" from "nothing listening".
 *
 * Probes are bounded (`ProbeBudget`): one per failure kind per run, again only after a backoff that doubles, at most
 * a few per run, and aborted when the user disconnects or the session is disposed. They never loop.
 */
import { message, NOTHING, type MessageRef } from './message'
import { timedAbort } from './timedAbort'

/** What one probe found, as diagnose.ts reads it (`FailureFacts.probes`). */
export interface ProbeFinding {
  /** 'http': a no-cors fetch; 'engine.io': a Socket.IO polling handshake (`/socket.io/?EIO=4&transport=polling`). */
  kind: 'http' | 'engine.io'
  /** The URL asked. */
  url: string
  /**
   * 'answers': an HTTP answer came (for 'engine.io': an Engine.IO handshake came); 'nothing': the request failed
   * (for 'engine.io': no handshake in the answer); 'timeout': no answer within the probe's timeout.
   */
  outcome: 'answers' | 'nothing' | 'timeout'
  /** How long the probe took, ms. */
  ms: number
  /** HTTP status, where the platform shows it (Node; a browser's no-cors answer hides it). */
  status?: number
  /** Engine.IO protocol version of a handshake that came back. */
  eio?: 3 | 4
  /** One line for "Why we think so", naming what was asked and what came back (`protocol.probe.*`). */
  summary: MessageRef
}

export interface HttpProbeOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /**
   * Request mode. A page must use 'no-cors' to see that a foreign origin answers at all; undefined leaves the
   * platform's default (Node's fetch has no origin to protect and shows the status either way).
   * @default 'no-cors'
   */
  mode?: RequestMode
  /** Give up after this many ms and report 'timeout'. @default 3000 */
  timeoutMs?: number
  /** Aborts the probe (the user disconnected): the promise rejects with an AbortError. */
  signal?: AbortSignal
  /** @default performance.now */
  now?: () => number
}

/** The http(s) URL a ws(s) URL's server answers ordinary HTTP on: same host and port, same path, no query. */
export function httpUrlOf(wsUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(wsUrl)
  }
  catch {
    return undefined
  }
  const scheme = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol
  if (scheme !== 'http:' && scheme !== 'https:') return undefined
  // The query may hold a token meant for the WebSocket endpoint; the probe asks only whether HTTP answers.
  return `${scheme}//${url.host}${url.pathname}`
}

/**
 * Ask `httpUrl` an ordinary HTTP question and say whether anything answered. Rejects only when `signal` aborts;
 * every other outcome is a finding.
 */
export async function probeHttp(httpUrl: string, options: HttpProbeOptions = {}): Promise<ProbeFinding> {
  const doFetch = options.fetch ?? globalThis.fetch
  const clock = options.now ?? (() => performance.now())
  const timeoutMs = options.timeoutMs ?? 3000
  const secure = httpUrl.startsWith('https:')
  const started = clock()
  const abort = timedAbort(timeoutMs, options.signal)
  const base = { kind: 'http' as const, url: httpUrl }
  try {
    if (options.signal?.aborted) throw abortError()
    const mode = 'mode' in options ? options.mode : 'no-cors'
    // A browser refuses a no-cors request whose redirect mode is not 'follow' (Fetch: a TypeError before any
    // traffic, which would read as "nothing answers"), so a redirect is followed there; elsewhere it is not.
    const init: RequestInit = { cache: 'no-store', signal: abort.signal, redirect: mode === 'no-cors' ? 'follow' : 'manual', credentials: 'omit' }
    if (mode !== undefined) init.mode = mode
    const res = await doFetch(httpUrl, init)
    // Nothing is read: free the connection at once.
    void res.body?.cancel().catch(() => {})
    const ms = Math.round(clock() - started)
    // A no-cors answer is opaque (type 'opaque', status 0); a redirect with redirect: 'manual' is 'opaqueredirect'.
    const status = res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0 ? undefined : res.status
    return {
      ...base,
      outcome: 'answers',
      ms,
      ...(status !== undefined ? { status } : {}),
      summary: status !== undefined
        ? message('protocol.probe.httpAnswersStatus', { url: httpUrl, status, ms })
        : message('protocol.probe.httpAnswers', { url: httpUrl, ms }),
    }
  }
  catch (err) {
    if (options.signal?.aborted) throw abortError()
    const ms = Math.round(clock() - started)
    if (abort.timedOut) {
      return { ...base, outcome: 'timeout', ms, summary: message('protocol.probe.httpTimeout', { url: httpUrl, timeoutMs }) }
    }
    const cause = (err as { cause?: { code?: unknown } })?.cause?.code
    const why = typeof cause === 'string' ? message('protocol.probe.cause', { cause }) : NOTHING
    return {
      ...base,
      outcome: 'nothing',
      ms,
      summary: message(secure ? 'protocol.probe.httpsNothing' : 'protocol.probe.httpNothing', { url: httpUrl, ms, why }),
    }
  }
  finally {
    abort.release()
  }
}

function abortError(): Error {
  const err = new Error('The probe was aborted')
  err.name = 'AbortError'
  return err
}

export interface ProbeBudgetOptions {
  /** Probes in one run, all kinds together. @default 6 */
  maxPerRun?: number
  /** Wait before the same kind may be probed again in a run; doubles each time. @default 30000 */
  againAfterMs?: number
  /**
   * The wait instead after a probe that found nothing either way (every finding a timeout: say, a server in the
   * middle of shutting down): its answer is still open, so it may be asked again sooner; doubles too. @default 5000
   */
  inconclusiveAfterMs?: number
  /** @default Date.now */
  now?: () => number
}

interface Entry {
  promise: Promise<ProbeFinding[]>
  at: number
  /** Wait before this key may be probed again. */
  nextGapMs: number
  result?: ProbeFinding[]
  /** Inconclusive findings (timeouts only) in a row for this key, this one included. */
  inconclusive?: number
}

/**
 * Keeps probes bounded within a run (from the user's Connect to the next): the first failure of a kind probes, later
 * failures of that kind reuse the finding until a backoff that doubles has passed (shorter after a probe that got no
 * answer at all, which settles nothing), a run makes at most `maxPerRun` probes, and `abort()` (Disconnect, dispose)
 * cancels the one under way.
 */
export class ProbeBudget {
  private readonly max: number
  private readonly againAfterMs: number
  private readonly inconclusiveAfterMs: number
  private readonly clock: () => number
  private entries = new Map<string, Entry>()
  private made = 0
  private controller = new AbortController()

  constructor(options: ProbeBudgetOptions = {}) {
    this.max = options.maxPerRun ?? 6
    this.againAfterMs = options.againAfterMs ?? 30_000
    this.inconclusiveAfterMs = Math.min(options.inconclusiveAfterMs ?? 5_000, this.againAfterMs)
    this.clock = options.now ?? Date.now
  }

  /** A new run: forget the findings, cancel a probe under way. */
  start(): void {
    this.abort()
    this.entries.clear()
    this.made = 0
  }

  /** Cancel any probe under way (its promise rejects with an AbortError). Findings already made stay. */
  abort(): void {
    this.controller.abort()
    this.controller = new AbortController()
    // An aborted probe may be made again later in the run.
    for (const [key, entry] of this.entries) {
      if (!entry.result) this.entries.delete(key)
    }
  }

  /** The finding for `key` already made in this run, if any. */
  known(key: string): ProbeFinding[] | undefined {
    return this.entries.get(key)?.result
  }

  /**
   * The findings for a failure of kind `key`: a new probe when none was made in this run or its backoff has passed
   * (and the run's budget allows), the probe under way, or undefined when the budget is spent and nothing is known.
   */
  probe(key: string, run: (signal: AbortSignal) => Promise<ProbeFinding[]>): Promise<ProbeFinding[]> | undefined {
    const entry = this.entries.get(key)
    const at = this.clock()
    if (entry && (!entry.result || at - entry.at < entry.nextGapMs || this.made >= this.max)) return entry.promise
    if (this.made >= this.max) return undefined
    this.made++
    const signal = this.controller.signal
    const next: Entry = {
      promise: run(signal),
      at,
      nextGapMs: entry ? entry.nextGapMs * 2 : this.againAfterMs,
    }
    next.promise = next.promise.then((result) => {
      if (this.entries.get(key) !== next) return result
      next.result = result
      if (result.length > 0 && result.every(f => f.outcome === 'timeout')) {
        next.inconclusive = (entry?.inconclusive ?? 0) + 1
        next.nextGapMs = Math.min(next.nextGapMs, this.inconclusiveAfterMs * 2 ** (next.inconclusive - 1))
      }
      return result
    })
    this.entries.set(key, next)
    return next.promise
  }

  /** Probes made in this run. */
  get count(): number {
    return this.made
  }
}

/**
 * Stalling Engine.IO heartbeats so that clients see a real `ping timeout`.
 *
 * In Engine.IO v4 the server sends `ping` every `pingInterval` and expects `pong` within `pingTimeout`; the client
 * closes with `ping timeout` when no ping arrives within `pingInterval + pingTimeout`. Dropping pings alone would
 * make the *server* time out first (the client would then see `transport close`), so a stall also suspends the
 * server's own timers. engine.io keeps them in two private fields of its `Socket` (`pingIntervalTimer`,
 * `pingTimeoutTimer`, both re-armed with `refresh()`); at the end of a stall the dev server pings at once
 * (`sendPacket('ping')` + `resetPingTimeout()`, what engine.io's interval timer does) and `schedulePing()` restarts
 * the cycle. Those internals
 * are pinned by the exact `socket.io` version in package.json; the test suite checks the effect with a real client.
 */
import type { Log } from './types.ts'

interface EngineSocketInternals {
  readyState: string
  pingIntervalTimer: NodeJS.Timeout | null
  pingTimeoutTimer: NodeJS.Timeout | null
  schedulePing(): void
  sendPacket(type: 'ping'): void
  resetPingTimeout(): void
  once(event: 'close', listener: () => void): unknown
}

function internals(socket: unknown): EngineSocketInternals | undefined {
  const s = socket as Partial<EngineSocketInternals> | null
  if (
    s && typeof s.schedulePing === 'function' && typeof s.sendPacket === 'function' && typeof s.resetPingTimeout === 'function'
    && 'pingIntervalTimer' in s && 'pingTimeoutTimer' in s
  ) {
    return s as EngineSocketInternals
  }
  return undefined
}

export class HeartbeatStaller {
  private until = 0
  private timer: NodeJS.Timeout | undefined
  private readonly stalled = new Set<EngineSocketInternals>()
  /** Sockets already carrying our `close` listener (one per socket, however many stalls it lives through). */
  private readonly watched = new WeakSet<EngineSocketInternals>()
  private warned = false

  constructor(
    private readonly log: Log,
    /** Every open engine.io socket of every Socket.IO server. */
    private readonly sockets: () => Iterable<unknown>,
  ) {}

  get stalledUntil(): number | null {
    return this.until > Date.now() ? this.until : null
  }

  /** Stops heartbeats on every open (and every new) engine socket for `ms`; 0 resumes at once. */
  stall(ms: number): void {
    const duration = Math.max(0, Math.min(600_000, Math.floor(Number.isFinite(ms) ? ms : 0)))
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (duration === 0) {
      this.resume()
      return
    }
    this.until = Date.now() + duration
    for (const socket of this.sockets()) this.suspend(socket)
    this.timer = setTimeout(() => this.resume(), duration)
    this.log(`[fault] heartbeats stalled for ${duration} ms`)
  }

  /** Called for every new engine socket: one that opens during a stall gets no heartbeat either. */
  onEngineSocket(socket: unknown): void {
    if (this.stalledUntil !== null) this.suspend(socket)
  }

  private suspend(socket: unknown): void {
    const s = internals(socket)
    if (!s) {
      if (!this.warned) this.log('[fault] cannot stall heartbeats: engine.io internals changed (check the pinned socket.io version)')
      this.warned = true
      return
    }
    if (s.readyState !== 'open' || this.stalled.has(s)) return
    if (s.pingIntervalTimer) clearTimeout(s.pingIntervalTimer)
    if (s.pingTimeoutTimer) clearTimeout(s.pingTimeoutTimer)
    // Null, not just cleared: a late pong calls pingIntervalTimer.refresh(), which would re-arm a fired timer.
    s.pingIntervalTimer = null
    s.pingTimeoutTimer = null
    this.stalled.add(s)
    if (!this.watched.has(s)) {
      this.watched.add(s)
      s.once('close', () => this.stalled.delete(s))
    }
  }

  private resume(): void {
    const wasStalled = this.until > 0
    this.until = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    for (const s of this.stalled) {
      if (s.readyState !== 'open' || s.pingIntervalTimer !== null) continue
      // Ping at once (as engine.io's own interval timer would), then let the regular cycle take over: a session that
      // opened late in the stall must not time out just because its next ping is still pingInterval away.
      s.sendPacket('ping')
      s.resetPingTimeout()
      s.schedulePing()
    }
    this.stalled.clear()
    if (wasStalled) this.log('[fault] heartbeats resumed')
  }

  /** Clears the timer without touching sockets (shutdown). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.until = 0
    this.stalled.clear()
  }
}

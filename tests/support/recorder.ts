/**
 * What the driver suites record a driver with: a sink and an onState that keep every event and state, waits that
 * resolve on what happened rather than after a time (and fail listing what did happen), and the predicates and
 * one-line descriptions the suites assert sequences with.
 */
import type { ConnectionState, DraftEvent, Driver, DriverHooks, Layer, Sink } from '../../src/protocol/types'

/** How long `until` waits for its events before it fails. */
const UNTIL_TIMEOUT_MS = 8000

/** Takes the event just recorded; true once the wait it stands for is over (it is then dropped). */
type Waiter = (latest: DraftEvent) => boolean

export class Recorder {
  readonly events: DraftEvent[] = []
  readonly states: ConnectionState[] = []
  private waiters: Waiter[] = []

  readonly sink = (event: DraftEvent): void => {
    this.events.push(event)
    this.waiters = this.waiters.filter(done => !done(event))
  }

  readonly onState = (state: ConnectionState): void => {
    this.states.push(state)
  }

  /** Resolves with every matching event once `count` match (already recorded ones count); `what` names them on a timeout. */
  until(match: (e: DraftEvent) => boolean, count = 1, what = 'event'): Promise<DraftEvent[]> {
    const found = () => this.events.filter(match)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} × ${what}; got ${found().length}:\n${this.dump()}`)), UNTIL_TIMEOUT_MS)
      const done = () => {
        if (found().length < count) return false
        clearTimeout(timer)
        resolve(found())
        return true
      }
      if (!done()) this.waiters.push(done)
    })
  }

  /** The next event matching `match`: one already recorded at index `from` or later, or else the next to come. */
  next(what: string, match: (e: DraftEvent) => boolean, from = 0, timeoutMs = 5000): Promise<DraftEvent> {
    const seen = this.events.slice(from).find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${this.kinds().join(', ')}`)), timeoutMs)
      this.waiters.push((latest) => {
        if (!match(latest)) return false
        clearTimeout(timer)
        resolve(latest)
        return true
      })
    })
  }

  /** The next event of this kind, as `next` finds it. */
  kind(kind: string, from = 0): Promise<DraftEvent> {
    return this.next(kind, e => e.kind === kind, from)
  }

  layer(layer: Layer): DraftEvent[] {
    return this.events.filter(e => e.layer === layer)
  }

  /** `layer/kind/dir` of every event: the shape of a sequence at a glance. */
  kinds(): string[] {
    return this.events.map(e => `${e.layer}/${e.kind}/${e.dir}`)
  }

  /** Every event on a line of its own: what a failed wait shows. Close codes and the reasons `line` leaves out too. */
  dump(): string {
    return this.events.map(e => [lineWithData(e), e.code, e.layer === 'lifecycle' ? undefined : e.reason].filter(p => p !== undefined).join(' ')).join('\n')
  }
}

const recorded: Driver[] = []

/** A driver from `create` that records into a new Recorder; `disposeRecordedDrivers()` (in afterEach) disposes it. */
export function recordDriver<Options, D extends Driver>(create: (options: Options, sink: Sink, hooks: DriverHooks) => D, options: Options): { driver: D, rec: Recorder } {
  const rec = new Recorder()
  const driver = create(options, rec.sink, { onState: rec.onState })
  recorded.push(driver)
  return { driver, rec }
}

export function disposeRecordedDrivers(): void {
  for (const driver of recorded.splice(0)) driver.dispose()
}

export const isKind = (layer: Layer, kind: string) => (e: { layer: Layer, kind: string }): boolean => e.layer === layer && e.kind === kind
/** A namespace connected (Socket.IO). */
export const connected = isKind('lifecycle', 'connect')
/** The application received the event `name` (Socket.IO). */
export const appEvent = (name: string) => (e: DraftEvent): boolean => e.layer === 'app' && e.kind === 'event' && e.name === name

/** `layer kind dir` plus the fields that matter for that layer: transport; name, namespace and ack id; reason. */
export function line(e: DraftEvent): string {
  return describeEvent(e, false)
}

/** `line` plus the wire data (its first 40 characters, or its bytes), the app event's ack id and the lifecycle attempt. */
export function lineWithData(e: DraftEvent): string {
  return describeEvent(e, true)
}

function describeEvent(e: DraftEvent, withData: boolean): string {
  const parts: (string | number | undefined)[] = [e.layer, e.kind, e.dir]
  if (e.layer === 'wire' || e.layer === 'engine') parts.push(e.transport)
  if (e.layer === 'wire' && withData) parts.push(typeof e.data === 'string' ? e.data.slice(0, 40) : e.data ? `[${new Uint8Array(e.data).join(',')}]` : undefined)
  if (e.layer === 'socketio') parts.push(e.name, e.namespace, e.ackId)
  if (e.layer === 'app') parts.push(e.name, e.namespace, withData ? e.ackId : undefined)
  if (e.layer === 'lifecycle') parts.push(e.namespace, withData ? e.attempt : undefined, e.reason)
  return parts.filter(p => p !== undefined).join(' ')
}

/**
 * The connection states of a fan-out's N clients at a glance, the server node each landed on, and reconnect storms:
 * once all N were open, the first one to leave `open` starts a storm, which ends when all N are open again
 * ("all back after X s").
 */
import type { ConnectionState } from '@/protocol/types'

export const CLIENT_STATES: readonly ConnectionState[] = ['idle', 'connecting', 'open', 'reconnecting', 'closed']

export interface Storm {
  /** Page clock when the first client left `open`. */
  start: number
  /** When all N were open again; undefined while it lasts. */
  end?: number
  /** Most clients not open at once during the storm. */
  peakDown: number
}

export class ClientGrid {
  readonly states: ConnectionState[]
  readonly nodes: (string | undefined)[]
  private readonly counts = new Map<ConnectionState, number>()
  private allOpenSeen = false
  readonly storms: Storm[] = []
  version = 0

  constructor(readonly size: number) {
    this.states = Array.from({ length: size }, () => 'idle' as ConnectionState)
    this.nodes = Array.from({ length: size }, () => undefined)
    for (const state of CLIENT_STATES) this.counts.set(state, 0)
    this.counts.set('idle', size)
  }

  /** Client `client` (1-based) is now in `state`, at page time `time`. */
  setState(client: number, state: ConnectionState, time: number): void {
    const index = client - 1
    const before = this.states[index]
    if (before === undefined || before === state) return
    this.states[index] = state
    this.counts.set(before, this.count(before) - 1)
    this.counts.set(state, this.count(state) + 1)
    this.version++
    const open = this.count('open')
    const storm = this.currentStorm()
    if (before === 'open' && this.allOpenSeen && !storm) {
      this.storms.push({ start: time, peakDown: this.size - open })
      return
    }
    if (storm) {
      storm.peakDown = Math.max(storm.peakDown, this.size - open)
      if (open === this.size) storm.end = time
    }
    if (open === this.size) this.allOpenSeen = true
  }

  /** The run was stopped: every client closed, and that is no storm. */
  closeAll(): void {
    for (let i = 0; i < this.size; i++) this.states[i] = 'closed'
    for (const state of CLIENT_STATES) this.counts.set(state, 0)
    this.counts.set('closed', this.size)
    this.allOpenSeen = false
    const storm = this.currentStorm()
    if (storm) this.storms.pop()
    this.version++
  }

  setNode(client: number, node: string | undefined): void {
    if (this.nodes[client - 1] === node || client < 1 || client > this.size) return
    this.nodes[client - 1] = node
    this.version++
  }

  count(state: ConnectionState): number {
    return this.counts.get(state) ?? 0
  }

  /** The storm going on now, if any. */
  currentStorm(): Storm | undefined {
    const last = this.storms[this.storms.length - 1]
    return last && last.end === undefined ? last : undefined
  }

  /** Clients per node, most first (clients whose server named no node are not counted). */
  nodeCounts(): { node: string, clients: number }[] {
    const byNode = new Map<string, number>()
    for (const node of this.nodes) if (node !== undefined) byNode.set(node, (byNode.get(node) ?? 0) + 1)
    return [...byNode].map(([node, clients]) => ({ node, clients })).sort((a, b) => b.clients - a.clients || a.node.localeCompare(b.node))
  }

  /** Clients that are open, 1-based. */
  openClients(): number[] {
    const out: number[] = []
    for (let i = 0; i < this.size; i++) if (this.states[i] === 'open') out.push(i + 1)
    return out
  }
}

/** The node a server named in its `welcome`: `{ node }` as a string or number (clustered dev server). */
export function nodeOf(args: readonly unknown[]): string | undefined {
  const first = args[0]
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return undefined
  const node = (first as { node?: unknown }).node
  if (typeof node === 'string' && node.length > 0) return node.slice(0, 64)
  if (typeof node === 'number' && Number.isFinite(node)) return String(node)
  return undefined
}

/** When client i (1-based) of a ramp at `perSecond` clients a second starts, in ms after the first. */
export function rampDelay(client: number, perSecond: number): number {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return 0
  return ((client - 1) * 1000) / perSecond
}

/**
 * What the page and the driver Worker say to each other (./host.ts answers, ./thread.ts asks). Everything here is
 * data that survives a structured clone: events, states, send results.
 */
import type { DriverSpec } from '../driverSpec'
import type { DeepValue } from './cloneable'
import type { DraftEvent } from '../events'
import type { FramePack } from '../../timeline/framePack'
import type { ConnectionState, OutgoingMessage, SendResult } from '../types'

/** The driver methods that return nothing, called by name. */
export type DriverCall =
  | 'connect' | 'disconnect' | 'dispose'
  | 'addNamespace' | 'removeNamespace' | 'setCatchAll' | 'listen' | 'setServerAckReply'

/** Stands in a segment's events for its next packed event (a plain frame, a packet event, an application event). */
export const PACKED = 0

export type ToHost =
  /** `packs`: the page takes this driver's plain frames, packet and application events as FramePacks (`appendPack`). */
  | { t: 'create', id: number, spec: DriverSpec, packs?: boolean }
  | { t: 'call', id: number, method: DriverCall, args: unknown[] }
  /** `deep`: arguments nested too deep for the Worker to read back from a structured clone, as JSON text. */
  | { t: 'send', id: number, call: number, message: OutgoingMessage, deep?: DeepValue[] }
  /** The buffers of packs the page has taken in, transferred back for the host's next packs (./host.ts). */
  | { t: 'recycle', buffers: ArrayBuffer[] }

/**
 * One driver's events in the order it recorded them, then (when set) the state it reached after them. A batch is a
 * list of these in recording order, so a state is told after exactly the events that came before it.
 */
export interface Segment {
  id: number
  /** The events in order; a packed event is PACKED here, and its fields are the next ones of `frames`. */
  events: (DraftEvent | typeof PACKED)[]
  /** The segment's packed events, in order (only for a driver created with `packs`). */
  frames?: FramePack
  state?: ConnectionState
  /** The Socket.IO driver's namespaces and their states, when they changed. */
  namespaces?: [string, ConnectionState][]
  /** The raw WebSocket's queued bytes, when they changed. */
  bufferedAmount?: number
  /** Values of these events nested too deep for the structured clone, as JSON text (./cloneable.ts). */
  deep?: DeepValue[]
}

export type FromHost =
  | { t: 'ready' }
  | { t: 'created', id: number, state: ConnectionState, error?: string }
  /**
   * `streaming`: the host was mid-stream when it sent this batch (it waits STREAM_MS between batches, ./host.ts), so
   * more batches follow, or an `idle` that says the stream paused. The page's UI does not take a late batch for the
   * end of a flood.
   */
  | { t: 'batch', segments: Segment[], streaming: boolean }
  /** No event for STREAM_MS after a streaming batch: the stream paused or ended. */
  | { t: 'idle' }
  | { t: 'sent', id: number, call: number, result: SendResult }
  /** The driver is disposed and recorded its last event: nothing more comes for this id. */
  | { t: 'disposed', id: number }

/**
 * The contracts between the protocol drivers and everything above them.
 * Pure TypeScript: runs in the browser and in Node (tests, benchmarks).
 */

export type Layer = 'lifecycle' | 'wire' | 'engine' | 'socketio' | 'app'
export type Direction = 'in' | 'out' | 'local'
export type TransportName = 'websocket' | 'polling' | 'webtransport'
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'
export type ProtocolType = 'ws' | 'socketio'

/** The timeline event contract lives in events.ts: a union discriminated by `layer` and `kind`. */
export type { DraftEvent, TimelineEvent } from './events'
import type { DraftEvent } from './events'
import type { MessageRef } from './message'

/** A driver's only output, called synchronously once per event; the timeline assigns `seq`. */
export type Sink = (event: DraftEvent) => void

export type OutgoingMessage =
  | { kind: 'text', text: string }
  | { kind: 'binary', data: ArrayBuffer | Uint8Array }
  | {
    kind: 'event'
    name: string
    args: unknown[]
    /** Ask the server for an acknowledgement. */
    ack?: boolean
    /** Ack timeout; defaults to the driver's ackTimeout. */
    timeoutMs?: number
    volatile?: boolean
    compress?: boolean
    /** Namespace to emit on; defaults to the driver's main namespace. */
    namespace?: string
  }

export interface SendResult {
  ok: boolean
  /** Arguments of the acknowledgement, when one was asked for and came back. */
  ackArgs?: unknown[]
  rttMs?: number
  /** Why it was not sent or not acknowledged, as a message (`protocol.send.*`) a person can act on. */
  error?: MessageRef
}

export interface Driver {
  readonly type: ProtocolType
  readonly state: ConnectionState
  connect: () => void
  disconnect: () => void
  send: (message: OutgoingMessage) => Promise<SendResult>
  /** Release every socket, timer and listener; the driver is unusable afterwards. */
  dispose: () => void
}

export interface DriverHooks {
  /** Called whenever `state` changes. */
  onState?: (state: ConnectionState) => void
  /**
   * Called when the driver's source starts or stops saying that more events are on their way: the driver Worker
   * mid-stream sends its batches a display frame apart, and a lull between two of them is not the end of the stream
   * (./worker/host.ts). Drivers on the page never call it.
   */
  onStreaming?: (streaming: boolean) => void
  /**
   * Takes a frame a raw WebSocket received, in place of the event `sink` would get: its receive time and data, no
   * event made. True when taken; false leaves the frame to `sink` as an event (a payload the taker cannot keep as it
   * is). The driver Worker packs frames straight from here (./worker/host.ts): a flood's hot path makes no object of
   * its own. Every other event still goes to `sink`, in order with these.
   */
  onFrameIn?: (time: number, data: string | ArrayBuffer) => boolean
}

/**
 * Longest delay a timer honours: browsers and Node fire a longer setTimeout at once (the delay is a 32-bit signed
 * integer), which would turn a huge timeout into none and a huge reconnect delay into a loop with none.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

// The page's time origin never changes; reading it costs a property lookup on every frame (hot path).
const TIME_ORIGIN = performance.timeOrigin

/** Epoch ms with sub-ms precision, monotonic within a page. */
export function now(): number {
  return TIME_ORIGIN + performance.now()
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included, is one byte each
const ASCII = /^[\x00-\x7F]*$/

/** UTF-8 byte length of a string, without allocating. */
export function utf8Length(text: string): number {
  // Most frames are ASCII (JSON, Engine.IO packets): one native scan instead of a loop in JavaScript.
  if (ASCII.test(text)) return text.length
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xDC00 && next <= 0xDFFF) {
        bytes += 4
        i++
      }
      else {
        bytes += 3
      }
    }
    else bytes += 3
  }
  return bytes
}

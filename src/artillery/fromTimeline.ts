/**
 * A recorded session (live or imported) as the export's input (types.ts): what the user sent, in order, with the
 * gaps between sends, and the connection options it used. Pure TypeScript: the dialog hands it the session's plain
 * fields (structurally, so this layer imports no store).
 *
 * What is taken (the same choice as Replay, timeline/replayPlan.ts):
 * - raw WebSocket: every outgoing wire `frame`;
 * - Socket.IO: every application `emit` with its arguments and namespace, an ack when it asked for one (`ackId`, or
 *   `detail.ackTimeoutMs`), and the ack's arguments when the answer is on the timeline. A room join is an emit of the
 *   rooms panel's join event, so it comes along in its place.
 *
 * Connection options: the URL the recording connected to (else the form's); a live session's form settings; an
 * imported one has no form, so they are read from its events
 * (the first `connecting` event's URL, path and transports, the main namespace's CONNECT packet's auth; a `client`
 * in any `connecting` event: the v2 driver spoke).
 */
import type { ProtocolType, TimelineEvent, TransportName } from '../protocol/types'
import { parseEndpoint } from '../protocol/endpoint'
import type { EventSource } from '../timeline/replayPlan'
import { replayMessageOf } from '../timeline/replayPlan'
import type { ArtilleryInput, EmitStep, FrameStep, PhasesForm, SocketIoConnection } from './types'

/** The Socket.IO form fields the export reads (stores/session.ts `SocketIoSettings`). */
export interface SocketIoFormLike {
  path: string
  auth: string
  query: string
  extraHeaders: string
  transports: TransportName[]
  upgrade: boolean
  version: string
  parser: string
}

/** The session fields the export reads (stores/session.ts `Session`). */
export interface SessionLike {
  name: string
  url: string
  type: ProtocolType
  readOnly: boolean
  sio?: SocketIoFormLike
  ws?: { protocols: string }
  namespaces?: readonly { name: string, auth: string }[]
  timeline: EventSource
}

/** Most steps taken from one timeline: past it the script would be megabytes no one reads; the rest is reported. */
export const MAX_STEPS = 5000

function eventAt(source: EventSource, index: number): TimelineEvent | undefined {
  return 'get' in source && typeof source.get === 'function' ? source.get(index) : (source as ArrayLike<TimelineEvent>)[index]
}

/** A JSON object field of the form, or undefined when empty or not an object (the form reported it at Connect). */
function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text || text.trim() === '') return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  }
  catch {
    return undefined
  }
}

/** As the driver sends them (stores/driverFactory.ts): every value a string. */
function stringRecord(value: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!value) return undefined
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]))
}

/** The form's endpoint as the driver would use it ("localhost:3000" → "http://localhost:3000/"), or as typed. */
function formUrl(session: SessionLike): string {
  const parsed = parseEndpoint(session.url, session.type)
  return parsed.ok ? parsed.endpoint.url : session.url
}

export interface InputResult {
  input: ArtilleryInput
  /** Sends past MAX_STEPS, left out. */
  truncated: number
}

/** The session as the export's input. */
export function inputFromSession(session: SessionLike, phases?: PhasesForm): InputResult {
  const source = session.timeline
  const protocol = session.type
  let firstTime: number | undefined
  let truncated = 0
  let connecting: TimelineEvent | undefined
  let spokeV2 = false
  let connectAuth: Record<string, unknown> | undefined
  const emits: EmitStep[] = []
  const frames: FrameStep[] = []
  /** Emits waiting for their ack, by `namespace ackId`. */
  const pending = new Map<string, EmitStep>()
  for (let i = 0; i < source.length; i++) {
    const event = eventAt(source, i)
    if (!event) continue
    if (event.layer === 'lifecycle' && event.kind === 'connecting' && event.detail) {
      // The first connection's settings; the v2 driver (only it names a `client`) may have taken over later ('auto').
      connecting ??= event
      if ('client' in event.detail && event.detail.client !== undefined) spokeV2 = true
    }
    if (protocol === 'socketio' && event.layer === 'socketio' && event.kind === 'packet' && event.dir === 'out' && event.name === 'CONNECT' && connectAuth === undefined) {
      const data = event.detail?.data
      if (data !== null && typeof data === 'object' && !Array.isArray(data)) connectAuth = data as Record<string, unknown>
    }
    if (protocol === 'socketio' && event.layer === 'app' && event.kind === 'ack' && event.ackId !== undefined) {
      const key = `${event.namespace} ${event.ackId}`
      const step = pending.get(key)
      if (step) {
        step.ackArgs = Array.isArray(event.detail?.args) ? event.detail.args : []
        pending.delete(key)
      }
      continue
    }
    if (protocol === 'socketio' && event.layer === 'app' && (event.kind === 'ack_timeout' || event.kind === 'ack_error')) {
      // No ackId on these: the oldest emit of that name and namespace still waiting is the one.
      for (const [key, step] of pending) {
        if (step.name !== event.name || step.namespace !== event.namespace) continue
        step.ackNeverCame = true
        pending.delete(key)
        break
      }
      continue
    }
    const message = replayMessageOf(event, protocol)
    if (!message) continue
    if (emits.length + frames.length >= MAX_STEPS) {
      truncated++
      continue
    }
    firstTime ??= event.time
    const at = Math.max(0, event.time - firstTime)
    if (message.kind === 'event') {
      const step: EmitStep = { kind: 'emit', at, namespace: message.namespace ?? '/', name: message.name, args: message.args, ack: message.ack === true, seq: event.seq }
      emits.push(step)
      if (event.ackId !== undefined) pending.set(`${step.namespace} ${event.ackId}`, step)
    }
    else {
      frames.push({ kind: 'frame', at, data: message.kind === 'text' ? message.text : message.data, seq: event.seq })
    }
  }

  const base = { title: session.name, source: session.readOnly ? 'imported' as const : 'session' as const, phases }
  const detail = connecting?.layer === 'lifecycle' && connecting.kind === 'connecting' ? connecting.detail : undefined
  if (protocol === 'ws') {
    const recordedProtocols = detail && 'protocols' in detail ? detail.protocols : undefined
    const formProtocols = session.ws?.protocols.split(',').map(p => p.trim()).filter(Boolean)
    const url = detail?.url ?? formUrl(session)
    const subprotocols = session.readOnly ? recordedProtocols : formProtocols
    return { input: { ...base, protocol: 'ws', connection: { url, subprotocols: subprotocols?.length ? subprotocols : undefined }, steps: frames }, truncated }
  }

  const recorded = detail && 'path' in detail ? detail : undefined
  let connection: SocketIoConnection
  if (session.readOnly || !session.sio) {
    connection = {
      url: recorded?.url ?? formUrl(session),
      path: recorded?.path,
      transports: recorded?.transports,
      auth: connectAuth,
      version: spokeV2 ? 'v2' : 'v4',
    }
  }
  else {
    const sio = session.sio
    const namespaceAuth: Record<string, Record<string, unknown>> = {}
    for (const ns of session.namespaces ?? []) {
      const auth = jsonObject(ns.auth)
      if (auth) namespaceAuth[ns.name] = auth
    }
    connection = {
      url: recorded?.url ?? formUrl(session),
      path: sio.path.trim() || '/socket.io',
      transports: [...sio.transports],
      upgrade: sio.upgrade,
      auth: jsonObject(sio.auth),
      query: stringRecord(jsonObject(sio.query)),
      extraHeaders: stringRecord(jsonObject(sio.extraHeaders)),
      namespaceAuth: Object.keys(namespaceAuth).length > 0 ? namespaceAuth : undefined,
      // 'auto' speaks v4 until a v2 server answers; the recording's connecting event names the client then.
      version: sio.version === 'v2' || spokeV2 ? 'v2' : 'v4',
      parser: sio.parser === 'msgpack' ? 'msgpack' : 'default',
    }
  }
  return { input: { ...base, protocol: 'socketio', connection, steps: emits }, truncated }
}

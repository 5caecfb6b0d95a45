import type { SocketIoClientChoice } from '@/protocol/socketio-v2'
import type { SocketIoParserName } from '@/protocol/socketio-core/types'
import type { ConnectionState, Driver, ProtocolType, TransportName } from '@/protocol/types'
import type { TimelineViewState } from '@/timeline/viewState'
import { markRaw, reactive } from 'vue'
import { defaultSocketIoSettings, defaultWebSocketSettings } from './sessionDefaults'
import { Timeline } from '@/timeline/timeline'
import { createViewState } from '@/timeline/viewState'
import { message, type MessageRef } from '@/protocol/message'
import { i18n } from '@/i18n'
import type { HistoryEntry } from '@/sending/history'
import type { UserVariable } from '@/sending/variables'
import type { RoomSendShape } from '@/sending/roomMessage'

/** The forms' defaults live in sessionDefaults.ts (no Vue, no catalogues: the library's worker reads them). */
export { defaultSocketIoSettings, defaultWebSocketSettings }

/**
 * Words for a person, kept as data so they follow the UI's language: a message (catalogue key and values, a value
 * may itself be a message: src/protocol/message.ts), which the components put into words (`useWords`); the stores
 * never write a sentence. A plain string is text already in words that no catalogue holds (a browser's message).
 */
export type Words = string | MessageRef

/** Raw WebSocket connection settings, as the form edits them. */
export interface WebSocketSettings {
  /** Comma-separated subprotocols. */
  protocols: string
  reconnect: boolean
  /** Reconnect also after the server closed cleanly (1000, 1001); off: such a close is taken as meant. */
  reconnectAfterCleanClose: boolean
  /** A connection that stays up this long counts as working: only then do the reconnect attempts start over. */
  stableMs: number
  initialDelayMs: number
  maxDelayMs: number
  maxAttempts: number
  /** Spread of each reconnect delay, 0–1 (0.5: 50 % to 150 % of the backoff delay). */
  jitter: number
  connectTimeoutMs: number
  /** How long Disconnect waits for the server's close frame before letting the socket go. */
  closeTimeoutMs: number
}

/** Socket.IO connection settings, as the form edits them (JSON fields stay text until Connect). */
export interface SocketIoSettings {
  /**
   * The client to speak with: 'auto' starts with v4 and moves to v2 by itself on an Engine.IO 3 answer; 'v4'
   * (serves v3 and v4 servers) or 'v2' (Engine.IO 3 servers) force one. The v2 client is loaded on demand.
   */
  version: SocketIoClientChoice
  /** The Socket.IO parser both ends share: 'msgpack' loads socket.io-msgpack-parser on demand. */
  parser: SocketIoParserName
  /** Automatic choices, each said on the timeline: parser and path on evidence, WebSocket only when polling is refused. */
  autoParser: boolean
  autoPath: boolean
  autoTransports: boolean
  /** A connection that stays up this long counts as working: only then do the reconnect attempts start over. */
  stableMs: number
  path: string
  auth: string
  query: string
  extraHeaders: string
  transports: TransportName[]
  upgrade: boolean
  tryAllTransports: boolean
  withCredentials: boolean
  timeout: number
  reconnection: boolean
  reconnectionAttempts: number
  reconnectionDelay: number
  reconnectionDelayMax: number
  randomizationFactor: number
  ackTimeout: number
  retries: number
}

/** `unconfirmed`: asked for, but the server sent no acknowledgement, so only the server knows. */
export type RoomStatus = 'joining' | 'joined' | 'unconfirmed' | 'leaving' | 'left' | 'failed'
export interface RoomEntry {
  name: string
  status: RoomStatus
  /** What the server answered (ack) or why it failed. */
  note?: Words
}

export interface RoomSettings {
  joinEvent: string
  leaveEvent: string
  /** `"room"` or `{ room: "room" }`: servers differ (PROTOCOL.md, Rooms). */
  payload: 'string' | 'object'
  /** "Send to room": the event it emits (the study note's server: `message`). */
  sendEvent: string
  /** How the room and the text are put into the event's arguments (socketIoSession.ts roomMessageArgs). */
  sendShape: RoomSendShape
  /** The object shape's keys: `{ room, message }` by default, `{ roomId, text }` for a server that names them so. */
  roomKey: string
  messageKey: string
  /** The room to send to when several are joined (empty: the last one joined). */
  sendRoom: string
  /** The text to send, kept like the composer's draft. */
  sendText: string
}

/** The arguments "Send to room" emits (src/sending/roomMessage.ts, shared with the fan-out). */
export { ROOM_SEND_SHAPES, type RoomSendShape } from '@/sending/roomMessage'

/**
 * A Socket.IO argument's type: `auto` sends text that parses as JSON as that value and other text as a string (text
 * that looks like JSON but does not parse is refused); `json` requires valid JSON; the others force their type.
 */
export type ArgumentType = 'auto' | 'json' | 'string' | 'number' | 'boolean' | 'null' | 'binary'

/** How binary is entered: hex digits (or `base64:…`), base64, or the bytes of a chosen file. */
export type BinaryInput = 'hex' | 'base64' | 'file'

/**
 * A file chosen to be sent as binary. Its bytes live only in memory: `toJSON` leaves it out of everything written
 * (saved tabs, library snippets), so a reload asks for the file again.
 */
export class AttachedFile {
  readonly name: string
  readonly bytes: Uint8Array

  constructor(name: string, bytes: Uint8Array) {
    this.name = name
    this.bytes = bytes
    markRaw(this)
  }

  get size(): number {
    return this.bytes.byteLength
  }

  toJSON(): undefined {
    return undefined
  }
}

export interface ArgumentDraft {
  text: string
  type: ArgumentType
  /** For type `binary`: how the bytes are entered (hex when absent). */
  binaryInput?: BinaryInput
  /** For type `binary` with `binaryInput` `file`: the chosen file (never saved). */
  file?: AttachedFile
}

export type PayloadFormat = 'text' | 'json' | 'binary'

/** What the composer holds, kept on the session so switching tabs loses no draft. */
export interface ComposerState {
  message: string
  format: PayloadFormat
  eventName: string
  /** Extra Socket.IO arguments after the first ("Message"). */
  extraArgs: ArgumentDraft[]
  firstArgType: ArgumentType
  /** How a binary Message (raw frame or first Socket.IO argument) is entered. */
  binaryInput: BinaryInput
  /** The file a binary Message sends when `binaryInput` is `file` (in memory only: not kept across a reload). */
  file?: AttachedFile
  expectAck: boolean
  ackTimeoutMs: number
  volatile: boolean
  compress: boolean
  /** Namespace to emit on; empty for the URL's own. */
  namespace: string
  /** The last send's outcome. */
  result?: { ok: boolean, text: Words }
}

/**
 * Variables, history and repeat settings of a session's sends (src/stores/sending.ts). Saved with the tab: the
 * variables, the history (bounded) and the repeat fields; not the counter, which starts at 1 in every page.
 */
export interface SendingState {
  variables: UserVariable[]
  /** Newest first, at most 50 (src/sending/history.ts). */
  history: HistoryEntry[]
  /** The next send's `{{counter}}`. */
  counter: number
  repeatCount: number
  repeatIntervalMs: number
}

/** Socket.IO namespaces besides the URL's own, joined over the same Manager. */
export interface NamespaceEntry {
  name: string
  /** JSON object text sent with that namespace's CONNECT. */
  auth: string
}

/** Which application events reach the timeline: all (catch-all), or only the named ones switched on. */
export interface ListenerSettings {
  catchAll: boolean
  names: { name: string, on: boolean }[]
  /** Answer a server's ack request with these arguments (a JSON array), or leave it unanswered. */
  ackReply: { on: boolean, args: string }
}

export interface Session {
  id: string
  name: string
  /** The person named the tab: it shows `name` instead of its endpoint, and keeps it (saved with the tab). */
  renamed: boolean
  url: string
  type: ProtocolType
  readOnly: boolean
  /** The file an imported (read-only) session was read from: everything in it is that file's word, not live. */
  importedFrom?: string
  state: ConnectionState
  /** A form-level problem (bad URL, bad JSON in a setting): shown next to the form. */
  error?: Words
  ws: WebSocketSettings
  sio: SocketIoSettings
  rooms: RoomEntry[]
  roomSettings: RoomSettings
  namespaces: NamespaceEntry[]
  listeners: ListenerSettings
  composer: ComposerState
  sending: SendingState
  /** Plain, never reactive: the hot path appends to it once per frame. */
  timeline: Timeline
  view: TimelineViewState
  driver?: Driver
}

/** The study note's server: `joinRoom`/`leaveRoom` with the room's name, `message` with `{ room, message }`. */
export function defaultRoomSettings(): RoomSettings {
  return { joinEvent: 'joinRoom', leaveEvent: 'leaveRoom', payload: 'string', sendEvent: 'message', sendShape: 'object', roomKey: 'room', messageKey: 'message', sendRoom: '', sendText: '' }
}

/** A tab's own name (trimmed); an empty one gives the tab back its endpoint's label. Not for read-only sessions' files. */
export function renameSession(session: Session, name: string): void {
  const trimmed = name.trim()
  if (trimmed) session.name = trimmed
  session.renamed = trimmed !== ''
}

let counter = 0

export function createSession(init: { url?: string, type?: ProtocolType, name?: string, readOnly?: boolean, importedFrom?: string, timeline?: Timeline, maxEvents?: number, maxBytes?: number } = {}): Session {
  counter += 1
  const timeline = init.timeline ?? new Timeline({ maxEvents: init.maxEvents, maxBytes: init.maxBytes })
  return reactive({
    id: `s${Date.now().toString(36)}${counter}`,
    // A new tab's name in the language the person uses when they open it (it is saved with the tab, as its name).
    name: init.name ?? i18n.global.t('session.tabs.defaultName', { n: counter }),
    renamed: false,
    url: init.url ?? '',
    type: init.type ?? 'ws',
    readOnly: init.readOnly ?? false,
    importedFrom: init.importedFrom,
    state: init.readOnly ? 'closed' : 'idle',
    error: undefined,
    ws: defaultWebSocketSettings(),
    sio: defaultSocketIoSettings(),
    rooms: [],
    namespaces: [],
    listeners: { catchAll: true, names: [], ackReply: { on: false, args: '["ok"]' } },
    roomSettings: defaultRoomSettings(),
    composer: {
      message: '',
      format: 'text',
      eventName: 'message',
      extraArgs: [],
      firstArgType: 'auto',
      binaryInput: 'hex',
      file: undefined,
      expectAck: false,
      ackTimeoutMs: 10_000,
      volatile: false,
      compress: true,
      namespace: '',
    },
    sending: { variables: [], history: [], counter: 1, repeatCount: 10, repeatIntervalMs: 1000 },
    timeline: markRaw(timeline),
    view: createViewState(),
    driver: undefined,
  }) as Session
}

/** The settings fields that hold a JSON object, by their message in the catalogue. */
export type JsonField = 'auth' | 'query' | 'extraHeaders'

/**
 * Parse a settings field that must hold a JSON object (auth, query, extra headers, a namespace's auth).
 * Empty means "not set". The error names the field, so the form can say which one is wrong.
 */
export function parseJsonObject(text: string, field: JsonField | MessageRef): { ok: true, value?: Record<string, unknown> } | { ok: false, error: MessageRef } {
  if (text.trim() === '') return { ok: true, value: undefined }
  const name = typeof field === 'string' ? message(`connection.fields.${field}`) : field
  let value: unknown
  try {
    value = JSON.parse(text)
  }
  catch (error) {
    return { ok: false, error: message('connection.errors.notJson', { field: name, detail: (error as Error).message }) }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: message('connection.errors.notJsonObject', { field: name }) }
  return { ok: true, value: value as Record<string, unknown> }
}

/** "a, b" → ["a", "b"]; a subprotocol is an RFC 7230 token, so spaces inside one are an error. */
export function parseSubprotocols(text: string): { ok: true, value: string[] } | { ok: false, error: MessageRef } {
  const value = text.split(',').map(part => part.trim()).filter(Boolean)
  const bad = value.find(protocol => !/^[!#$%&'*+\-.^\w`|~]+$/.test(protocol))
  if (bad !== undefined) return { ok: false, error: message('connection.errors.badSubprotocol', { protocol: bad }) }
  if (new Set(value).size !== value.length) return { ok: false, error: message('connection.errors.subprotocolTwice') }
  return { ok: true, value }
}

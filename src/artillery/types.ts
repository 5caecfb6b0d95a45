/**
 * What an Artillery script is made from: the input of the generator (src/artillery/generate.ts) and of the
 * "Export as Artillery test" dialog (components/artillery/). Pure TypeScript, no Vue: a recorded session (live or
 * imported) becomes one with `inputFromSession` (fromTimeline.ts); a fan-out setup builds one itself.
 *
 * Everything here is what one virtual user does: Artillery runs that flow once per arrival.
 */
import type { TransportName } from '../protocol/types'

/** Artillery's `config.phases`, as the dialog's small form holds them. */
export interface PhasesForm {
  /** Seconds the phase lasts (`duration`). */
  durationS: number
  /** New virtual users a second (`arrivalRate`). */
  arrivalRate: number
  /** Arrival rate reached at the end of the phase (`rampTo`); undefined: a constant rate. */
  rampTo?: number
}

/** Where the input came from: the dialog says so, and the script's comment names it. */
export type InputSource = 'session' | 'imported' | 'fanout'

interface InputBase {
  /** A name for the script's comment and the file name: the session's tab name, or the fan-out's. */
  title: string
  source: InputSource
  /** The phases the form starts from (a fan-out: its client count and ramp); absent: the form's defaults. */
  phases?: PhasesForm
}

/** Socket.IO connection options, as the session connected (or the fan-out's clients do). */
export interface SocketIoConnection {
  /**
   * The endpoint URL as the session had it: `http(s)://host:port/namespace` (a `ws(s)://` one is taken as
   * http(s)). Its origin becomes `config.target`, its path the main namespace; a query string in it is kept.
   */
  url: string
  /** Engine.IO path. @default '/socket.io' */
  path?: string
  /** Transports in the order tried. @default ['polling', 'websocket'] */
  transports?: TransportName[]
  /** Whether polling upgrades to WebSocket. @default true */
  upgrade?: boolean
  /** The CONNECT packet's auth of the main namespace: values are secrets unless asked otherwise. */
  auth?: Record<string, unknown>
  /** Query parameters of the handshake. */
  query?: Record<string, string>
  /** HTTP headers of the handshake (Node clients send them on every transport). */
  extraHeaders?: Record<string, string>
  /** Other namespaces' auth, by namespace (`/admin`). */
  namespaceAuth?: Record<string, Record<string, unknown>>
  /** The client the session spoke with: Artillery's engine is socket.io-client 4, so 'v2' is reported. */
  version?: 'v4' | 'v2'
  /** The parser: Artillery's engine has only the default one, so 'msgpack' is reported. */
  parser?: 'default' | 'msgpack'
}

/** One emit of the virtual user. A room join is one too: the rooms panel's join event with the room. */
export interface EmitStep {
  kind: 'emit'
  /** ms since the session's first send (recorded); the gaps become `think` steps. */
  at: number
  /** Namespace the emit went on (`/` for the main one of a URL without a path). */
  namespace: string
  name: string
  /** As the client sent them: strings, numbers, booleans, null, objects, arrays; binary as ArrayBuffer/Uint8Array. */
  args: unknown[]
  /** The emit asked for an acknowledgement: an `acknowledge` check waits for it. */
  ack: boolean
  /** The acknowledgement's arguments as recorded, when it came (the dialog may check them). */
  ackArgs?: unknown[]
  /**
   * The recording shows the ack never came (it timed out or the socket went away). Artillery waits for an ack without
   * a time limit, so such an emit is written without `acknowledge` (and reported) rather than holding every user.
   */
  ackNeverCame?: boolean
  /** The recorded event's seq (for the dialog's "left out" list); absent for a built input. */
  seq?: number
}

export interface SocketIoInput extends InputBase {
  protocol: 'socketio'
  connection: SocketIoConnection
  steps: EmitStep[]
}

/** One frame the virtual user sends. */
export interface FrameStep {
  kind: 'frame'
  /** ms since the first send. */
  at: number
  /** Text, or binary (ArrayBuffer / Uint8Array). */
  data: string | ArrayBuffer | ArrayBufferView
  seq?: number
}

export interface WebSocketConnection {
  /** `ws(s)://host:port/path?query`: Artillery's `target` (the ws engine connects to it as is). */
  url: string
  /** Subprotocols offered. */
  subprotocols?: string[]
}

export interface WebSocketInput extends InputBase {
  protocol: 'ws'
  connection: WebSocketConnection
  steps: FrameStep[]
}

/** The generator's input. */
export type ArtilleryInput = SocketIoInput | WebSocketInput

/** The dialog's choices besides the phases. */
export interface GenerateOptions {
  phases: PhasesForm
  /** Longest `think` between two steps, in seconds (a recording's idle minutes need not be waited). @default 5 */
  maxThinkS?: number
  /** Write secrets (auth values, query values, headers) as text instead of environment variables. @default false */
  includeSecrets?: boolean
  /** Check each ack's arguments against the recorded ones (`acknowledge.match`); off: only wait for the ack. @default false */
  matchAckArgs?: boolean
}

/** What of the input is not in the script as it was, or needs a word (the dialog lists them). */
export type OmissionCode =
  /** Artillery's ws engine sends text only (`send`): a binary frame is left out. */
  | 'binaryFrame'
  /** A binary Socket.IO argument: written as `!!binary`, sent by socket.io-client as a binary attachment. */
  | 'binaryArgument'
  /** A number JSON cannot hold (NaN, ±Infinity): written as `null`, as JSON sends it; a bigint as text. */
  | 'notANumber'
  /** A value with `{{ … }}`: Artillery templates every string of a step, and this cannot be escaped. */
  | 'templateSyntax'
  /** The session spoke Socket.IO v2 (Engine.IO 3): Artillery's client is v4 and cannot reach that server. */
  | 'socketIoV2'
  /** The msgpack parser: Artillery's client has only the default one. */
  | 'msgpackParser'
  /** Namespaces with different auth: the engine sends one auth to every namespace (the first is kept). */
  | 'namespaceAuth'
  /** An emit whose ack never came in the recording: written without `acknowledge`, which would wait forever. */
  | 'ackNeverCame'
  /** A recorded gap longer than the cap was shortened. */
  | 'thinkCapped'
  /** Nothing was sent in the session: the flow only connects and waits a second. */
  | 'noSteps'
  /** A value nested deeper than the generator walks: written as `null`. */
  | 'tooDeep'
  /** More sends than one script takes (fromTimeline.ts MAX_STEPS): the rest are left out. */
  | 'tooManySteps'

export interface Omission {
  code: OmissionCode
  /** How many steps or values it concerns. */
  count: number
  /** The first step's recorded seq, when known. */
  seq?: number
}

/** An environment variable the script reads a secret from. */
export interface SecretVariable {
  /** The variable's name (`SOCKETLENS_AUTH_TOKEN`). */
  env: string
  /** Where the value goes: `auth.token`, `query.key`, `headers.Authorization`. */
  field: string
}

export interface GeneratedScript {
  /** The YAML text. */
  yaml: string
  engine: 'socketio' | 'ws'
  /** A file name for Download: `<title>.artillery.yml`. */
  fileName: string
  omissions: Omission[]
  /** Environment variables to set before the run (empty when secrets are written as text). */
  secrets: SecretVariable[]
  /** Steps written (emits or frames). */
  steps: number
}

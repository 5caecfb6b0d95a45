/**
 * The parts of socket.io-client 2.5.0 (installed as `socket.io-client-v2`, an npm alias) and of its engine.io-client
 * 3.5 that the v2 driver uses. The package ships no types. Several members are internal (marked so): the driver
 * taps them, which is why the alias is pinned to an exact version.
 */
declare module 'socket.io-client-v2' {
  /** Any listener: `never[]` accepts functions with any parameters, without `any`. */
  type Listener = (...args: never[]) => void

  /** component-emitter, mixed into every socket.io-client 2 and engine.io-client 3 object. */
  interface Emitter {
    on: (event: string, listener: Listener) => this
    once: (event: string, listener: Listener) => this
    off: (event: string, listener?: Listener) => this
    removeListener: (event: string, listener?: Listener) => this
    emit: (event: string, ...args: unknown[]) => this
  }

  /** A Socket.IO v2 packet (socket.io-parser 3.3). `type`: 0 CONNECT ... 4 ERROR, 5 BINARY_EVENT, 6 BINARY_ACK. */
  interface ParserPacket {
    type: number
    nsp: string
    id?: number
    data?: unknown
    /** CONNECT only: the namespace query string, appended to `nsp` by the Manager when encoding. */
    query?: string
    attachments?: number
    options?: { compress?: boolean }
  }

  /** An Engine.IO 3 packet. */
  interface EnginePacket {
    type: string
    data?: unknown
    options?: { compress?: boolean }
  }

  interface EngineTransport extends Emitter {
    readonly name: string
    readyState: string
    writable: boolean
    query: Record<string, string>
    /** Internal: one raw message (a WebSocket frame) or a whole polling response body. */
    onData: (data: unknown) => void
    /** Internal: the transport failed (`xhr poll error`, `websocket error`, ...). */
    onError: (message: string, description?: unknown) => EngineTransport
    /** Internal, polling: writes one whole request body. */
    doWrite?: (data: unknown, callback: () => void) => void
    /** Internal, websocket: creates the platform WebSocket. */
    doOpen: () => void
    /** websocket: the platform WebSocket (browser) or `ws` 7 (Node). */
    ws?: {
      send: (data: unknown, options?: unknown) => void
      onclose: ((event: unknown) => void) | null
    }
    /** polling: the pending GET and POST requests; `xhr` is the XMLHttpRequest while it is in flight. */
    pollXhr?: { xhr?: { responseText?: unknown } | null }
    sendXhr?: { xhr?: { responseText?: unknown } | null }
  }

  interface EngineSocket extends Emitter {
    id: string | null
    readyState: string
    transport: EngineTransport
    upgrading?: boolean
    pingInterval: number | null
    pingTimeout: number | null
    binaryType: string | null
    /** Internal: builds each transport, the first one inside the constructor and every upgrade probe. */
    createTransport: (name: string) => EngineTransport
    /** Internal: ends the session with this reason (emits `close`). */
    onClose: (reason: string, description?: unknown) => void
    close: () => EngineSocket
  }

  interface Backoff {
    attempts: number
    duration: () => number
    reset: () => void
  }

  interface ManagerOptions {
    path?: string
    autoConnect?: boolean
    forceNew?: boolean
    query?: Record<string, string>
    transports?: string[]
    transportOptions?: Record<string, Record<string, unknown>>
    upgrade?: boolean
    rememberUpgrade?: boolean
    withCredentials?: boolean
    timeout?: number | false
    reconnection?: boolean
    reconnectionAttempts?: number
    reconnectionDelay?: number
    reconnectionDelayMax?: number
    randomizationFactor?: number
  }

  class Manager implements Emitter {
    constructor(uri: string, options?: ManagerOptions)
    on: (event: string, listener: Listener) => this
    once: (event: string, listener: Listener) => this
    off: (event: string, listener?: Listener) => this
    removeListener: (event: string, listener?: Listener) => this
    emit: (event: string, ...args: unknown[]) => this
    /** The current Engine.IO session; a new one is built for every (re)connect attempt. */
    engine: EngineSocket | undefined
    readyState: string
    reconnecting?: boolean
    skipReconnect?: boolean
    /** Internal: the reconnect backoff (backo2). */
    backoff: Backoff
    /** Internal: the parser instances, created once per Manager. */
    encoder: { encode: (packet: ParserPacket, callback: (encoded: unknown[]) => void) => void }
    decoder: Emitter & { add: (data: unknown) => void, reconstructor: unknown }
    open: (callback?: (err?: Error) => void, options?: unknown) => Manager
    connect: (callback?: (err?: Error) => void, options?: unknown) => Manager
    close: () => void
    /** Internal: drops the engine subscriptions and the pending reconnect timer. */
    cleanup: () => void
    socket: (namespace: string, options?: { query?: Record<string, string> | string }) => Socket
    reconnection: (() => boolean) & ((value: boolean) => Manager)
    reconnectionAttempts: (() => number) & ((value: number) => Manager)
    reconnectionDelay: (() => number) & ((value: number) => Manager)
    reconnectionDelayMax: (() => number) & ((value: number) => Manager)
    randomizationFactor: (() => number) & ((value: number) => Manager)
  }

  class Socket implements Emitter {
    on: (event: string, listener: Listener) => this
    once: (event: string, listener: Listener) => this
    off: (event: string, listener?: Listener) => this
    removeListener: (event: string, listener?: Listener) => this
    /** Sends an event (or, for a reserved name, emits it locally). A trailing function asks for an ack. */
    emit: (event: string, ...args: unknown[]) => this
    readonly io: Manager
    readonly nsp: string
    id?: string
    connected: boolean
    disconnected: boolean
    /** The next ack id (`packet.id = this.ids++` at emit time). */
    ids: number
    /** Internal: ack callbacks by id. */
    acks: Record<number, Listener | undefined>
    /** Internal: packets emitted while not connected, sent on connect. */
    sendBuffer: ParserPacket[]
    /** Sent in this namespace's CONNECT packet (not for `/`, which v2 connects implicitly). */
    query?: Record<string, string> | string
    /** Internal: null once the socket was closed by the client or the server. */
    subs: unknown[] | null
    /** Internal: called with every EVENT / BINARY_EVENT packet of this namespace. */
    onevent: (packet: ParserPacket) => void
    compress: (compress: boolean) => Socket
    /** Forces BINARY_EVENT (true) or EVENT (false) instead of detecting binary arguments. */
    binary: (binary: boolean) => Socket
    open: () => Socket
    connect: () => Socket
    disconnect: () => Socket
    close: () => Socket
  }

  interface Lookup {
    (uri: string, options?: ManagerOptions): Socket
    Manager: typeof Manager
    Socket: typeof Socket
    protocol: number
  }

  const lookup: Lookup
  export default lookup
  export type { Backoff, EnginePacket, EngineSocket, EngineTransport, Manager, ManagerOptions, ParserPacket, Socket }
}

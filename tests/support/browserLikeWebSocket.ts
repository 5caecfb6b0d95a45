import { WebSocket as NodeWebSocket } from 'ws'

/**
 * The `ws` package with its errors reduced to what a browser gives: a bare Event, no message, no cause
 * (PROTOCOL.md). The socket underneath is real; only what the driver can see of an error is cut down.
 */
class BrowserLikeWebSocket extends NodeWebSocket {}
const wsOnError = Object.getOwnPropertyDescriptor(NodeWebSocket.prototype, 'onerror')!
Object.defineProperty(BrowserLikeWebSocket.prototype, 'onerror', {
  configurable: true,
  get(this: NodeWebSocket) {
    return wsOnError.get!.call(this)
  },
  set(this: NodeWebSocket, handler: ((event: Event) => void) | null) {
    wsOnError.set!.call(this, handler && (() => handler.call(this, new Event('error'))))
  },
})

/** A real WebSocket client (the `ws` package) that shows its errors as a browser does. */
export const BrowserLikeWS = BrowserLikeWebSocket as unknown as typeof WebSocket

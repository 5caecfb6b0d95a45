/**
 * English: common. The shape every other language must match (see ../ko/common.ts). Plain strings, not `as const`:
 * `MessageSchema` (../../index.ts) is this type, and Korean's strings must be assignable to it.
 */
export default {
  app: {
    name: 'SocketLens',
  },
  /** The two protocols a session speaks, as a person reads them. */
  protocol: {
    ws: 'WebSocket',
    socketio: 'Socket.IO',
  },
  action: {
    cancel: 'Cancel',
    close: 'Close',
    dismiss: 'Dismiss',
  },
}

/**
 * English: devServer. The shape every other language must match (see ../ko/devServer.ts).
 *
 * The dev server's start-up banner (dev-server/banner.ts), read directly as plain objects by that Node program
 * (no vue-i18n there). Messages keep vue-i18n's syntax, so the catalogue tests check them like every other:
 * `{name}` is a value, and a literal brace is written `{'{'}` / `{'}'}`. Indentation and links are the banner's.
 */
export default {
  banner: {
    title: 'SocketLens dev server',
    open: 'open: {link}',
    ws: {
      heading: 'WebSocket (ws) on {port}:',
    },
    /** What each raw WebSocket path does (dev-server/raw-ws.ts RAW_WS_PATHS), by the path's name ("/" is root). */
    paths: {
      root: 'answers each message with "echo message <message>"',
      echo: 'byte-exact echo: text stays text, binary stays binary',
      ticker: "JSON quotes {'{'}symbol, price, change, time{'}'}; ?hz=10&symbols=AAPL,MSFT",
      flood: 'a burst of frames, as fast as the socket drains; ?n=100000&size=100&binary=1&close=1',
      close: 'closes right after opening; ?code=4001&reason=bye&delay=0',
      closeAfter: 'echoes, then closes every connection after ms; ?ms=1500&code=1011&reason=...',
      drop: 'cuts the TCP connection without a close frame; ?after=500',
      subprotocol: 'negotiates chat.v1 or chat.v2 (HTTP 400 when none is offered)',
      slow: 'echoes each message after a delay; ?delay=2000',
      binary: 'sends binary frames on open, answers every message in binary; ?count=3&size=256',
      big: 'sends one frame of the given size; ?size=1048576&binary=1',
      reject: 'refuses the handshake with an HTTP status; ?status=403',
      silent: 'accepts the TCP connection and never answers (connect-timeout tests)',
    },
    wss: {
      heading: 'Secure WebSocket: {tls} and {both} (same paths, self-signed certificate;',
      samePort: "port {port} answers ws:// and wss:// alike, like the study note's secure echo server)",
      trust: 'trust it once: open {url} in the browser and accept the warning',
    },
    socketio: {
      heading: 'Socket.IO v4: {url}  (namespaces /, /admin, /ticker, /__control)',
      rooms: '/: joinRoom "room", leaveRoom "room" (each announced to the room as a text `message`),',
      message: "message {'{'}room, message{'}'} (the others get `message` with the message alone, as in the study note),",
      roomMessage: "{event} {'{'}room, message{'}'} (the others get {'{'}room, message, from{'}'}; ack {'{'}room, delivered{'}'}),",
      more: 'echo, binary, broadcast, rooms; acks for any event but noAck',
      admin: "/admin: auth {'{'} token: \"{token}\" {'}'}   /ticker: subscribe / unsubscribe \"AAPL\"",
      cluster: 'Clustered: {count} nodes behind this one port: {nodes}. Every answer names its node (welcome.node, whoami).',
      node: 'node {node} (pid {pid})',
      sticky: "Sticky sessions on ({'@'}socket.io/sticky); rooms and broadcasts span the nodes ({'@'}socket.io/cluster-adapter).",
      noSticky: 'NO sticky sessions (--no-sticky): requests go round-robin, so long-polling fails with HTTP 400 "Session ID unknown"; WebSocket-only clients work.',
    },
    polling: {
      heading: 'Socket.IO, long-polling only: {url}',
    },
    variants: {
      heading: 'Socket.IO v4 variants (the same namespaces and events as above):',
      msgpack: 'msgpack parser (socket.io-msgpack-parser): {url}',
      defaultParser: 'default parser, to see the mismatch: {link}',
      websocketOnly: 'WebSocket transport only (polling gets HTTP 400): {url}',
      customPath: 'custom path {path}: {url}',
      pathInUrl: 'the path pasted into the URL: {link}',
    },
    httpOnly: {
      heading: 'HTTP only (no WebSocket, every request gets a text page): {url}',
    },
    v2: {
      heading: 'Socket.IO v2 (Engine.IO 3): {url}  (/admin takes ?token={token})',
      events: "/: joinRoom, leaveRoom, message {'{'}room, message{'}'}, echo, binary, ask; acks for any event but noAck",
      client: 'the links pick the v2 client; with v4, the inspector explains the mismatch and offers the switch',
    },
    control: {
      heading: 'Control API: {url}  (POST {actions}; GET /status)',
      auth: 'obeys only the inspector: header Authorization: Bearer {token}',
      origins: '(new at every start; POST with Content-Type: application/json), browser origins: {origins}',
      noOrigins: 'none (clients without an Origin header only)',
      namespace: "the __control namespace: the same origins, auth: {'{'} token {'}'}",
    },
    inspector: 'Inspector: {url}',
    openPorts: 'Every other port above answers any origin (CORS open, any page may connect): that is what they are for.',
    warning: 'WARNING: listening on {host}: other machines can reach the ws, wss and Socket.IO servers.',
    stop: 'Ctrl-C stops the dev server.',
  },
}

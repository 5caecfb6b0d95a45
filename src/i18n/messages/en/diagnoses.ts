/**
 * English: diagnoses. The shape every other language must match (see ../ko/diagnoses.ts).
 *
 * `<id>.<variant>.title|explanation|nextStep`: the words of a `Diagnosis` (src/protocol/diagnose.ts, `diagnosisText`).
 * Where the evidence is only a guess (the variants diagnose.ts marks `guess`), the words hedge: "most often",
 * "most likely", "can also mean"; a translation keeps the hedge. `evidence.*`: the "Why we think so" lines.
 * `fragment.*`: clauses a message takes as a value (there or not; the variable part of a sentence). `code.*`: code
 * to paste into a server, the same in every language. Values in quotes are server or platform text, shown as text.
 */
export default {
  'invalid-url': {
    'not-a-url': {
      title: 'Invalid URL',
      explanation: '"{url}" is not a valid URL.',
      nextStep: 'Write it as scheme://host:port/path, for example {example}.',
    },
    'scheme': {
      title: 'Unknown scheme',
      explanation: '"{scheme}" is not a scheme a {kind} connection can use.',
      nextStep: 'Use {plain} or {secure} ({secure} for TLS).',
    },
    'subprotocol': {
      title: 'Invalid subprotocol',
      explanation: 'The subprotocol "{protocol}" {problem}: subprotocol names are single tokens without spaces, commas or quotes (RFC 6455 §4.1).',
      nextStep: 'Give each subprotocol as a separate entry, for example chat.v1 and chat.v2, not "chat.v1, chat.v2".',
    },
    'duplicate-subprotocol': {
      title: 'Duplicated subprotocol',
      explanation: 'The subprotocol "{protocol}" is listed twice, which the WebSocket API refuses.',
      nextStep: 'List each subprotocol once.',
    },
    'bad-port': {
      title: 'Port blocked by browsers',
      explanation: 'Browsers refuse to connect to port {port}, which belongs to another protocol (the Fetch standard\'s "bad ports" list).',
      nextStep: 'Run the server on another port, for example 8080.',
    },
    'syntax': {
      title: 'Invalid URL or subprotocol',
      explanation: 'The browser refused the URL or the subprotocols: {message}',
      nextStep: 'Check the URL (no fragment, a ws:// or wss:// scheme) and that each subprotocol is a single word.',
    },
  },
  'mixed-content': {
    default: {
      title: 'Blocked as mixed content',
      explanation: 'This page is served over https, and browsers block unencrypted {scheme}// connections from a secure page to any host other than localhost (mixed content). The request never left the browser.',
      nextStep: 'Use {secure} if the server offers TLS, or open SocketLens over http (for example run it locally with npm start).',
    },
  },
  'cors-polling': {
    default: {
      title: 'Polling blocked (CORS?)',
      explanation: 'The polling request to {where} failed with HTTP status 0: the browser hid the response.{answers} Most often the server does not allow this page\'s origin (CORS); it can also mean that nothing answers at this Socket.IO path (a 404 without CORS headers looks the same){orNothing}.',
      nextStep: 'Allow {origin} on the server — Node socket.io: {node}; python-socketio: {python}, which also refuses other origins on WebSocket, so WebSocket only does not get around it there. Check too that the path option matches the server\'s (Socket.IO\'s default is /socket.io/).',
    },
    'python-origin': {
      title: 'Origin refused (CORS)',
      explanation: 'The server at {where} (python-engineio) refuses this page\'s origin: "{message}". python-socketio checks the Origin on long-polling and on WebSocket alike, so no transport gets around it.',
      nextStep: 'Add {origin} to the server\'s cors_allowed_origins: {code} (or \'*\' while developing).',
    },
  },
  'nothing-listening': {
    'websocket-probed': {
      title: 'Nothing listening',
      explanation: 'The WebSocket handshake to {where} failed, and an ordinary HTTP request to the same port failed too: nothing is listening there (refused or unreachable).',
      nextStep: 'Start the server, or check the host and the port.',
    },
    'polling-probed': {
      title: 'Nothing listening',
      explanation: 'The polling request to {where} failed with HTTP status 0, and an ordinary HTTP request to the same port failed too: nothing is listening there (refused or unreachable), so this is not CORS.',
      nextStep: 'Start the server, or check the host and the port.',
    },
    'refused': {
      title: 'Nothing listening',
      explanation: 'The connection to {where} was refused: nothing is listening on that port.',
      nextStep: 'Start the server, or check the host and the port.',
    },
    'dns': {
      title: 'Host not found',
      explanation: 'The host name {host} does not resolve to an address (DNS).',
      nextStep: 'Check the spelling of the host name.',
    },
    'unreachable': {
      title: 'Host unreachable',
      explanation: '{where} could not be reached from this machine.',
      nextStep: 'Check the host, the network and any firewall in between.',
    },
    'opaque': {
      title: 'Nothing listening?',
      explanation: 'The connection to {where} failed{after}{closed} before it opened. Most often nothing is listening on that port; a server that rejects the handshake (an HTTP error instead of 101, or a malformed upgrade answer) fails as fast nearby, and the browser hides which it was.{note}',
      nextStep: 'Check that the server runs on that host and port and serves WebSocket at this path; the browser console (DevTools) shows the exact reason.',
    },
    'opaque-subprotocol': {
      title: 'Nothing listening, or subprotocol refused?',
      explanation: 'The connection to {where} failed{after}{closed} before it opened. Most often nothing is listening on that port; a server that rejects the handshake (an HTTP error instead of 101, or a malformed upgrade answer) fails as fast nearby, and the browser hides which it was.{note}',
      nextStep: 'Connect once without subprotocols: if that works, the server supports none of the ones you asked for. Otherwise check that the server runs on that host and port.',
    },
    'probed': {
      title: 'Nothing listening',
      explanation: 'The connection to {where} failed before it opened, and an ordinary HTTP request to {url} failed too: nothing answers on that port, or this browser cannot reach it (a firewall, a blocked local-network request).',
      nextStep: 'Start the server, or check the host and the port.',
    },
  },
  'tls-untrusted': {
    certain: {
      title: 'TLS certificate not trusted',
      explanation: 'The TLS handshake with {host} failed: the server\'s certificate is not trusted ({message}).',
      nextStep: 'Open {https} once in this browser tab and accept the certificate, then connect again. If that page does not load either, nothing is listening there.',
    },
    likely: {
      title: 'TLS certificate not trusted',
      explanation: 'The secure connection to {host} failed{fast}, before any answer. Most often the server\'s TLS certificate is not trusted by this browser (self-signed, like the dev server\'s); it can also mean nothing is listening there.{note}',
      nextStep: 'Open {https} once in this browser tab and accept the certificate, then connect again. If that page does not load either, nothing is listening there.',
    },
  },
  'local-network': {
    default: {
      title: 'Local network access blocked',
      explanation: 'This page ({page}) tried to reach {host}, an address on this computer or local network. Chromium blocks that until you allow "local network access" for the page{permission}.',
      nextStep: 'Allow local network access in the site settings (the icon left of the address bar), or open SocketLens from localhost (npm start).',
    },
  },
  'handshake-rejected': {
    'invalid-namespace': {
      title: 'Unknown namespace',
      explanation: 'The server has no namespace at {namespace} and refused to connect to it ("Invalid namespace").',
      nextStep: 'Check the namespace in the URL path; the main namespace is /.',
    },
    'websocket-answers': {
      title: 'WebSocket handshake refused',
      explanation: 'Something answers HTTP at {where}, so a server runs there, but it refused the Socket.IO WebSocket handshake; the browser hides why. Most often the server refuses this page\'s origin on WebSocket too (python-socketio does by default), or its Socket.IO path is not the one asked for.',
      nextStep: '{fix}',
    },
    'websocket-failed': {
      title: 'WebSocket handshake failed',
      explanation: 'The Socket.IO WebSocket handshake to {where} failed{after}, and the browser hides why: nothing may be listening there, or the server refused the handshake (python-socketio refuses other origins on WebSocket by default; a wrong Socket.IO path fails the same way). SocketLens asks the same port an ordinary HTTP question to tell which.',
      nextStep: 'If a server runs at {where}: {fix}',
    },
    'python-no-websocket': {
      title: 'Handshake refused: Invalid transport',
      explanation: 'The server at {where} (python-engineio, from its "Invalid transport" answer) does not offer WebSocket: it was created with transports=[\'polling\'].',
      nextStep: 'Connect with long-polling (Connection options → Transports), or allow WebSocket on the server.',
    },
    'python-no-polling': {
      title: 'Handshake refused: Invalid transport',
      explanation: 'The server at {where} (python-engineio, from its "Invalid transport" answer) does not offer HTTP long-polling: it was created with transports=[\'websocket\'].',
      nextStep: 'Connect over WebSocket only (SocketLens does so by itself unless Connection options → Automatic choices turns it off), or allow polling on the server.',
    },
    'python-version': {
      title: 'Handshake refused: unsupported protocol version',
      explanation: 'The server at {where} (python-engineio 4) speaks Engine.IO 4 only, and refused this client\'s protocol version: "{message}".',
      nextStep: 'Connect with the Socket.IO v4 client (Connection options → Client), or run python-socketio 4.x for Socket.IO v2 clients.',
    },
    'engine-io-0': {
      title: 'Handshake refused: {message}',
      explanation: 'The server does not offer the requested transport ("Transport unknown").',
      nextStep: 'Match the transports to the server\'s: a polling-only server refuses websocket, and the reverse.',
    },
    'engine-io-1': {
      title: 'Handshake refused: {message}',
      explanation: 'The server does not know this session id ("Session ID unknown"). This is what happens behind a load balancer without sticky sessions: the polling requests of one session land on different server processes.',
      nextStep: 'Turn on sticky sessions in the load balancer, or use the websocket transport only.',
    },
    'engine-io-2': {
      title: 'Handshake refused: {message}',
      explanation: 'The server refused the handshake request method ("Bad handshake method").',
      nextStep: 'Check that a proxy is not rewriting the request; the handshake is a GET.',
    },
    'engine-io-3': {
      title: 'Handshake refused: {message}',
      explanation: 'The server found the request malformed ("Bad request").',
      nextStep: 'Check the path (Socket.IO\'s default is /socket.io/) and any query parameters.',
    },
    'engine-io-4': {
      title: 'Handshake refused: {message}',
      explanation: 'The server refused the connection in its allowRequest check ("Forbidden"), usually because of the Origin, a cookie or a header.',
      nextStep: 'Check the server\'s allowRequest and CORS settings for this page\'s origin.',
    },
    'engine-io-5': {
      title: 'Handshake refused: {message}',
      explanation: 'The server speaks a newer Engine.IO protocol than the client ("Unsupported protocol version"): a Socket.IO v3/v4 server answering a v2 client.',
      nextStep: 'Connect with the Socket.IO v3/v4 client, or set allowEIO3: true on the server.',
    },
    'http-auth-ws': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. It refused the connection: it wants credentials, or it does not accept this page\'s Origin.',
      nextStep: 'A browser cannot set headers on a WebSocket handshake: pass a token in the query string, a subprotocol or a cookie, and check the server\'s allowed origins.',
    },
    'http-auth': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. It refused the connection: it wants credentials, or it does not accept this page\'s Origin.',
      nextStep: 'Check the credentials (auth, query, cookies with withCredentials) and the server\'s allowed origins.',
    },
    'http-404': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. Nothing handles this path.',
      nextStep: 'Check the path in the URL{pathOption}.{hint}',
    },
    'http-gateway': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. A proxy or gateway could not reach the server behind it, or the server is unavailable.',
      nextStep: 'Check the server (and any proxy in front of it) is running and its logs.',
    },
    'http-5xx': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. The server failed while handling the request.',
      nextStep: 'Check the server (and any proxy in front of it) is running and its logs.',
    },
    'http-2xx': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. This URL serves ordinary HTTP, not a WebSocket endpoint.',
      nextStep: 'Check the path.{hint}',
    },
    'http-400': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols. It found the request malformed or unexpected at this path.',
      nextStep: 'Check the path and the server\'s logs.{hint}',
    },
    'http-other': {
      title: 'Handshake rejected (HTTP {status})',
      explanation: 'The server at {where} answered the handshake with HTTP {status} instead of switching protocols.',
      nextStep: 'Check the path and the server\'s logs.{hint}',
    },
    'slow': {
      title: 'Handshake rejected?',
      explanation: 'The server at {where} took {ms} ms and then failed the handshake{closed}: most likely it answered with an HTTP error (403, 400, 404) instead of switching protocols. The browser hides the status.{note}',
      nextStep: 'Check the path, the Origin the server accepts and any token it expects; the browser console (DevTools) shows the status.',
    },
    'slow-subprotocol': {
      title: 'Handshake rejected, or subprotocol refused?',
      explanation: 'The server at {where} took {ms} ms and then failed the handshake{closed}: most likely it answered with an HTTP error (403, 400, 404) instead of switching protocols. The browser hides the status.{note}',
      nextStep: 'Check the path, the Origin the server accepts and any token it expects; the browser console (DevTools) shows the status.',
    },
  },
  'subprotocol-mismatch': {
    default: {
      title: 'Subprotocol mismatch',
      explanation: 'You asked for {asked} and the server answered with {answered}, so the handshake failed (RFC 6455 §4.1: the client must fail a handshake whose subprotocol it did not request).',
      nextStep: 'Use a subprotocol the server supports, or connect without subprotocols.',
    },
    unrequested: {
      title: 'Subprotocol mismatch',
      explanation: 'The server answered with a subprotocol the client did not ask for, so the handshake failed (RFC 6455 §4.1).',
      nextStep: 'Use a subprotocol the server supports, or connect without subprotocols.',
    },
  },
  'socketio-v2-server': {
    certain: {
      title: 'Socket.IO v2 server',
      explanation: 'The server speaks Socket.IO v2 (Engine.IO protocol 3), which a Socket.IO v3/v4 client cannot talk to.',
      nextStep: 'Switch to SocketLens\'s Socket.IO v2 client (the button beside this explanation, or Connection options → Client), or upgrade the server to Socket.IO v3 or later.',
    },
    unparsable: {
      title: 'Socket.IO v2 server',
      explanation: 'The server answered with packets the Socket.IO v4 client cannot parse ("server error"). That is what a Socket.IO v2 server (Engine.IO protocol 3) looks like to a v4 client.',
      nextStep: 'Switch to SocketLens\'s Socket.IO v2 client (the button beside this explanation, or Connection options → Client), or upgrade the server to Socket.IO v3 or later.',
    },
  },
  'parser-mismatch': {
    default: {
      title: 'Parser mismatch',
      explanation: 'The server answered the Engine.IO handshake, then the transport closed {times}before any connect or connect_error: the server could not read the client\'s CONNECT packet. That is what happens when the two ends use different Socket.IO parsers: this session used {used}, and the server most likely uses {other}. Retrying with the same parser would only repeat it.',
      nextStep: 'Retry with the {otherShort} parser (the button beside this explanation, or Connection options → Parser). If that fails the same way, the server closes connections before Socket.IO\'s connect: check its logs.',
    },
    malformed: {
      title: 'Malformed packet from the server',
      explanation: 'The server sent a packet the Socket.IO client could not decode (broken JSON, an unknown packet type, or another parser\'s encoding), so the client closed the connection ("parse error").',
      nextStep: 'Look at the last wire frame in before the disconnect: fix the server code that writes it, or use the same parser on both ends (SocketLens uses the default parser).',
    },
  },
  'auth-rejected': {
    default: {
      title: 'Rejected by server middleware',
      explanation: 'The server reached the namespace {namespace} but its middleware refused the connection: "{message}"{data}.',
      nextStep: 'Check the auth payload (for example auth.token), query and cookies the middleware expects, then connect again.',
    },
  },
  'ping-timeout': {
    default: {
      title: 'Heartbeat lost',
      explanation: 'No heartbeat arrived within pingInterval + pingTimeout, so the client gave the connection up: the server is stalled or overloaded, the network dropped without closing the connection, or a proxy is buffering the stream.',
      nextStep: 'Check that the server is responsive and that no proxy buffers WebSocket or polling responses; raise pingTimeout on the server for slow links.',
    },
  },
  'connect-timeout': {
    default: {
      title: 'No answer to the handshake',
      explanation: 'Nothing answered the {kind} handshake{after}: the server accepted the TCP connection but never replied, a firewall drops the packets silently, or a proxy holds the request.',
      nextStep: 'Check the host, port and path, and that the server handles this endpoint; for a very slow server, raise the connect timeout.',
    },
  },
  'short-lived': {
    drops: {
      title: 'Every connection drops after about {about}',
      explanation: 'Every connection to {where} drops after about {about} ({times} times in a row){how}, without a close from the server. Each one opened, so the address and the handshake work; the server process may fail while handling the connection, or a proxy in between cuts it. Reconnect attempts wait longer each time and stop at the limit set in Connection options.',
      nextStep: 'Check the server\'s logs at the moment of the close. If it expects a first message (a token, a subscribe), send it right after open; if it closes idle connections, find the heartbeat it wants.',
    },
    closes: {
      title: 'The server closes every connection after about {about}',
      explanation: 'The server at {where} closes every connection after about {about} ({times} times in a row){how}. Each one opened, so the address and the handshake work; something after that makes the server close it: an idle or authentication timeout, a first message it expects (a token, a subscription), or an error in its handler. Reconnect attempts wait longer each time and stop at the limit set in Connection options.',
      nextStep: 'Check the server\'s logs at the moment of the close. If it expects a first message (a token, a subscribe), send it right after open; if it closes idle connections, find the heartbeat it wants.',
    },
  },
  'socketio-server': {
    default: {
      title: 'This is a Socket.IO server',
      explanation: '{where} answered a Socket.IO polling handshake (Engine.IO {eio}) at /socket.io/, so a Socket.IO server runs there. Socket.IO speaks its own protocol on top of WebSocket, at its own path, so a raw WebSocket connection to {path} is refused.',
      nextStep: 'Switch the session to Socket.IO: it keeps the host, the port and this timeline.',
    },
  },
  'not-websocket': {
    subprotocol: {
      title: 'Subprotocol refused, or no WebSocket at this path?',
      explanation: '{answered} You asked for {asked}: a server that supports none of them fails the handshake exactly like one that has no WebSocket endpoint at this path, and the browser hides which it was.',
      nextStep: 'Connect once without subprotocols: if that works, the server supports none of the ones you asked for. Otherwise check the WebSocket path in the server\'s code or documentation.',
    },
    default: {
      title: 'Something answers HTTP here, but not WebSocket at this path',
      explanation: '{answered} Most often it serves only HTTP there, or its WebSocket endpoint is at another path; it may also refuse this page\'s Origin or want a token. The browser hides its answer to the handshake.',
      nextStep: 'Check the WebSocket path in the server\'s code or documentation (/ws, /socket, /api/...). Opening {url} in a tab shows what answers there; the browser console (DevTools) shows the handshake\'s HTTP status.',
    },
  },
  'server-gone': {
    refused: {
      title: 'The server went away (connection refused)',
      explanation: 'The session was connected to {where}{up} until {ago} ago, from this same page, so the server accepted this page\'s origin then: this is not CORS.{found}',
      nextStep: 'Start the server again: SocketLens keeps reconnecting, with growing delays, and connects by itself when it is back.',
    },
    default: {
      title: 'The server went away',
      explanation: 'The session was connected to {where}{up} until {ago} ago, from this same page, so the server accepted this page\'s origin then: this is not CORS.{found}',
      nextStep: 'Start the server again: SocketLens keeps reconnecting, with growing delays, and connects by itself when it is back.',
    },
    lost: {
      title: 'Connection lost',
      explanation: 'The connection to {where} ended{up} without a disconnect from the server ("{reason}"): the server stopped or restarted, or the network between dropped.',
      nextStep: 'SocketLens reconnects with growing delays; if it does not come back, check that the server is running and its logs.',
    },
  },
  'socketio-path': {
    default: {
      title: 'Socket.IO server found at path {path}',
      explanation: 'Nothing answers Socket.IO at {used}, but an Engine.IO server answered a handshake at {path}/: the URL\'s path ({namespace}) is the server\'s Socket.IO path, not a namespace.',
      nextStep: 'Connect to {url} with the path {path} (Connection options → Path).',
    },
  },
  'session-unknown': {
    'cluster': {
      title: 'Requests of one session reached different server nodes',
      explanation: 'The handshake with {where} succeeded and gave the session id {sid}; {after} later a request with that id got HTTP 400 "Session ID unknown", and this happened to {count} sessions in a row: each request reaches whichever server node (process) the load balancer picks, and only the node that made the handshake knows the session.',
      nextStep: "Enable sticky sessions ({'@'}socket.io/sticky in a Node cluster; ip_hash or a cookie in nginx and other load balancers), or use WebSocket only (Connection options → Transports: websocket), which keeps one connection to one node.",
    },
    'cluster-likely': {
      title: 'Requests of one session probably reached different server nodes',
      explanation: 'The handshake with {where} succeeded and gave the session id {sid}; {after} later, before the session had really started, a request with that id got HTTP 400 "Session ID unknown". Several server nodes behind one address without sticky sessions do exactly this. A server restart in that very moment would look the same: the next attempt tells them apart, since a restarted server keeps the new session.',
      nextStep: "Enable sticky sessions ({'@'}socket.io/sticky in a Node cluster; ip_hash or a cookie in nginx and other load balancers), or use WebSocket only (Connection options → Transports: websocket), which keeps one connection to one node.",
    },
    'restart': {
      title: 'The server no longer knows this session',
      explanation: 'The session {sid} had been working with {where} for {after} ({frames} frames received), then a request got HTTP 400 "Session ID unknown": the server no longer has the session. Most likely it restarted (it keeps sessions in memory); it may also have closed the session after a missed heartbeat (a tab asleep in the background), or the node that held it went away. Requests of one session reaching different nodes would have failed at once, not after {after}.',
      nextStep: 'SocketLens reconnects with a new session. If this keeps happening while the server runs, look for several server nodes without sticky sessions.',
    },
  },
  'unknown': {
    'security-error': {
      title: 'Refused by the browser',
      explanation: 'The browser refused to open this connection (SecurityError: {message}). The page\'s Content-Security-Policy (connect-src) may forbid this host, or the port may be blocked.',
      nextStep: 'Look at the browser console for the exact reason, and try the endpoint from a page you control (npm start).',
    },
    'closed': {
      title: 'Closed: {name}',
      explanation: 'The connection was open and then closed with {code}. {meaning}{said}',
      nextStep: 'Check the server\'s logs for why it closed the connection.',
    },
    'closed-1006': {
      title: 'Closed: {name}',
      explanation: 'The connection was open and then closed with {code}. {meaning}{said}',
      nextStep: 'Check the server is still running and the network between; the driver reconnects if reconnect is on.',
    },
    'failed': {
      title: 'Connection failed',
      explanation: 'The connection to {where} failed.',
      nextStep: 'Check the URL and that the server is running; the browser console (DevTools) may show more.',
    },
    'failed-said': {
      title: 'Connection failed',
      explanation: 'The connection to {where} failed: {said}',
      nextStep: 'Check the URL and that the server is running; the browser console (DevTools) may show more.',
    },
    'connection-error': {
      title: 'Connection error',
      explanation: 'The connection failed after it opened.',
      nextStep: 'See the close event that follows.',
    },
    'invalid-close': {
      title: 'Invalid close',
      explanation: 'The close was refused: {message}. A client may close only with 1000 or 3000–4999 and a reason of at most 123 bytes (WHATWG WebSockets, close()).',
      nextStep: 'Use code 1000 or one in 3000–4999, and a shorter reason.',
    },
    'load-failed': {
      title: 'Could not load the client',
      explanation: 'SocketLens could not load what the switch needs ({message}). Reload the page and connect again.',
      nextStep: 'Reload the page and connect again.',
    },
  },
  /** Headings of failures that come without a diagnosis (a close, a disconnect, a give-up). */
  heading: {
    closed: 'Closed: {name}',
    serverDisconnect: 'Disconnected by the server',
    disconnected: 'Disconnected: {reason}',
    disconnectedUnknown: 'Disconnected: unknown reason',
    connectTimeout: 'No answer to the handshake',
    gaveUp: 'Gave up reconnecting',
    failed: 'Connection failed',
  },
  /** The diagnosis banner (components/connection/DiagnosisBanner.vue). */
  banner: {
    region: 'Diagnosis',
    guess: 'a guess',
    guessHint: 'The evidence fits more than one cause: check it below',
    show: 'Show in timeline',
    showHint: 'Select this event in the timeline and show its details',
    dropped: 'The buffer cap has dropped this event from the timeline',
    dismiss: 'Dismiss',
    dismissHint: 'Hide until the next connection attempt',
    imported: 'From the imported file {file}, not a live diagnosis: its words are the file\'s.',
    importedUnnamed: 'From the imported file, not a live diagnosis: its words are the file\'s.',
    nextStep: 'Next step:',
    why: 'Why we think so',
    fact: {
      closeCode: 'Close code {code} ({name})',
      reason: 'Reason "{reason}"',
      httpStatus: 'HTTP status {status}',
      namespace: 'Namespace {namespace}',
      repeats: 'Failed the same way {count} times in a row',
      gaveUp: 'Gave up after {count} reconnect attempt | Gave up after {count} reconnect attempts',
      notReconnecting: 'Not reconnecting',
    },
  },
  evidence: {
    error: '{name}: {message}',
    errorName: '{name}',
    httpHidden: 'HTTP status 0 on {transport} request (the browser hid the response)',
    httpHiddenAny: 'HTTP status 0 on the request (the browser hid the response)',
    httpStatus: 'HTTP {status} on {transport} request',
    httpStatusAny: 'HTTP {status} on the request',
    body: 'Response body: "{body}"',
    connectError: 'connect_error "{message}"',
    errorData: 'Error data {data}',
    disconnectReason: 'Disconnect reason "{reason}"',
    closeCode: 'Close code {code} ({name}){unclean}',
    unclean: ', no clean close',
    closeReason: 'Close reason "{reason}"',
    opened: 'The connection had opened',
    neverOpened: 'The connection never opened',
    failedAfter: 'Failed {ms} ms after the attempt began',
    transportCloses: '{closes} transport closes in a row without connect or connect_error',
    subprotocolsAsked: 'Subprotocols asked for: {protocols}',
    subprotocolAnswered: 'Subprotocol answered: {protocol}',
    subprotocolAnsweredNone: 'Subprotocol answered: none',
    localNetwork: 'Local network permission: {permission}',
    page: 'This page: {origin}',
    wasOpen: 'Was open {duration} before this close',
    openEarlier: 'The session was open earlier in this run (for {duration}, until {ago} before this failure)',
    shortLived: 'Closed within {within} of opening {times} times in a row',
    sameFailure: 'The same failure {times} times in a row',
    lastHandshake: 'The last handshake came from {name}{eio}{upgrades}',
    anEngineIoServer: 'an Engine.IO server',
    engineIoVersion: ', Engine.IO {eio}',
    upgrades: ', upgrades: {upgrades}',
    none: 'none',
    engineHandshakeAnswered: 'The server answered the Engine.IO handshake',
    connectWrittenWith: 'The CONNECT packet was written with {parser}',
    pythonAnswer: '"{message}" is python-engineio\'s answer (python-socketio)',
    handshakeThenUnknown: 'The handshake succeeded (sid {sid}); {after} later a request with that sid got HTTP 400 "Session ID unknown"',
    framesAfterHandshake: 'Frames received for this session after its handshake: {frames}',
    unknownSidStreak: '{count} sessions in a row: handshake succeeded, then "Session ID unknown"',
  },
  fragment: {
    /** The kind of connection, by its protocol's name. */
    kind: {
      ws: 'WebSocket',
      socketio: 'Socket.IO',
    },
    subprotocolSpace: 'contains a space, which is not allowed',
    subprotocolEmpty: 'is empty, which is not allowed',
    subprotocolCharacter: 'contains a character that is not allowed',
    withinMs: ' within {ms} ms',
    afterMs: ' after {ms} ms',
    withData: ' with data {data}',
    closedTimes: '{closes} times ',
    parser: {
      default: 'the default parser (socket.io-parser, JSON)',
      msgpack: 'the msgpack parser (socket.io-msgpack-parser)',
    },
    parserShort: {
      default: 'default',
      msgpack: 'msgpack',
    },
    forDuration: ' (for {duration})',
    afterDuration: ' after {duration}',
    serverGone: {
      refused: ' The connection is refused now: nothing listens on that port, so the server stopped.',
      answers: ' Something answers HTTP on that port, but not Socket.IO at this path yet: the server is starting again, or a proxy answers for it.',
      timeout: ' Nothing answers on that port within seconds: the host or the network between is down.',
      unknown: ' The server stopped or restarted, or the network between dropped.',
    },
    thisOrigin: 'this page\'s origin',
    corsFix: 'Allow {origin} on the server — python-socketio: {python}; Node socket.io: {node} and its allowRequest — and check the path option (Socket.IO\'s default is /socket.io/).',
    publicPage: 'a public page',
    permissionDenied: ', and the permission is denied',
    permissionPrompt: ', and the permission has not been given yet',
    permissionUnknown: '; it can also mean nothing is listening there',
    somethingAnswers: ' Something answers HTTP on that port, so a server runs there.',
    orNothingListening: ', or that nothing is listening there',
    socketIoHint: ' If this is a Socket.IO server, connect with the Socket.IO type instead of raw WebSocket.',
    pathOption: ' and the path option (Socket.IO\'s default is /socket.io/)',
    askedFor: 'the subprotocol {protocols} | the subprotocols {protocols}',
    none: 'none',
    httpsForm: 'the https:// form of the URL',
    certificateError: 'certificate error',
    close1006: ' (close 1006)',
    protocolsNote: ' You also asked for {asked}: a server that answers with none of them fails the handshake the same way.',
    withCode: ' with {code} ({name}){reason}',
    andReason: ' and the reason "{reason}"',
    quotedReason: ' ("{reason}")',
    httpAnswered: 'An ordinary HTTP request to {url} got an answer, so a server is listening at {where}, but it did not accept the WebSocket handshake at {path}.',
    reasonGiven: ' The reason given was "{reason}".',
  },
  code: {
    pythonCors: 'socketio.AsyncServer(cors_allowed_origins=[\'{origin}\'])',
    nodeCors: 'new Server({\'{\'} cors: {\'{\'} origin: [\'{origin}\'] {\'}\'} {\'}\'})',
  },
} as const

/**
 * English: start. The shape every other language must match (see ../ko/start.ts).
 *
 * The Start-here panel and its presets for the bundled dev server (src/components/start/), the Help menu, the
 * Keyboard shortcuts sheet and Copy link. Contract names (ARCHITECTURE.md), word for word in English: "Start here",
 * the seven preset names, "Keyboard shortcuts", "Copy link". The preset texts are written from the study note's
 * ideas (../shared/seeds/).
 */
export default {
  here: {
    /** Contract: the region/dialog name. */
    title: 'Start here',
    intro: 'Each button opens a session on the bundled dev server and connects. Pick one and watch the timeline.',
    close: 'Close',
    checking: 'Looking for the dev server…',
    running: 'The dev server is running.',
    runningPorts: 'The dev server answers on its default ports.',
    absent: 'The dev server is not running. In a terminal in the SocketLens folder, run {start} (the inspector and the dev server) or {devServer} (the dev server alone), then check again.',
    retry: 'Check again',
    trust: 'Trust its certificate once: open {link} and accept the warning.',
    opening: 'Opening {name}…',
    noControl: 'No control token (it comes with {start}): this demo uses the raw WebSocket path /drop instead, which cuts every connection after 2 seconds.',
  },
  /** Contract: each preset's `name` is a button's name. `lines` are two or three sentences on what it shows. */
  presets: {
    wsEcho: {
      name: 'WebSocket echo',
      lines: 'A plain ws:// WebSocket: one HTTP handshake, then the connection stays open and either side may send at any time, without a new request per message. The server answers “hi” with “echo message hi”, like the study note’s server. ws:// is not encrypted.',
    },
    wssEcho: {
      name: 'Secure WebSocket echo',
      lines: 'The same echo over wss://: TLS encrypts every frame, so nobody on the way can read or change it. A browser connects only to a server whose certificate it trusts; the dev server’s is self-signed, so until you accept it once, the connection fails with a bare close code 1006.',
    },
    rooms: {
      name: 'Socket.IO rooms',
      lines: 'Socket.IO adds events, rooms, acknowledgements and automatic reconnection on top of WebSocket. Two sessions join the same room: press Send in the first, then open the second tab. The message arrives there, not back at the sender.',
    },
    polling: {
      name: 'Long-polling only',
      lines: 'Socket.IO starts every connection on HTTP long-polling: the client asks, the server holds the request until it has something to say, answers, and the client asks again. It normally upgrades to WebSocket next; this server offers no upgrade, so polling carries everything.',
    },
    reconnect: {
      name: 'Reconnect demo',
      lines: 'Socket.IO reconnects by itself when a connection drops. Once the session is open, the dev server’s control API stops its servers for {seconds} seconds (every connection to it is cut): watch the disconnect, the attempts with growing delays, and the connection coming back.',
    },
    ticker: {
      name: 'Ticker stream',
      lines: 'A stream the server pushes without being asked: JSON quotes twice a second over one WebSocket, the kind of live data (prices, games, chat) WebSocket suits best. Pause the timeline or open the throughput chart while it runs.',
    },
    socketioV2: {
      name: 'Socket.IO v2',
      lines: 'An older Socket.IO v2 server (Engine.IO 3), whose handshake today’s client does not speak, so this session uses the v2 client. With the client version on automatic, SocketLens notices such a server and switches by itself.',
    },
  },
  help: {
    menu: 'Help',
    startHere: 'Start here',
    shortcuts: 'Keyboard shortcuts',
  },
  shortcuts: {
    /** Contract: the dialog's name. */
    title: 'Keyboard shortcuts',
    intro: 'Single keys work when no text field has the focus.',
    close: 'Close',
    key: 'Keys',
    action: 'Action',
    or: 'or',
    actions: {
      help: 'Show this list',
      connect: 'Connect or disconnect the session',
      send: 'Send the composed message',
      filter: 'Search the timeline (focus the filter)',
      pause: 'Pause or resume the timeline',
      clear: 'Clear the timeline',
      next: 'Next session',
      previous: 'Previous session',
      navigate: 'Move through the timeline’s rows (when the list has the focus)',
      close: 'Close a dialog or menu',
    },
  },
  copyLink: {
    /** Contract: the button's name. */
    button: 'Copy link',
    title: 'Copy a link that opens this session (and connects)',
    link: 'Link to this session',
    includeSecrets: 'Include auth and secrets',
    copied: 'Copied.',
    failed: 'Could not copy: select the link and copy it.',
    leftOut: 'Left out: {names}.',
    userinfo: 'user and password in the URL',
    authField: 'auth',
  },
}

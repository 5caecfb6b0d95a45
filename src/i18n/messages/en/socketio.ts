/**
 * English: socketio (rooms, namespaces, listeners). The shape every other language must match (see
 * ../ko/socketio.ts). Plain strings, not `as const`: `MessageSchema` (../../index.ts) is this type. "Room",
 * "Join room" and "Leave room" are contract names (ARCHITECTURE.md): keep them word for word.
 */
export default {
  rooms: {
    region: 'Rooms',
    title: 'Rooms',
    room: 'Room',
    roomPlaceholder: 'room name',
    join: 'Join room',
    leave: 'Leave room',
    use: 'Use {room}',
    events: 'Room events',
    joinEvent: 'Join event',
    leaveEvent: 'Leave event',
    payload: 'Payload',
    payloadString: '"room"',
    payloadObject: '{\'{\'} "room": "room" {\'}\'}',
    status: {
      joining: 'joining…',
      joined: 'joined',
      unconfirmed: 'asked to join (no ack)',
      leaving: 'leaving…',
      left: 'left',
      failed: 'failed',
    },
    /** `{args}` is the server's acknowledgement as JSON. */
    answered: 'server answered {args}',
    noAck: 'sent; the server did not acknowledge it',
    /**
     * "Send to room". Its button's name is a contract name (ARCHITECTURE.md). No other textbox here may contain
     * "Room", "Message" or "Event name" (contract names matched by substring), hence "Text to send", "Event to send".
     */
    send: {
      text: 'Text to send',
      textPlaceholder: 'what the room receives (empty: the Message)',
      target: 'Room to send to',
      button: 'Send to room',
      toRoom: 'to {room}',
      sent: 'Sent {event} to {room}.',
      noRoom: 'Join a room to send to it.',
      notConnected: 'Connect and join a room to send to it.',
      notSocketIo: 'Rooms are a Socket.IO feature.',
      noEvent: 'Name the event to send (Room events).',
      noText: 'Type the text to send here, or in Message with the room\'s event (a Message that already names its room goes with Send).',
      event: 'Event to send',
      shape: 'Arguments',
      shapes: {
        object: 'one object {\'{\'} {roomKey}, {messageKey} {\'}\'}',
        args: 'room, text (two arguments)',
        argsReversed: 'text, room (two arguments)',
        text: 'the text only',
      },
      targetKey: 'Object key of the target',
      textKey: 'Object key of the text',
    },
  },
  namespaces: {
    region: 'Namespaces',
    title: 'Namespaces',
    fromUrl: 'from the URL',
    withAuth: 'with auth',
    leave: 'Leave namespace {namespace}',
    namePlaceholder: '/admin',
    toJoin: 'Namespace to join',
    auth: 'Namespace auth',
    authPlaceholder: 'auth JSON (optional)',
    join: 'Join namespace',
    /** A namespace's auth as named in an error ("Auth of /admin is not valid JSON"). */
    authOf: 'Auth of {namespace}',
  },
  listeners: {
    region: 'Listeners',
    title: 'Listeners',
    catchAll: 'Catch every event',
    onlyListed: 'Only the events switched on below reach the timeline (the wire and packet layers still show everything).',
    listenTo: 'Listen to {name}',
    remove: 'Remove listener {name}',
    ackReply: 'Answer the server\'s ack requests with',
    ackReplyArgs: 'Ack reply arguments (JSON array)',
    eventToListen: 'Event to listen to',
    eventPlaceholder: 'event name',
    listen: 'Listen',
  },
  errors: {
    namespaceListed: '{namespace} is already in the list.',
    ackReplyNotJson: 'The ack reply is not valid JSON: {detail}',
  },
}

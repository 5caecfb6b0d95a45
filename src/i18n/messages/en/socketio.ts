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

/**
 * English: composer (the Send panel for raw frames and Socket.IO events, its validation and its result line). The
 * shape every other language must match (see ../ko/composer.ts). Plain strings, not `as const`: `MessageSchema`
 * (../../index.ts) is this type. "Message", "Send", "Event name" and "Expect acknowledgement" are contract names
 * (ARCHITECTURE.md): keep them word for word.
 */
export default {
  message: 'Message',
  send: 'Send',
  panel: {
    region: 'Composer',
    title: 'Send',
  },
  argumentTypes: {
    auto: 'JSON / text',
    string: 'String',
    number: 'Number',
    boolean: 'Boolean',
    null: 'null',
    binary: 'Binary (hex / base64)',
  },
  ws: {
    format: 'Format',
    formatLabel: 'Payload format',
    formats: {
      text: 'Text',
      json: 'JSON',
      binary: 'Binary (hex / base64)',
    },
    placeholders: {
      text: 'hello',
      json: '{\'{\'}"type": "subscribe", "channel": "trades"{\'}\'}',
      binary: '48 65 6c 6c 6f   or   base64:SGVsbG8=',
    },
    hint: 'Ctrl+Enter sends',
  },
  sio: {
    eventName: 'Event name',
    eventNamePlaceholder: 'message',
    namespace: 'Namespace',
    urlNamespace: '{namespace} (URL)',
    firstArgument: 'Message (argument 1)',
    argumentType: 'Type of argument {n}',
    messagePlaceholder: '{\'{\'}"room": "lobby", "message": "hi"{\'}\'}',
    argument: 'Argument {n}',
    removeArgument: 'Remove argument {n}',
    addArgument: '+ Add argument',
    expectAck: 'Expect acknowledgement',
    /** `{input}` is the number field itself. */
    ackWithin: 'within {input} ms',
    ackTimeoutLabel: 'Wait for the ack (ms)',
    volatile: 'Volatile',
    compress: 'Compress',
    hint: 'Ctrl+Enter sends · JSON text is sent as JSON',
  },
  /** The line under the composer after Send. `{args}` is the server's acknowledgement as JSON. */
  result: {
    notConnected: 'Not connected: press Connect first.',
    notSent: 'Not sent.',
    waiting: 'Waiting for the acknowledgement of “{name}”…',
    ack: 'Ack: {args}',
    ackIn: 'Ack in {ms} ms: {args}',
  },
  /** Why the draft cannot be sent. `{detail}` is the browser's own words. */
  errors: {
    badBase64: 'That is not valid base64.',
    notHex: 'Binary is written as hex bytes (48 65 6c 6c 6f) or as base64:… .',
    oddHex: 'Hex bytes come in pairs of digits: one digit is missing.',
    notBoolean: '"{text}" is not a boolean: write true or false.',
    notNumber: '"{text}" is not a number.',
    inArgument: 'Argument {n}: {problem}',
    notJson: 'Not valid JSON: {detail}',
    noEventName: 'Enter an event name.',
  },
}

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
    json: 'JSON',
    string: 'String',
    number: 'Number',
    boolean: 'Boolean',
    null: 'null',
    binary: 'Binary',
  },
  ws: {
    format: 'Format',
    formatLabel: 'Payload format',
    formats: {
      text: 'Text',
      json: 'JSON',
      binary: 'Binary',
    },
    placeholders: {
      text: 'hello',
      json: '{\'{\'}"type": "subscribe", "channel": "trades"{\'}\'}',
    },
    hint: 'Ctrl+Enter sends',
  },
  /** The code editor of the Message and argument fields. */
  editor: {
    formatJson: 'Format JSON',
    formatTitle: 'Pretty-print the JSON (Ctrl+Z undoes it)',
    at: 'line {line}, column {column}',
    formatArgument: 'Format argument {n} as JSON',
    /** CodeMirror's own words: a control character's title, screen-reader announcements, the lint panel. */
    phrases: {
      controlCharacter: 'Control character',
      selectionDeleted: 'Selection deleted',
      diagnostics: 'Problems',
      noDiagnostics: 'No problems',
      close: 'Close',
    },
  },
  /** Binary entry: typed hex or base64, or a file (picked or dropped on the composer). */
  binary: {
    input: 'Binary input',
    inputOf: 'Binary input of argument {n}',
    inputs: {
      hex: 'Hex',
      base64: 'Base64',
      file: 'File',
    },
    placeholders: {
      hex: '48 65 6c 6c 6f   or   base64:SGVsbG8=',
      base64: 'SGVsbG8=',
    },
    choose: 'Choose file…',
    chosen: '{name} · {size}',
    none: 'No file chosen: choose one, or drop it on the composer.',
    notKept: 'The file stays in this tab only: after a reload, choose it again.',
    drop: 'Drop the file to send it as binary',
    bytes: '{n} byte | {n} bytes',
    tooBig: '“{name}” is {size}: files over {max} are not sent.',
    readFailed: '“{name}” could not be read: {detail}',
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
    /** Under an empty Message of type JSON / text with no further arguments. */
    noArguments: 'Message empty: the event is sent with no arguments.',
  },
  /** The line under the composer after Send. `{args}` is the server's acknowledgement as JSON. */
  result: {
    notConnected: 'Not connected: press Connect first.',
    notSent: 'Not sent.',
    waiting: 'Waiting for the acknowledgement of “{name}”…',
    ack: 'Ack: {args}',
    ackIn: 'Ack in {ms} ms: {args}',
  },
  /** Where JSON text stops being JSON (the editor's marker, and `{problem}` in errors.badJson). `{found}` is quoted. */
  json: {
    unexpectedEnd: 'the text ends before the JSON does',
    unexpectedCharacter: 'unexpected {found}',
    expectedColon: 'expected ":" after the property name, found {found}',
    expectedCommaOrClose: 'expected "," or "{close}", found {found}',
    expectedKey: 'expected a property name in double quotes, found {found}',
    unterminatedString: 'a string is not closed with "',
    badEscape: 'a backslash escape that JSON does not have',
    controlCharacter: 'a line break or control character inside a string (write \\n)',
    badNumber: 'not a valid number',
    trailingText: 'more text after the JSON value',
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
    badJson: 'Not valid JSON at line {line}, column {column}: {problem}.',
    looksLikeJson: 'Not sent: this looks like JSON but is not valid ({problem}). To send it as text, choose the type String.',
    noEventName: 'Enter an event name.',
    empty: 'The Message is empty: nothing was sent.',
    emptyJson: 'Empty: write a JSON value.',
    emptyArgument: 'Empty: write a value, or choose the type String to send an empty string.',
    emptyBinary: 'No bytes: write them in hex or base64, or choose a file.',
    noFile: 'No file chosen (a file is not kept when the page reloads): choose one.',
    fileTooBig: '“{name}” is larger than 64 MiB: not sent.',
    binaryTooBig: 'More than 64 MiB of bytes: not sent.',
  },
}

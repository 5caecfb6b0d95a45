/**
 * English: artillery. The shape every other language must match (see ../ko/artillery.ts).
 *
 * "Export as Artillery test" (src/components/artillery/, src/artillery/). The button's name is a contract name
 * (ARCHITECTURE.md) and stays word for word; no label here may contain another contract name ("Send", "Connect",
 * "Message", "Room", "Export timeline", "Replay"), as role queries match by substring.
 */
export default {
  button: 'Export as Artillery test',
  buttonTitle: 'Write what this session sent as an Artillery 2 script, to run it with many virtual users',
  dialog: {
    title: 'Export as Artillery test',
    close: 'Close',
    intro: 'Every virtual user connects as this session did and does what it did, in order, with the recorded pauses.',
    engine: 'Engine',
    engines: {
      socketio: 'socketio (Socket.IO: emits, acknowledgements, namespaces)',
      ws: 'ws (raw WebSocket: text frames)',
    },
    source: {
      session: 'From this session ({n} steps)',
      imported: 'From the recorded file {name} ({n} steps)',
      fanout: 'From the fan-out {name} ({n} steps)',
    },
    phases: 'Load (config.phases)',
    duration: 'Duration (s)',
    arrivalRate: 'New users per second',
    rampTo: 'Ramp to (users per second)',
    rampHint: 'Leave empty for a constant rate.',
    maxThink: 'Longest pause (s)',
    includeSecrets: 'Include secrets as text',
    includeSecretsHint: 'Off: auth values, tokens in the query and headers are read from environment variables when the test runs, and are not in the file.',
    matchAcks: 'Check acknowledgement arguments',
    matchAcksHint: 'Fail a user whose acknowledgement differs from the recorded one (answers that name a socket or a count differ on every run).',
    secrets: 'Set these environment variables before the run:',
    secretField: '{env} ← {field}',
    leftOut: 'Left out or changed',
    nothingLeftOut: 'Everything this session sent is in the script.',
    preview: 'Script preview',
    previewClipped: 'The preview shows the first {shown} characters of {total}; Download and Copy take all of it.',
    generating: 'Writing the script…',
    failed: 'The script could not be written: {error}',
    download: 'Download .yml',
    copy: 'Copy YAML',
    copied: 'Copied',
    copyFailed: 'Copy failed (the clipboard needs focus and a secure page)',
    run: 'How to run it',
    runLocal: 'On this machine (Node 20 needs Artillery 2.0.21, the last release for it):',
    runCloud: 'When one machine is not enough, the same file runs distributed on Artillery\'s cloud runners: on AWS Fargate or Azure Container Instances (several workers with --count), and recorded in Artillery Cloud with --record:',
    runNote: 'Point it at another server with --target. Artillery waits for an acknowledgement without a time limit: a server that never answers holds the user.',
  },
  /** What the dialog says of each OmissionCode (src/artillery/types.ts); {n}: how many. */
  omissions: {
    binaryFrame: '{n} binary frame(s) left out: Artillery\'s ws engine sends text only.',
    binaryArgument: '{n} binary argument(s) written as !!binary: Artillery sends them as binary attachments.',
    notANumber: '{n} number(s) JSON cannot hold (NaN, Infinity) written as null, as JSON sends them.',
    templateSyntax: '{n} value(s) contain {\'{{ … }}\'}: Artillery replaces that with a variable when the test runs, and it cannot be escaped.',
    socketIoV2: 'This session spoke Socket.IO v2 (Engine.IO 3): Artillery\'s client is Socket.IO v4 and cannot connect to that server.',
    msgpackParser: 'This session used the msgpack parser: Artillery\'s client has only the default parser, so the server will not understand it.',
    namespaceAuth: 'Namespaces with different auth: Artillery sends one auth to every namespace, so the first is used.',
    ackNeverCame: '{n} emit(s) whose acknowledgement never came in the recording are written without waiting for one: Artillery would wait forever.',
    thinkCapped: '{n} pause(s) longer than the longest pause were shortened to it.',
    noSteps: 'This session sent nothing: each user only connects and waits a second.',
    tooDeep: '{n} value(s) nested too deep were written as null.',
    tooManySteps: '{n} later step(s) were left out: one script takes at most {max}.',
  },
}

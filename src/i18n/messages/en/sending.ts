/**
 * English: sending. The shape every other language must match (see ../ko/sending.ts).
 *
 * Variables, repeat and history of sent messages (src/components/sending/, src/sending/, src/stores/sending.ts).
 * "Repeat count", "Repeat every (ms)", "Repeat" and "Stop repeat" are contract names (ARCHITECTURE.md): keep them
 * word for word. The variable syntax (`{{name}}`, `\{{`) is passed in as values (`{example}`, `{escape}`, `{open}`),
 * since vue-i18n reads braces itself.
 */
export default {
  variables: {
    title: 'Variables',
    /** `{example}` is `{{counter}}`. */
    hint: 'Write {example} in the Message, the event name or an argument: it is replaced when the message is sent. Each variable has one value per send. {escape} writes a literal {open}.',
    builtInTitle: 'Built in',
    builtIn: {
      now: 'the time, in ms since 1970 (epoch ms)',
      iso: 'the time, ISO 8601 in UTC',
      uuid: 'a random UUID (crypto.randomUUID)',
      counter: 'this session’s send number: 1 for the first send, one more per send (starts again at 1 after a reload)',
      random: 'a random integer from 0 to 2147483647 (2^31 − 1)',
    },
    session: 'This session',
    global: 'All sessions (kept in this browser)',
    precedence: 'A variable of this session wins over one of the same name for all sessions. A value is inserted as it is: it is not expanded again.',
    name: 'Name of variable {n}',
    value: 'Value of variable {n}',
    namePlaceholder: 'name',
    valuePlaceholder: 'value',
    add: 'Add variable',
    remove: 'Remove variable {n}',
    invalidName: 'A name is letters, digits, _, - and . (not starting with a digit), and not a built-in one.',
    none: 'No variables of your own yet.',
    notSaved: 'The variables for all sessions could not be saved in this browser: they work until the page is closed.',
    /** Why a draft is not sent. `{names}`: the unknown names, comma-separated. */
    unknown: 'Not sent: there is no variable named {names}. Define it under Variables, or write {escape} for a literal {open}.',
    malformed: 'Not sent: {found} is not a variable (write {example}); write {escape} for a literal {open}.',
  },
  preview: {
    title: 'Next send, expanded',
    note: 'counter = {counter}; uuid and random are samples, a send gets its own',
    event: 'Event',
    argument: 'Argument {n}',
    more: '… ({n} more characters)',
  },
  repeat: {
    count: 'Repeat count',
    every: 'Repeat every (ms)',
    start: 'Repeat',
    stop: 'Stop repeat',
    progress: '{done} / {total}',
    hint: 'Stops on Stop repeat, when the connection closes, when the tab is closed, and at the first send that fails.',
    ended: {
      done: 'Repeat done: {done} / {total}.',
      stopped: 'Repeat stopped at {done} / {total}.',
      disconnected: 'Repeat stopped at {done} / {total}: the connection is no longer open.',
      closed: 'Repeat stopped at {done} / {total}: the tab was closed.',
      error: 'Repeat stopped at {done} / {total}: a send failed.',
    },
    confirm: {
      title: 'Confirm repeat',
      many: 'This sends the message {total} times.',
      fast: 'An interval under 1 ms sends as fast as the browser can, in short batches.',
      question: 'Go on?',
      proceed: 'Continue',
      cancel: 'Cancel',
    },
  },
  history: {
    button: 'History',
    title: 'Sent in this session, newest first',
    empty: 'Nothing sent yet in this session.',
    hint: 'Up and Down in an empty Message recall them.',
    /** A Socket.IO entry: its event name, then its first argument. */
    event: '{name}: {text}',
  },
}

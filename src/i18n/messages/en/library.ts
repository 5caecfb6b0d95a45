/**
 * English: library (saved connections and messages, their file, and file imports). The shape every other language
 * must match (see ../ko/library.ts). Plain strings, not `as const`: `MessageSchema` (../../index.ts) is this type.
 * Accessible names (aria-label, button text) stay word for word: tests and screen-reader users name them.
 */
export default {
  /** A long import's step, as its progress line shows it: `{phase} {done} of {total}` or `{phase}…`. */
  progress: {
    reading: 'Reading',
    checking: 'Checking',
    saving: 'Saving',
    sorting: 'Sorting',
    opening: 'Opening',
    counted: '{phase} {done} of {total}',
    uncounted: '{phase}…',
  },
  /** The timeline's Import button (ImportButton.vue): a NDJSON or HAR file opened as a read-only session. */
  timelineImport: {
    button: 'Import timeline',
    fileLabel: 'Timeline file',
    progressLabel: 'File import progress',
    cancel: 'Cancel file import',
    failed: '{file}: {error}',
    unreadable: '{file}: could not be read ({reason}).',
    cancelled: '{file}: import cancelled; nothing was opened.',
    warnings: '{file}: {warnings}',
    dismissError: 'Dismiss import error',
    dismissWarnings: 'Dismiss import warnings',
    dismissNotice: 'Dismiss import notice',
  },
}

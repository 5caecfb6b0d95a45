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
  /** The Saved panel (LibraryPanel.vue). Accessible names ("Search saved", "Preset name", …) are tests' handles too. */
  panel: {
    title: 'Saved',
    search: 'Search saved',
    searchPlaceholder: 'Search saved items',
    reading: 'Reading saved items…',
    /** `{shown}` and `{total}` come formatted for the locale. */
    countFiltered: '{shown} of {total}',
    countAll: '{total} saved',
    presets: 'Connection presets',
    presetName: 'Preset name',
    savePreset: 'Save preset',
    presetList: 'Saved connections',
    /** The preset name when the URL has no host to name it after. */
    defaultPresetName: 'connection',
    loadPreset: 'Load {url} into this session',
    openPreset: 'Open {name} in a new session',
    openPresetTitle: 'New session',
    delete: 'Delete {name}',
    snippets: 'Message snippets',
    snippetName: 'Snippet name',
    snippetNamePlaceholder: 'name',
    saveSnippet: 'Save snippet',
    snippetList: 'Saved snippets',
    /** The snippet name when the composer holds nothing to name it after. */
    defaultSnippetName: 'message',
    applySnippet: 'Put {name} in the composer',
  },
  /** Export and import of the library file (LibraryTransfer.vue). */
  transfer: {
    export: 'Export library',
    import: 'Import library',
    fileLabel: 'Library file',
    progressLabel: 'Library import progress',
    cancel: 'Cancel library import',
    /** `{presets}` and `{snippets}` come formatted; the English words are what the benches wait for. */
    imported: 'Imported {presets} connections and {snippets} messages.',
    failed: '{file}: {error}',
    unreadable: '{file}: could not be read ({reason}). Nothing was imported.',
  },
  /** Failed writes, whichever panel is open (StorageNotice.vue). */
  notice: {
    dismissLibrary: 'Dismiss saved items notice',
    dismissTabs: 'Dismiss saved tabs notice',
  },
  /** What the library store says when storage fails; `{reason}` is the browser's words or `quota`. */
  storage: {
    quota: 'the browser refused to store more: its storage is full, or this is a private window',
    unavailable: 'Saved items cannot be stored in this browser ({reason}); they last until the page closes.',
    unreadable: 'Saved items could not be read ({reason}).',
    presetNotSaved: 'Preset "{name}" could not be saved ({reason}). The saved items are as they were.',
    snippetNotSaved: 'Snippet "{name}" could not be saved ({reason}). The saved items are as they were.',
    notDeleted: '"{name}" could not be deleted ({reason}); it is still saved.',
    historyNotSaved: 'The endpoint history could not be saved ({reason}).',
    historyNotCleared: 'The endpoint history could not be cleared ({reason}); it is still saved.',
    /** A saved item read when it is used (its settings are not kept on the page). */
    gone: '"{name}" is no longer saved (another window deleted it).',
    notRead: '"{name}" could not be read ({reason}).',
  },
  /** A library file that cannot be imported (libraryFile.ts, library.ts): the problem, then "Nothing was imported." */
  file: {
    notImported: '{problem} Nothing was imported.',
    notJson: 'This is not a SocketLens library file: it is not valid JSON ({reason}).',
    noFormat: 'This is not a SocketLens library file: it has no "format": "socketlens-library".',
    version: 'This library file is version {version}; this SocketLens reads version 1. Update SocketLens to import it.',
    preset: 'Preset {n}',
    snippet: 'Saved message {n}',
    notObject: '{where} is not an object.',
    notText: '{where}: "{field}" must be text.',
    badType: '{where}: "type" must be "ws" or "socketio".',
    notSaved: 'The items could not be saved ({reason}). Nothing was imported.',
    cancelled: 'Import cancelled; nothing was imported.',
    failed: 'The file could not be imported ({reason}). Nothing was imported.',
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

/**
 * English: session. The shape every other language must match (see ../ko/session.ts). Plain strings, not `as const`:
 * `MessageSchema` (../../index.ts) is this type, and Korean's strings must be assignable to it.
 */
export default {
  app: {
    empty: 'No session open. Press “New session”.',
  },
  tabs: {
    label: 'Sessions',
    imported: '{name} (imported)',
    close: 'Close {name}',
    new: 'New session',
    /** A new tab's name until it connects somewhere (stores/session.ts createSession). */
    defaultName: 'Session {n}',
    /** A second tab on the same endpoint: "localhost:3000 #2". */
    numbered: '{label} #{n}',
    rename: 'Rename',
    /** The tab name's textbox while renaming. */
    nameLabel: 'Tab name',
    renameHint: '{url} — double-click or F2 to rename',
    menu: 'Tab actions for {name}',
    closeTab: 'Close tab',
  },
  /**
   * A session's connection state. `connecting`, `open`, `reconnecting` and `closed` are part of the status region's
   * contract in English (ARCHITECTURE.md): keep them word for word.
   */
  /** The open tabs could not be kept in localStorage (stores/sessionPersistence.ts). */
  storage: {
    notSaved: 'Your open tabs could not be saved ({why}). They stay open in this window, but a reload would not bring back the latest changes.',
  },
  state: {
    idle: 'idle',
    connecting: 'connecting',
    open: 'open',
    reconnecting: 'reconnecting',
    closed: 'closed',
    imported: 'imported (read-only)',
  },
  status: {
    /** Contract: `<N> frames`, "1 frame" for one; `{n}` is the count already formatted for the locale. */
    frames: '{n} frame | {n} frames',
    framesTitle: 'Frames received on the wire',
    events: '{n} event | {n} events',
    eventsTitle: 'Socket.IO application events received (acknowledgements not counted)',
    dropped: '{n} dropped by the buffer cap',
    droppedTitle: 'Oldest events dropped by the buffer cap (Settings)',
  },
  view: {
    imported: 'Imported — recorded, not live',
    importedFrom: 'Imported from {file} — recorded, not live',
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    languageFailed: 'The {language} words could not be loaded ({error}). The language stays as it was; try again when the app can reach its server.',
    theme: 'Theme',
    themeSystem: 'Follow the system',
    themeDark: 'Dark',
    themeLight: 'Light',
    maxEvents: 'Keep at most (events)',
    maxMegabytes: 'Keep at most (MiB of payload)',
    capsNote: 'Past either cap the oldest events are dropped, and the timeline counts them.',
    driversInWorker: 'Receive in a background thread',
    driversInWorkerNote: 'Connections run in a Worker, so a flood never waits for the screen and a click never waits for a flood. Off, they run on the page, which may receive a few per cent faster on two processor cores but answers clicks later during a flood. Applies to the next Connect.',
  },
  update: {
    label: 'App update',
    available: 'A new version is available.',
    reload: 'Reload',
    reloadAnyway: 'Reload anyway',
  },
  /** What a reload would lose, asked before the update prompt's Reload (reloadLoss.ts). */
  reloadLoss: {
    connections: '{n} connection | {n} connections',
    events: '{n} recorded event | {n} recorded events',
    both: 'Reloading closes {connections} and discards {events}. Export a timeline first to keep it.',
    connectionsOnly: 'Reloading closes {connections}.',
    eventsOnly: 'Reloading discards {events}. Export a timeline first to keep it.',
  },
}

/**
 * English: saved. The shape every other language must match (see ../ko/saved.ts).
 *
 * Saved timelines and Replay (src/components/saved/, src/stores/savedTimelines.ts, src/stores/replay.ts).
 * Accessible names ("Save timeline", "Replay", "Stop replay", "Saved timelines", "Max gap (ms)", …) stay word for
 * word: the contract (ARCHITECTURE.md) and the end-to-end tests name them. None may contain another contract name
 * ("Send", "Connect", "Message", "Room", "Export timeline"), as role queries match by substring.
 */
export default {
  /** Words the store writes as data. */
  store: {
    /** A saved timeline's name unless the person gives one: the session's name and when it was saved. */
    defaultName: '{name} ({date})',
  },
  /** What went wrong, as the list or the toolbar says it. */
  errors: {
    quota: 'the browser refused to store more: storage here is full or limited. Delete saved timelines you no longer need, or use Export timeline to keep it as a file',
    notSaved: '"{name}" could not be saved: {reason}. Nothing was saved; the timeline is still open as it was.',
    unavailable: 'Saved timelines are not available in this browser ({reason}).',
    unreadable: 'The saved timelines could not be read ({reason}).',
    cancelled: 'Cancelled; nothing was changed.',
    missingChunk: '"{name}" is incomplete: part {index} of {of} is missing. Nothing was opened; the saved timeline is kept as it is.',
    corrupt: '"{name}" could not be read: part {index} of {of} is damaged ({error}). Nothing was opened; the saved timeline is kept as it is.',
    shortChunk: '"{name}" could not be read: part {index} of {of} holds {held} of its {count} events. Nothing was opened; the saved timeline is kept as it is.',
    gone: 'This saved timeline no longer exists (deleted in another window?).',
    notOpened: 'The saved timeline could not be opened ({reason}).',
    notRenamed: 'The saved timeline could not be renamed ({reason}).',
    notDeleted: 'The saved timeline could not be deleted ({reason}).',
  },
  /** The replay store's words (stores/replay.ts). */
  replay: {
    /** The new session a replay sends from. */
    sessionName: 'Replay of {name}',
    nothing: 'Nothing to replay: this recording sent nothing (raw WebSocket: frames sent; Socket.IO: events emitted).',
    noUrl: 'Enter the endpoint to replay to.',
    noConnect: 'Replay stopped: {url} did not open within {seconds} s, so nothing was sent. The new session\'s timeline shows what happened.',
    lost: 'Replay stopped: the connection closed after {sent} of {total} were sent.',
  },
  /** The timeline toolbar's buttons and what they say (SavedTimelineActions.vue). */
  actions: {
    save: 'Save timeline',
    saveTitle: 'Keep this timeline in this browser, with its connection settings, to reopen or replay later',
    saving: 'Saving {done} of {total} events…',
    saved: 'Saved "{name}": {n} event, {size}. | Saved "{name}": {n} events, {size}.',
    dismiss: 'Dismiss save notice',
    replay: 'Replay',
    replayTitle: 'Open a new session and send this recording\'s outgoing messages again',
  },
  /** A replay's progress, in the session it sends from (ReplayProgress.vue). */
  run: {
    label: 'Replay progress',
    connecting: 'Replay of {name}: connecting to {url}…',
    sending: 'Replay of {name}: {sent} of {total} sent',
    done: 'Replay of {name} finished: {sent} of {total} sent',
    stopped: 'Replay of {name} stopped: {sent} of {total} sent',
    acks: '{acked} of {acks} acknowledged',
    ackFailed: '{n} without an ack',
    refused: '{n} refused',
    capped: '{n} long pause shortened | {n} long pauses shortened',
    stop: 'Stop replay',
    compare: 'Compare side by side',
    compareTitle: 'Show this replay and its recording on one time axis',
  },
  /** The Replay dialog (ReplayDialog.vue). */
  dialog: {
    title: 'Replay a recording',
    close: 'Close',
    url: 'Target endpoint',
    urlHint: 'Where the recording was made; change it to replay against another server.',
    speed: 'Speed',
    speeds: {
      half: '0.5× (half speed)',
      normal: '1× (original spacing)',
      double: '2×',
      ten: '10×',
      max: 'As fast as possible',
    },
    maxGap: 'Max gap (ms)',
    maxGapHint: 'A longer pause in the recording is shortened to this. Empty: every pause is kept.',
    connectWait: 'Wait for the connection (s)',
    whatWs: 'Sends every frame the recording sent (text and binary, byte for byte), once the connection is open.',
    whatSocketio: 'Emits every event the recording emitted, with its arguments, namespace and acknowledgement request, once the connection is open.',
    sensitive: 'The recording\'s auth, headers and query (credentials) go to this endpoint too.',
    start: 'Start',
    cancel: 'Cancel',
  },
  /** The list of saved timelines (SavedTimelinesList.vue), in the Saved panel and behind the header's button. */
  list: {
    button: 'Saved timelines',
    buttonTitle: 'Timelines kept in this browser: reopen, rename, delete',
    title: 'Saved timelines',
    empty: 'No saved timelines yet. "Save timeline" in a timeline\'s toolbar keeps one here.',
    reading: 'Reading saved timelines…',
    open: 'Open saved {name}',
    details: '{date} · {n} event · {size} | {date} · {n} events · {size}',
    sensitive: 'holds credentials',
    sensitiveTitle: 'Its settings hold auth, headers or query: they are stored in this browser and Replay sends them again.',
    rename: 'Rename {name}',
    renameField: 'New name for {name}',
    renameOk: 'OK',
    renameCancel: 'Cancel',
    delete: 'Delete saved {name}',
    opening: 'Opening "{name}": {done} of {total} events…',
    dismiss: 'Dismiss saved timelines notice',
  },
}

/**
 * English: compare. The shape every other language must match (see ../ko/compare.ts).
 *
 * Side by side: several sessions on one time axis (src/components/compare/).
 */
export default {
  picker: {
    open: 'Side by side',
    title: 'Read two or more sessions on one time axis',
    label: 'Sessions to show side by side',
    hint: 'Tick at least two.',
    tooFew: 'Open at least two sessions (tabs) to show them side by side.',
    show: 'Compare',
  },
  view: {
    alignStarts: 'Align starts',
    alignStartsTitle: 'Place each session by the time since its first event, not by the clock: a recording and its replay line up',
    writeAs: 'Write as',
    label: 'Side by side',
    sessions: 'Sessions shown',
    back: 'Back to one session',
    backTitle: 'Leave side by side and show the active session',
    remove: 'Take {name} out of side by side',
  },
  list: {
    label: 'Side by side timeline',
    empty: 'No events yet in these sessions.',
    emptyFiltered: 'No event of these sessions matches the filter.',
    session: 'From {name}',
  },
  detail: {
    from: 'From {name}',
  },
}

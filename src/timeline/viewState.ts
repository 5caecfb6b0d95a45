import type { Direction, Layer } from '../protocol/types'

/** What the filter bar holds. Empty lists and empty strings mean "no restriction". */
export interface TimelineFilterSpec {
  /** Directions to show; empty = all. */
  directions: Direction[]
  /** Layers to show; empty = all. */
  layers: Layer[]
  /** Matches the event kind or the Socket.IO event name (case-insensitive substring). */
  name: string
  /** Socket.IO namespace, exactly (`/admin`); empty = all. */
  namespace: string
  /** Searched in payloads, names, reasons and Socket.IO arguments. */
  text: string
  /** Treat `text` as a regular expression. */
  regex: boolean
  caseSensitive: boolean
}

export type TimelineChart = 'none' | 'throughput' | 'latency'
export type DetailTab = 'tree' | 'text' | 'hex' | 'base64' | 'raw'

/**
 * Per-session view state of a timeline panel. The sessions store keeps it (reactive) beside the session's
 * Timeline, so filters, selection, pause and the open chart survive the panel being unmounted on a tab switch.
 * It is a plain object here: src/timeline imports no Vue.
 */
export interface TimelineViewState {
  filter: TimelineFilterSpec
  /** Pause: keep receiving and counting, but stop following the tail and freeze the rows on screen. */
  paused: boolean
  /** Follow the tail; turned off when the person scrolls up, back on when they scroll to the bottom. */
  following: boolean
  /** Seq of the selected event (shown in the detail pane), or null. */
  selectedSeq: number | null
  chart: TimelineChart
  detailTab: DetailTab
  /** Where the list was scrolled when the panel was last unmounted (restored on mount when not following). */
  scrollTop: number
}

export function createFilterSpec(overrides: Partial<TimelineFilterSpec> = {}): TimelineFilterSpec {
  return { directions: [], layers: [], name: '', namespace: '', text: '', regex: false, caseSensitive: false, ...overrides }
}

export function createViewState(overrides: Partial<Omit<TimelineViewState, 'filter'>> = {}): TimelineViewState {
  return {
    filter: createFilterSpec(),
    paused: false,
    following: true,
    selectedSeq: null,
    chart: 'none',
    detailTab: 'tree',
    scrollTop: 0,
    ...overrides,
  }
}

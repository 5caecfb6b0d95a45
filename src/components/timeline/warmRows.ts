import { busyWithin } from '@/composables/useTimelineTick'
import { utf8Length } from '@/protocol/types'
import { FilteredView } from '@/timeline/filter'
import { Timeline } from '@/timeline/timeline'
import { DIRECTION_ARROW, formatClock } from './format'
import { RowPool } from './rowPool'
import { rowBytes, rowDelta, rowWords } from './rowWords'

/** Text a row may show, for the warm-up: digits, Latin letters, JSON punctuation. */
const SAMPLE_TEXT = '0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ {"id":[1,2.5,true,null]} <>=+-_/\\'

/**
 * The faces of the rows' cells (styles.css `.timeline-row`), before the font family: its text, its kind (600), its
 * arrow (700), its layer (11 px).
 */
const ROW_FACES = ['12px', '600 12px', '700 12px', '11px'] as const
/** Rows the warm-up renders at once: about a screenful, as a connection's first update writes. */
const WARM_ROWS = 40

let warmed = false

/**
 * Runs `step` when the page is idle (within 2 s), unless a burst of events has reached a timeline by then (a tick
 * found one: `busyWithin`), which ends the warm-up. The burst's own rows have then paid for what is left of it, and
 * each step left would be one more task on a main thread the flood already shares: with a deep link that connects at
 * once, the last face steps came after the flood's first rows in 5 of 6 pages, up to 24 ms each (a throwaway
 * Playwright script; docs/performance.md).
 */
function idle(step: () => void): void {
  const unlessStreaming = () => {
    if (!busyWithin(Number.POSITIVE_INFINITY)) step()
  }
  if (typeof requestIdleCallback === 'function') requestIdleCallback(unlessStreaming, { timeout: 2000 })
  else setTimeout(unlessStreaming, 0)
}

/**
 * What the first rows a page shows pay for, done while the page is idle instead, once per page. A connection's
 * first rows come as a flood starts, on a main thread the flood already shares, and that update was the flood's
 * longest task (docs/performance.md: 13 ms of CPU traced, against 6–9 ms for later updates of as many rows). Three
 * idle steps, none of them a long task:
 *
 * 1. The locale's clock and number formats (ICU) and the row words.
 * 2. The code that writes rows, run once over events of the kinds a flood brings (`warmRowPath`): until it has
 *    run, V8 interprets it, several times slower than once it has.
 * 3. The font faces the rows use, one per step: the first text in a new face (the mono font at the rows' sizes and
 *    weights, the fallback for the arrows, a CJK one for Korean words) looks the face up, 2–12 ms each here and up
 *    to 34 ms for the CJK fallback. An OffscreenCanvas measures and draws the rows' words in each face, which looks
 *    the faces and their glyphs up in the caches the page's layout and paint use; nothing enters the page.
 */
export function warmRows(): void {
  if (warmed) return
  warmed = true
  idle(() => {
    formatClock(0)
    const words = rowWords()
    for (const ms of [0.5, 50, 500, 5000, 500_000]) rowDelta(words, ms)
    for (const bytes of [1, 5000, 5e6]) rowBytes(words, bytes)
    idle(() => {
      warmRowPath(document)
      idle(warmFaces)
    })
  })
}

/**
 * Writes a screenful of rows, as the list does (`RowPool` over a `FilteredView`), into an element that never enters
 * the page. The events are of the kinds a flood brings, kept as the timeline keeps them: text frames (compact, ASCII
 * ones read back in runs, and not), a binary frame, Socket.IO packets and application events. The window then moves
 * by a few rows and jumps, as a following list and a scroll do. Everything it makes is garbage afterwards. Returns
 * the rows' container, for the test.
 */
export function warmRowPath(doc: Document): HTMLElement {
  const timeline = new Timeline({ maxEvents: 4 * WARM_ROWS })
  const start = Date.now()
  let n = 0
  const frame = (data: string | ArrayBuffer) => {
    const size = typeof data === 'string' ? utf8Length(data) : data.byteLength
    timeline.append({ seq: 0, time: start + n++, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size, data })
  }
  for (let i = 0; i < WARM_ROWS; i++) frame(`{"seq":${i},"text":"${SAMPLE_TEXT.slice(0, 40)}"}`)
  frame('données ✓ 데이터')
  frame(new Uint8Array([0, 1, 2, 0xfe, 0xff]).buffer)
  for (let i = 0; i < WARM_ROWS; i++) {
    const time = start + n++
    if (i % 2) timeline.append({ seq: 0, time, layer: 'socketio', kind: 'packet', dir: 'in', name: 'EVENT', namespace: '/' })
    else timeline.append({ seq: 0, time, layer: 'app', kind: 'event', dir: 'in', name: 'tick', namespace: '/', detail: { args: [{ i }] } })
  }
  const view = new FilteredView(timeline)
  const container = doc.createElement('div')
  const pool = new RowPool(container)
  const words = rowWords()
  pool.render(view, 0, WARM_ROWS, null, words)
  pool.render(view, 3, WARM_ROWS + 3, 5, words)
  pool.render(view, n - WARM_ROWS, n, null, words)
  return container
}

function warmFaces(): void {
  if (typeof OffscreenCanvas !== 'function') return
  const context = new OffscreenCanvas(1024, 16).getContext('2d')
  if (!context) return
  const family = getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace'
  const words = rowWords()
  const text = [
    formatClock(Date.now()), rowDelta(words, 0.1), rowBytes(words, 100), ...Object.values(words.layer),
    ...Object.values(words.direction), ...Object.values(DIRECTION_ARROW), SAMPLE_TEXT,
  ].join(' ')
  const faces: string[] = [...ROW_FACES]
  const next = () => {
    const face = faces.shift()
    if (face === undefined) return
    context.font = `${face} ${family}`
    context.measureText(text)
    context.fillText(text, 0, 12)
    idle(next)
  }
  next()
}

import { FilteredView } from '@/timeline/filter'
import { Timeline } from '@/timeline/timeline'
import { RowPool } from './rowPool'
import { rowWords } from './rowWords'
import { SAMPLE_TEXT } from './warmText'

/** Rows the warm-up renders at once: about a screenful, as a connection's first update writes. */
const WARM_ROWS = 40

/**
 * Writes a screenful of rows, as the list does (`RowPool` over a `FilteredView`), into an element that never enters
 * the page. The events are of the kinds a flood brings, kept as the timeline keeps them: text frames (compact, ASCII
 * ones read back in runs, and not), a binary frame, Socket.IO packets and application events. The
 * window then moves by a few rows and jumps, as a following list and a scroll do. Everything it makes is garbage
 * afterwards. Returns the rows' container, for the test.
 */
export function warmRowPath(doc: Document): HTMLElement {
  const timeline = new Timeline({ maxEvents: 4 * WARM_ROWS })
  const start = Date.now()
  let n = 0
  const frame = (data: string | ArrayBuffer) => {
    const size = typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength
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

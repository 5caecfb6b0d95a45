import { DIRECTION_ARROW, formatClock } from './format'
import { rowBytes, rowDelta, rowWords } from './rowWords'
import { warmRowPath } from './warmRowPath'
import { SAMPLE_TEXT } from './warmText'

/**
 * The faces of the rows' cells (styles.css `.timeline-row`), before the font family: its text, its kind (600), its
 * arrow (700), its layer (11 px).
 */
const ROW_FACES = ['12px', '600 12px', '700 12px', '11px'] as const

let warmed = false

/** Runs `step` when the page is idle (within 2 s). */
function idle(step: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(step, { timeout: 2000 })
  else setTimeout(step, 0)
}

/**
 * What the first rows a page shows pay for, done while the page is idle instead, once per page. A connection's
 * first rows come as a flood starts, on a main thread the flood already shares, and that update was the flood's
 * longest task (docs/performance.md: 13 ms of CPU traced, against 6–9 ms for later updates of as many rows). Three
 * idle steps, none of them a long task:
 *
 * 1. The locale's clock and number formats (ICU) and the row words.
 * 2. The code that writes rows, run once over events of the kinds a flood brings (`warmRowPath.ts`): until it has
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

import type { TimelineEvent } from '@/protocol/types'
import { rowCells } from './rowCells'
import type { RowWords } from './rowWords'
import { writeServerText, writeText } from './serverText'

/** What the pool reads rows from: the list's filtered view. */
export interface RowSource {
  get: (index: number) => TimelineEvent | undefined
}

/** One row element and what it shows now, so a render writes only what changed. */
interface Slot {
  el: HTMLDivElement
  time: HTMLSpanElement
  delta: HTMLSpanElement
  layer: HTMLSpanElement
  dir: HTMLSpanElement
  kind: HTMLSpanElement
  size: HTMLSpanElement
  preview: HTMLSpanElement
  event?: TimelineEvent
  previousTime?: number
  words?: RowWords
  selected: boolean
  /** Cell texts last written. */
  text: CellTexts
}

interface CellTexts { seq: number, time: string, delta: string, layer: string, direction: string, arrow: string, kind: string, size: string, preview: string, className: string }
const emptyText = (): CellTexts => ({ seq: -1, time: '', delta: '', layer: '', direction: '', arrow: '', kind: '', size: '', preview: '', className: '' })

const CELLS = ['time', 'delta', 'layer', 'dir', 'kind', 'size', 'preview'] as const

/**
 * The timeline list's rows, written by hand into a fixed set of recycled elements (issue 12: a scroll step over a
 * million events in one frame). Vue rendered each row as three components (the row and two ServerTexts) with their
 * computeds and vnodes: 100 component updates a step. Here a step is, per row on screen, the cells' strings and the
 * DOM writes of the cells that changed; nothing reactive per row, no closures per row (the list listens once, on the
 * container).
 *
 * Row slot `i` shows row `first + i`; a slot keeps its element (and its place in the DOM) while the window moves, and
 * keeps what it shows until handed another event, so a render after a tick that changed nothing writes nothing.
 * The element of a row: `div.row.<layer>.<dir>[.selected][data-seq][aria-current]` holding the cells
 * `span.time .delta .layer .dir .kind .size .preview` (the side by side list's `TimelineRow` renders the same).
 */
export class RowPool {
  private readonly slots: Slot[] = []

  constructor(private readonly container: HTMLElement) {}

  /** Shows rows [first, last) of `source`; `selectedSeq` is marked; `words` are the locale's row words. */
  render(source: RowSource, first: number, last: number, selectedSeq: number | null, words: RowWords): void {
    let n = 0
    for (let i = first; i < last; i++) {
      const event = source.get(i)
      if (!event) break
      const slot = this.slots[n] ?? this.add()
      const previousTime = i > 0 ? source.get(i - 1)?.time : undefined
      if (slot.event !== event || slot.previousTime !== previousTime || slot.words !== words) this.write(slot, event, previousTime, words)
      const selected = event.seq === selectedSeq
      if (selected !== slot.selected) {
        slot.selected = selected
        slot.el.classList.toggle('selected', selected)
        if (selected) slot.el.setAttribute('aria-current', 'true')
        else slot.el.removeAttribute('aria-current')
      }
      n++
    }
    while (this.slots.length > n) this.slots.pop()!.el.remove()
  }

  /** Forget what the slots show (their elements stay): the next render writes every cell again. */
  invalidate(): void {
    for (const slot of this.slots) slot.words = undefined
  }

  private add(): Slot {
    const doc = this.container.ownerDocument
    const el = doc.createElement('div')
    const cells = {} as Record<(typeof CELLS)[number], HTMLSpanElement>
    for (const name of CELLS) {
      const cell = doc.createElement('span')
      cell.className = name
      el.append(cell)
      cells[name] = cell
    }
    this.container.append(el)
    const slot: Slot = { el, ...cells, selected: false, text: emptyText() }
    this.slots.push(slot)
    return slot
  }

  private write(slot: Slot, event: TimelineEvent, previousTime: number | undefined, words: RowWords): void {
    // Another locale: every cell again (the same kind text has other marker titles).
    if (slot.words !== words) slot.text = emptyText()
    slot.event = event
    slot.previousTime = previousTime
    slot.words = words
    const cells = rowCells(words, event, previousTime)
    const text = slot.text
    const className = `row ${event.layer} ${event.dir}`
    if (text.className !== className) {
      text.className = className
      slot.el.className = slot.selected ? `${className} selected` : className
    }
    if (text.seq !== event.seq) slot.el.dataset.seq = String(text.seq = event.seq)
    if (text.time !== cells.time) writeText(slot.time, text.time = cells.time)
    if (text.delta !== cells.delta) writeText(slot.delta, text.delta = cells.delta)
    if (text.layer !== cells.layer) writeText(slot.layer, text.layer = cells.layer)
    if (text.direction !== cells.direction) {
      text.direction = cells.direction
      slot.dir.title = cells.direction
      slot.dir.setAttribute('aria-label', cells.direction)
    }
    if (text.arrow !== cells.arrow) writeText(slot.dir, text.arrow = cells.arrow)
    if (text.kind !== cells.kind) writeServerText(slot.kind, text.kind = cells.kind)
    if (text.size !== cells.size) writeText(slot.size, text.size = cells.size)
    if (text.preview !== cells.preview) writeServerText(slot.preview, text.preview = cells.preview)
  }
}

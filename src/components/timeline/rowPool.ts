import type { TimelineEvent } from '@/protocol/types'
import { rowCells } from './rowCells'
import type { RowWords } from './rowWords'
import { visibleSegments } from '@/timeline/payload'
import { writeServerText } from './serverText'

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
 * Sets a cell's text, without reading it first: the pool writes only the texts that changed (it keeps what it last
 * wrote). A read of `Text.data` hands JavaScript a new external string held by a weak handle (Blink's string cache):
 * ~150 a scroll step, each one more for the garbage collector to process (`writeText` compares by reading).
 */
function setText(el: HTMLElement, text: string): void {
  const only = el.firstChild
  if (only && only === el.lastChild && only.nodeType === 3) (only as Text).data = text
  else el.textContent = text
}

/** `writeServerText` (markers for invisible characters), through `setText` when there is none. */
function setServerText(el: HTMLElement, text: string): void {
  const segments = visibleSegments(text)
  if (segments.length === 1 && !segments[0]!.mark) setText(el, text)
  else writeServerText(el, text)
}

/**
 * The timeline list's rows, written by hand into a fixed set of recycled elements (issue 12: a scroll step over a
 * million events in one frame). Vue rendered each row as three components (the row and two ServerTexts) with their
 * computeds and vnodes: 100 component updates a step. Here a step is, per row on screen, the cells' strings and the
 * DOM writes of the cells that changed; nothing reactive per row, no closures per row (the list listens once, on the
 * container).
 *
 * A row that stays in the window keeps its element: a step that moves the window by a few rows (a wheel, an arrow
 * key, a tick of a slow stream) writes only the rows that came in, moving the elements of the rows that left to the
 * other end (DOM order stays the rows' order, which is what a screen reader reads). When no row stays (a scrollbar
 * dragged, a jump), each element is written in place instead, in the same order. A row's cells are written only when
 * what they show changed (its event, the time of the row above for the delta, the locale).
 * The element of a row: `div.row.<layer>.<dir>[.selected][data-seq][aria-current]` holding the cells
 * `span.time .delta .layer .dir .kind .size .preview` (the side by side list's `TimelineRow` renders the same).
 */
export class RowPool {
  private slots: Slot[] = []
  /** The window's events during a render (kept to allocate nothing per step). */
  private readonly events: TimelineEvent[] = []

  constructor(private readonly container: HTMLElement) {}

  /** Shows rows [first, last) of `source`; `selectedSeq` is marked; `words` are the locale's row words. */
  render(source: RowSource, first: number, last: number, selectedSeq: number | null, words: RowWords): void {
    const events = this.events
    events.length = 0
    for (let i = first; i < last; i++) {
      const event = source.get(i)
      if (!event) break
      events.push(event)
    }
    // Which elements show an event still in the window: both lists are in the view's order (by seq).
    const slots = this.slots
    let kept = 0
    for (let i = 0, j = 0; i < slots.length && j < events.length;) {
      const a = slots[i]!.event!.seq
      const b = events[j]!.seq
      if (a < b) i++
      else if (a > b) j++
      else {
        if (slots[i]!.event === events[j]) kept++
        i++
        j++
      }
    }
    if (kept > 0) this.shift(events)
    else {
      while (slots.length < events.length) this.add()
      while (slots.length > events.length) slots.pop()!.el.remove()
    }
    const before = first > 0 ? source.get(first - 1)?.time : undefined
    for (let n = 0; n < events.length; n++) {
      const slot = this.slots[n]!
      const event = events[n]!
      const previousTime = n > 0 ? events[n - 1]!.time : before
      if (slot.event !== event || slot.previousTime !== previousTime || slot.words !== words) this.write(slot, event, previousTime, words)
      const selected = event.seq === selectedSeq
      if (selected !== slot.selected) {
        slot.selected = selected
        slot.el.classList.toggle('selected', selected)
        if (selected) slot.el.setAttribute('aria-current', 'true')
        else slot.el.removeAttribute('aria-current')
      }
    }
    events.length = 0
  }

  /**
   * Puts the slots in the window's order when some rows stay: the rows that stay keep their elements where they are;
   * each row that came in takes the element of a row that left (or a new one), moved to its place. Its cells are
   * written by `render` (its event differs).
   */
  private shift(events: TimelineEvent[]): void {
    const stay = new Set<TimelineEvent>(events)
    const staying: Slot[] = []
    const spare: Slot[] = []
    for (const slot of this.slots) (stay.has(slot.event!) ? staying : spare).push(slot)
    const order: Slot[] = []
    let k = 0
    for (const event of events) {
      const next = staying[k]
      if (next && next.event === event) {
        order.push(next)
        k++
        continue
      }
      const slot = spare.pop() ?? this.create()
      slot.event = undefined
      this.container.insertBefore(slot.el, next?.el ?? null)
      order.push(slot)
    }
    for (const slot of spare) slot.el.remove()
    this.slots = order
  }

  private add(): Slot {
    const slot = this.create()
    this.container.append(slot.el)
    this.slots.push(slot)
    return slot
  }

  /** A row element with its empty cells, not yet in the DOM. */
  private create(): Slot {
    const doc = this.container.ownerDocument
    const el = doc.createElement('div')
    const cells = {} as Record<(typeof CELLS)[number], HTMLSpanElement>
    for (const name of CELLS) {
      const cell = doc.createElement('span')
      cell.className = name
      el.append(cell)
      cells[name] = cell
    }
    return { el, ...cells, selected: false, text: emptyText() }
  }

  private write(slot: Slot, event: TimelineEvent, previousTime: number | undefined, words: RowWords): void {
    // Another locale: every cell again (the same kind text has other marker titles).
    if (slot.words !== words) slot.text = emptyText()
    slot.event = event
    slot.previousTime = previousTime
    slot.words = words
    const cells = rowCells(words, event, previousTime)
    const text = slot.text
    const className = `row timeline-row ${event.layer} ${event.dir}`
    if (text.className !== className) {
      text.className = className
      slot.el.className = slot.selected ? `${className} selected` : className
    }
    if (text.seq !== event.seq) slot.el.dataset.seq = String(text.seq = event.seq)
    if (text.time !== cells.time) setText(slot.time, text.time = cells.time)
    if (text.delta !== cells.delta) setText(slot.delta, text.delta = cells.delta)
    if (text.layer !== cells.layer) setText(slot.layer, text.layer = cells.layer)
    if (text.direction !== cells.direction) {
      text.direction = cells.direction
      slot.dir.title = cells.direction
      slot.dir.setAttribute('aria-label', cells.direction)
    }
    if (text.arrow !== cells.arrow) setText(slot.dir, text.arrow = cells.arrow)
    if (text.kind !== cells.kind) setServerText(slot.kind, text.kind = cells.kind)
    if (text.size !== cells.size) setText(slot.size, text.size = cells.size)
    if (text.preview !== cells.preview) setServerText(slot.preview, text.preview = cells.preview)
  }
}

import { describe, expect, it } from 'vitest'
import { RowPool } from '../../src/components/timeline/rowPool'
import { rowWords } from '../../src/components/timeline/rowWords'
import { warmRowPath } from '../../src/components/timeline/warmRows'
import type { TimelineEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0)

/** A timeline of `n` text frames, `message <i>` at T0 + i ms (seq i + 1). */
function timelineOf(n: number): Timeline {
  const timeline = new Timeline()
  for (let i = 0; i < n; i++) {
    const data = `message ${i}`
    timeline.append({ time: T0 + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'out' : 'in', transport: 'websocket', data, size: data.length })
  }
  return timeline
}

/** The view the pool reads: index → event. */
function sourceOf(events: readonly TimelineEvent[]) {
  return { get: (index: number) => events[index] }
}

const seqs = (container: HTMLElement) => [...container.children].map(el => Number((el as HTMLElement).dataset.seq))
const previews = (container: HTMLElement) => [...container.querySelectorAll('.preview')].map(el => el.textContent)

describe('RowPool (the timeline list\'s rows)', () => {
  const timeline = timelineOf(200)
  const events = Array.from({ length: 200 }, (_, i) => timeline.get(i)!)

  it('keeps the elements of rows that stay when the window moves a few rows, in the rows\' order', () => {
    const container = document.createElement('div')
    const pool = new RowPool(container)
    pool.render(sourceOf(events), 0, 10, null, rowWords())
    expect(seqs(container)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const row5 = container.querySelector('[data-seq="5"]')
    // Three rows down (a wheel): rows 4–10 keep their elements, three come in at the bottom.
    pool.render(sourceOf(events), 3, 13, null, rowWords())
    expect(seqs(container)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(container.querySelector('[data-seq="5"]')).toBe(row5)
    expect(previews(container)).toEqual(events.slice(3, 13).map(e => e.data))
    // Two rows up: the rows come in at the top.
    pool.render(sourceOf(events), 1, 11, null, rowWords())
    expect(seqs(container)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(container.querySelector('[data-seq="5"]')).toBe(row5)
    expect(previews(container)).toEqual(events.slice(1, 11).map(e => e.data))
    // The first row's delta is from the row above it, even when that row is not rendered.
    expect(container.querySelector('[data-seq="2"] .delta')!.textContent).toBe('+1.0 ms')
  })

  it('writes every element in place for a jump, and follows a view whose rows are not consecutive', () => {
    const container = document.createElement('div')
    const pool = new RowPool(container)
    pool.render(sourceOf(events), 0, 8, 3, rowWords())
    const elements = [...container.children]
    expect(container.querySelector('[aria-current="true"]')!.getAttribute('data-seq')).toBe('3')
    pool.render(sourceOf(events), 150, 158, 3, rowWords())
    expect([...container.children]).toEqual(elements)
    expect(seqs(container)).toEqual([151, 152, 153, 154, 155, 156, 157, 158])
    expect(container.querySelectorAll('[aria-current]')).toHaveLength(0)
    expect(container.querySelectorAll('.selected')).toHaveLength(0)
    // A filtered view (every other event): rows that stay keep their cells, and each delta is from its new neighbour.
    const odd = events.filter(e => e.seq % 2 === 1)
    pool.render(sourceOf(odd), 75, 80, 153, rowWords())
    expect(seqs(container)).toEqual([151, 153, 155, 157, 159])
    expect(previews(container)).toEqual(['message 150', 'message 152', 'message 154', 'message 156', 'message 158'])
    expect([...container.querySelectorAll('.delta')].map(el => el.textContent)).toEqual(Array.from({ length: 5 }, () => '+2.0 ms'))
    expect(container.querySelector('[aria-current="true"]')!.getAttribute('data-seq')).toBe('153')
    expect(container.querySelectorAll('.selected')).toHaveLength(1)
    // Fewer rows (the end of the view): the extra elements go.
    pool.render(sourceOf(odd), 98, 110, null, rowWords())
    expect(seqs(container)).toEqual([197, 199])
  })

  it('writes the cells\' texts without reading them back (in Chromium each read is a new string with a weak handle for the GC)', () => {
    const container = document.createElement('div')
    const pool = new RowPool(container)
    // The prototype that defines a text node's `data` (happy-dom: Text's own, not CharacterData's).
    let owner = Object.getPrototypeOf(document.createTextNode('')) as object
    while (!Object.getOwnPropertyDescriptor(owner, 'data')) owner = Object.getPrototypeOf(owner) as object
    const descriptor = Object.getOwnPropertyDescriptor(owner, 'data')!
    let reads = 0
    Object.defineProperty(owner, 'data', { ...descriptor, get(this: Text) { reads++; return descriptor.get!.call(this) as string } })
    try {
      pool.render(sourceOf(events), 0, 10, null, rowWords())
      pool.render(sourceOf(events), 100, 110, null, rowWords()) // a jump: every cell again
      pool.render(sourceOf(events), 103, 113, null, rowWords()) // a wheel: three rows come in
    }
    finally {
      Object.defineProperty(owner, 'data', descriptor)
    }
    expect(reads).toBe(0)
    expect(previews(container)).toEqual(events.slice(103, 113).map(e => e.data))
  })

  it('shows server text with its markers and puts plain text back as one text node', () => {
    const container = document.createElement('div')
    const pool = new RowPool(container)
    const hostile = timelineOf(0)
    hostile.append({ time: T0, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: 'a\u202Eb', size: 3 })
    hostile.append({ time: T0 + 1, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', data: 'plain', size: 5 })
    const list = [hostile.get(0)!, hostile.get(1)!]
    pool.render(sourceOf(list), 0, 1, null, rowWords())
    const preview = container.querySelector('.preview')!
    expect(preview.textContent).toBe('a\\u202Eb')
    expect(preview.querySelector('.invisible-char')!.getAttribute('title')).toBe('right-to-left override (U+202E)')
    pool.render(sourceOf(list), 1, 2, null, rowWords())
    expect(container.querySelector('.preview')!.childNodes).toHaveLength(1)
    expect(container.querySelector('.preview')!.textContent).toBe('plain')
  })
})

describe('warmRowPath (the rows\' code run once at idle, before a connection\'s first rows)', () => {
  it('writes a screenful of rows of the kinds a flood brings into an element that never enters the page', () => {
    const before = document.getElementsByTagName('*').length
    const container = warmRowPath(document)
    expect(container.isConnected).toBe(false)
    expect(document.getElementsByTagName('*').length).toBe(before)
    // The last window: Socket.IO application events and packets, after the frames.
    const rows = [...container.children] as HTMLElement[]
    expect(rows).toHaveLength(40)
    expect(rows.filter(row => row.classList.contains('app')).length).toBe(20)
    expect(rows.filter(row => row.classList.contains('socketio')).length).toBe(20)
    expect(container.querySelector('.app .preview')!.textContent).toContain('"i"')
    expect(container.querySelector('.app .kind')!.textContent).toContain('tick')
  })
})

import type { TimelineEvent } from '@/protocol/types'
import { previewIsDelay, previewOf } from '@/timeline/payload'
import { i18n } from '@/i18n'
import { DIRECTION_ARROW, eventLabel, formatBytes, formatClock, formatMs } from './format'
import { rowBytes, rowDelta, rowLayer, type RowWords } from './rowWords'

/** Bytes of a binary payload the preview shows in hex. */
const HEX_BYTES = 24

/**
 * The preview column. What the server sent is shown as it is (`previewOf`); the words around it are the UI's:
 * a binary payload's size, a reconnect's delay.
 */
export function rowPreview(event: TimelineEvent): string {
  const data = event.data
  if (data !== undefined && typeof data !== 'string') {
    const head = new Uint8Array(data, 0, Math.min(data.byteLength, HEX_BYTES))
    let hex = ''
    for (const byte of head) hex += `${byte.toString(16).padStart(2, '0')} `
    const more = data.byteLength > head.length ? '…' : ''
    return i18n.global.t('timeline.row.binary', { size: formatBytes(data.byteLength), hex: `${hex}${more}`.trimEnd() })
  }
  // A reconnect attempt with nothing else to show: its delay, in the UI's words.
  if (previewIsDelay(event) && event.delayMs !== undefined)
    return i18n.global.t('timeline.row.delay', { time: formatMs(Math.round(event.delayMs), 0) })
  return previewOf(event)
}

/** What a timeline row shows, cell by cell, in the UI's words (`words`: `rowWords()` of the current locale). */
export interface RowCells {
  time: string
  /** From the row above; empty for the first row. */
  delta: string
  layer: string
  /** The direction in words (the arrow's title and accessible name) and its arrow. */
  direction: string
  arrow: string
  /** Server text: render through `visibleSegments` (ServerText, writeServerText). */
  kind: string
  size: string
  preview: string
}

export function rowCells(words: RowWords, event: TimelineEvent, previousTime: number | undefined): RowCells {
  return {
    time: formatClock(event.time),
    delta: previousTime === undefined ? '' : rowDelta(words, event.time - previousTime),
    layer: rowLayer(words, event.layer),
    direction: words.direction[event.dir],
    arrow: DIRECTION_ARROW[event.dir],
    kind: eventLabel(event),
    size: rowBytes(words, event.size),
    preview: rowPreview(event),
  }
}

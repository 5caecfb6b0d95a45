import type { MessageSchema } from '@/i18n'
import { i18n } from '@/i18n'
import { visibleSegments } from '@/timeline/payload'

type InvisibleName = Exclude<keyof MessageSchema['timeline']['invisible'], 'title'>
/** Each character the marker names, by its key in the catalogue (the same set as `timeline/payload.ts` names). */
const NAMES: Record<number, InvisibleName> = {
  0x09: 'tab',
  0x0A: 'lineFeed',
  0x0D: 'carriageReturn',
  0x1B: 'escape',
  0x00: 'nul',
  0x7F: 'del',
  0xAD: 'softHyphen',
  0x061C: 'arabicLetterMark',
  0x200B: 'zeroWidthSpace',
  0x200C: 'zeroWidthNonJoiner',
  0x200D: 'zeroWidthJoiner',
  0x200E: 'leftToRightMark',
  0x200F: 'rightToLeftMark',
  0x2028: 'lineSeparator',
  0x2029: 'paragraphSeparator',
  0x202A: 'leftToRightEmbedding',
  0x202B: 'rightToLeftEmbedding',
  0x202C: 'popDirectionalFormatting',
  0x202D: 'leftToRightOverride',
  0x202E: 'rightToLeftOverride',
  0x2060: 'wordJoiner',
  0x2066: 'leftToRightIsolate',
  0x2067: 'rightToLeftIsolate',
  0x2068: 'firstStrongIsolate',
  0x2069: 'popDirectionalIsolate',
  0xFEFF: 'byteOrderMark',
}

/** The marker's tooltip in the UI's language: `right-to-left override (U+202E)`. */
export function markTitle(code: number): string {
  const key: InvisibleName = NAMES[code] ?? (code >= 0xE0000 && code <= 0xE007F ? 'tag' : code < 0xA0 ? 'control' : 'invisible')
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return i18n.global.t('timeline.invisible.title', { name: i18n.global.t(`timeline.invisible.${key}`), code: hex })
}

/** Class of a marker (styled by whoever holds the element: ServerText.vue, the timeline list). */
export const MARK_CLASS = 'invisible-char'

/** Sets an element's text to `text` as one text node, writing only when it changed. */
export function writeText(el: Element, text: string): void {
  const only = el.firstChild
  if (only && only === el.lastChild && only.nodeType === 3) {
    if ((only as Text).data !== text) (only as Text).data = text
  }
  else {
    el.textContent = text
  }
}

/**
 * `ServerText` without a component, for the timeline list's rows (written by hand, not rendered by Vue): `text` as
 * text, every invisible or bidi control character a marker element with its name as a tooltip. The element itself
 * should isolate its text from its neighbours (a grid item is its own bidi paragraph; else `unicode-bidi: isolate`).
 */
export function writeServerText(el: Element, text: string): void {
  const segments = visibleSegments(text)
  if (segments.length === 1 && !segments[0]!.mark) {
    writeText(el, text)
    return
  }
  const doc = el.ownerDocument
  el.replaceChildren(...segments.map((segment) => {
    if (!segment.mark) return doc.createTextNode(segment.text)
    const mark = doc.createElement('span')
    mark.className = MARK_CLASS
    mark.title = markTitle(segment.mark.code)
    mark.textContent = segment.text
    return mark
  }))
}

import type { Direction, Layer, TimelineEvent } from '@/protocol/types'
import { kindLabel } from '@/protocol/events'
import { currentLocale, i18n } from '@/i18n'

/*
 * Numbers, times and units of the timeline in the UI's language. Each function reads the current locale, so a
 * template (or computed) that calls it follows a switch of language.
 */

const numberFormats = new Map<string, Intl.NumberFormat>()
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = currentLocale()
  const id = `${locale}\n${key}`
  let format = numberFormats.get(id)
  if (!format) {
    format = new Intl.NumberFormat(locale, options)
    numberFormats.set(id, format)
  }
  return format
}

/** A number with exactly `digits` fraction digits (and the locale's grouping), optionally always signed. */
export function formatDecimal(value: number, digits = 0, signed = false): string {
  return numberFormat(`${digits}${signed ? '+' : ''}`, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: signed ? 'always' : 'auto',
  }).format(value)
}

/** A whole count with the locale's grouping: `1,224`. */
export function formatCount(n: number): string {
  return numberFormat('count', { maximumFractionDigits: 0 }).format(n)
}

/** A share (0–1) as a whole percentage: `42%`. */
export function formatPercent(share: number): string {
  return numberFormat('percent', { style: 'percent', maximumFractionDigits: 0 }).format(share)
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()
/** Wall-clock time with milliseconds, local zone, 24-hour: `14:03:07.123`. */
export function formatClock(time: number): string {
  const locale = currentLocale()
  let format = clockFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23' })
    clockFormats.set(locale, format)
  }
  return format.format(time)
}

/** A duration in milliseconds with its unit: `4.3 ms`. */
export function formatMs(ms: number, digits = 1): string {
  return i18n.global.t('timeline.unit.ms', { value: formatDecimal(ms, digits) })
}

/** Delta from the previous row: `+0.123 ms`, `+12.0 ms`, `+120 ms`, `+1.5 s`, `+3 min`. */
export function formatDelta(ms: number | undefined): string {
  if (ms === undefined) return ''
  const { t } = i18n.global
  if (ms < 1) return t('timeline.unit.ms', { value: formatDecimal(ms, 3, true) })
  if (ms < 100) return t('timeline.unit.ms', { value: formatDecimal(ms, 1, true) })
  if (ms < 1000) return t('timeline.unit.ms', { value: formatDecimal(Math.round(ms), 0, true) })
  if (ms < 60_000) return t('timeline.unit.s', { value: formatDecimal(ms / 1000, 1, true) })
  return t('timeline.unit.min', { value: formatDecimal(Math.round(ms / 60_000), 0, true) })
}

/** A size: `9 B`, `1.5 KiB`, `3.0 MiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return ''
  const { t } = i18n.global
  if (bytes < 1024) return t('timeline.unit.bytes', { value: formatCount(bytes) })
  if (bytes < 1024 * 1024) return t('timeline.unit.kib', { value: formatDecimal(bytes / 1024, 1) })
  return t('timeline.unit.mib', { value: formatDecimal(bytes / 1024 / 1024, 1) })
}

export const DIRECTION_ARROW: Record<Direction, string> = { in: '↓', out: '↑', local: '•' }

/** Which way an event went, in words of the current locale (read on each access). */
export const DIRECTION_LABEL: Readonly<Record<Direction, string>> = {
  get in() { return i18n.global.t('timeline.directionLabel.in') },
  get out() { return i18n.global.t('timeline.directionLabel.out') },
  get local() { return i18n.global.t('timeline.directionLabel.local') },
}

const LAYERS: readonly string[] = ['lifecycle', 'wire', 'engine', 'socketio', 'app'] satisfies Layer[]
/** A layer's name in the current locale; one an imported file made up is shown as it is. */
export function layerLabel(layer: string): string {
  return LAYERS.includes(layer) ? i18n.global.t(`timeline.layer.${layer as Layer}`) : layer
}

/** What the row names the event by: the Socket.IO event name when there is one, else the kind. */
export function eventLabel(event: TimelineEvent): string {
  const kind = kindLabel(event)
  if (event.name && kind !== event.name) return `${kind} ${event.name}`
  return kind
}

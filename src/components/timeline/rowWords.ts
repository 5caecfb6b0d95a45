import type { Direction } from '@/protocol/types'
import type { Locale } from '@/i18n'
import { currentLocale, i18n } from '@/i18n'
import { formatCount, formatDecimal } from './format'

/*
 * The words every timeline row repeats (its layer, its direction, the unit after a size or a delta), put into words
 * once per locale instead of once per row: a vue-i18n call per cell made the first render of a big imported session
 * one long task (issue 11). Same words as `format.ts` (`layerLabel`, `DIRECTION_LABEL`, `formatBytes`,
 * `formatDelta`), which the detail pane and filters keep using.
 */

type Unit = 'ms' | 's' | 'min' | 'bytes' | 'kib' | 'mib'
const UNITS: readonly Unit[] = ['ms', 's', 'min', 'bytes', 'kib', 'mib']
const LAYERS = ['lifecycle', 'wire', 'engine', 'socketio', 'app'] as const
const DIRECTIONS: readonly Direction[] = ['in', 'out', 'local']
/** Stands for the number while a unit's message is put into words once; never in a catalogue. */
const HOLE = '\uE000'

export interface RowWords {
  readonly layer: Readonly<Record<string, string>>
  readonly direction: Readonly<Record<Direction, string>>
  /** A unit's message split around its `{value}`: [before, after]. */
  readonly unit: Readonly<Record<Unit, readonly [string, string]>>
}

const cache = new Map<Locale, RowWords>()

/**
 * The row words of the current locale. Reads the locale (a ref), so a render that calls it follows a change of
 * language.
 */
export function rowWords(): RowWords {
  const locale = currentLocale()
  let words = cache.get(locale)
  if (!words) {
    const { t } = i18n.global
    const layer: Record<string, string> = {}
    for (const l of LAYERS) layer[l] = t(`timeline.layer.${l}`)
    const direction = {} as Record<Direction, string>
    for (const d of DIRECTIONS) direction[d] = t(`timeline.directionLabel.${d}`)
    const unit = {} as Record<Unit, readonly [string, string]>
    for (const u of UNITS) {
      const text = t(`timeline.unit.${u}`, { value: HOLE })
      const at = text.indexOf(HOLE)
      unit[u] = at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + HOLE.length)]
    }
    words = { layer, direction, unit }
    cache.set(locale, words)
  }
  return words
}

function withUnit(words: RowWords, unit: Unit, value: string): string {
  const [before, after] = words.unit[unit]
  return `${before}${value}${after}`
}

/** A layer's name; one an imported file made up is shown as it is (`layerLabel`). */
export function rowLayer(words: RowWords, layer: string): string {
  return Object.hasOwn(words.layer, layer) ? words.layer[layer]! : layer
}

/** A size: `9 B`, `1.5 KiB`, `3.0 MiB` (`formatBytes`). */
export function rowBytes(words: RowWords, bytes: number | undefined): string {
  if (bytes === undefined) return ''
  if (bytes < 1024) return withUnit(words, 'bytes', formatCount(bytes))
  if (bytes < 1024 * 1024) return withUnit(words, 'kib', formatDecimal(bytes / 1024, 1))
  return withUnit(words, 'mib', formatDecimal(bytes / 1024 / 1024, 1))
}

/** Delta from the previous row: `+0.123 ms`, `+12.0 ms`, `+120 ms`, `+1.5 s`, `+3 min` (`formatDelta`). */
export function rowDelta(words: RowWords, ms: number | undefined): string {
  if (ms === undefined) return ''
  if (ms < 1) return withUnit(words, 'ms', formatDecimal(ms, 3, true))
  if (ms < 100) return withUnit(words, 'ms', formatDecimal(ms, 1, true))
  if (ms < 1000) return withUnit(words, 'ms', formatDecimal(Math.round(ms), 0, true))
  if (ms < 60_000) return withUnit(words, 's', formatDecimal(ms / 1000, 1, true))
  return withUnit(words, 'min', formatDecimal(Math.round(ms / 60_000), 0, true))
}

import { currentLocale } from '@/i18n'

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
/** One formatter per locale and kind: making one costs about a millisecond, and a list renders many values. */
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: (locale: string) => F): F {
  const locale = currentLocale()
  const id = `${locale}\n${key}`
  let format = formats.get(id) as F | undefined
  if (!format) {
    format = make(locale)
    formats.set(id, format)
  }
  return format
}

const UNITS = [['byte', 1], ['kilobyte', 1e3], ['megabyte', 1e6], ['gigabyte', 1e9]] as const

/** A byte size in the UI's language: `812 B`, `4.2 kB`, `37 MB` (decimal units, as storage quotas are given). */
export function formatSize(bytes: number): string {
  let unit: (typeof UNITS)[number] = UNITS[0]
  for (const candidate of UNITS) if (bytes >= candidate[1]) unit = candidate
  const value = bytes / unit[1]
  const digits = value < 10 && unit[1] > 1 ? 1 : 0
  return cached(`${unit[0]}${digits}`, locale => new Intl.NumberFormat(locale, { style: 'unit', unit: unit[0], unitDisplay: 'short', maximumFractionDigits: digits })).format(value)
}

/** A date and time in the UI's language. */
export function formatDate(ms: number): string {
  return cached('date', locale => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(ms)
}

import { currentLocale } from '@/i18n'

/** A byte size in the UI's language: `812 B`, `4.2 kB`, `37 MB` (decimal units, as storage quotas are given). */
export function formatSize(bytes: number): string {
  const units = [['byte', 1], ['kilobyte', 1e3], ['megabyte', 1e6], ['gigabyte', 1e9]] as const
  let unit: (typeof units)[number] = units[0]
  for (const candidate of units) if (bytes >= candidate[1]) unit = candidate
  const value = bytes / unit[1]
  return new Intl.NumberFormat(currentLocale(), { style: 'unit', unit: unit[0], unitDisplay: 'short', maximumFractionDigits: value < 10 && unit[1] > 1 ? 1 : 0 }).format(value)
}

/** A date and time in the UI's language. */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms)
}

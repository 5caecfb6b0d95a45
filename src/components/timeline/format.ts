import type { Direction, TimelineEvent } from '@/protocol/types'

/** Wall-clock time with milliseconds, local zone: `14:03:07.123`. */
export function formatClock(time: number): string {
  const date = new Date(time)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** Delta from the previous row: `+0.123 ms`, `+12 ms`, `+1.5 s`, `+3 min`. */
export function formatDelta(ms: number | undefined): string {
  if (ms === undefined) return ''
  if (ms < 1) return `+${ms.toFixed(3)} ms`
  if (ms < 100) return `+${ms.toFixed(1)} ms`
  if (ms < 1000) return `+${Math.round(ms)} ms`
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`
  return `+${Math.round(ms / 60_000)} min`
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export const DIRECTION_ARROW: Record<Direction, string> = { in: '↓', out: '↑', local: '•' }
export const DIRECTION_LABEL: Record<Direction, string> = { in: 'received', out: 'sent', local: 'local' }

/** What the row names the event by: the Socket.IO event name when there is one, else the kind. */
export function eventLabel(event: TimelineEvent): string {
  if (event.name && event.kind !== event.name) return `${event.kind} ${event.name}`
  return event.kind
}

const integer = new Intl.NumberFormat('en-US')
export function formatCount(n: number): string {
  return integer.format(n)
}

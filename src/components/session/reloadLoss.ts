import type { Session } from '@/stores/session'

/** What reloading the page would throw away: live connections, and events recorded in this page only. */
export interface ReloadLoss {
  /** Sessions connecting, open or reconnecting: a reload closes them. */
  connections: number
  /** Events on the timelines of sessions recorded here (an imported one can be imported again). */
  events: number
}

const numberFormat = new Intl.NumberFormat('en-US')

export function reloadLoss(sessions: readonly Pick<Session, 'state' | 'readOnly' | 'timeline'>[]): ReloadLoss {
  let connections = 0
  let events = 0
  for (const session of sessions) {
    if (session.state === 'connecting' || session.state === 'open' || session.state === 'reconnecting') connections++
    if (!session.readOnly) events += session.timeline.length
  }
  return { connections, events }
}

/** The sentence a person confirms before a reload, or undefined when a reload loses nothing. */
export function describeReloadLoss({ connections, events }: ReloadLoss): string | undefined {
  const parts: string[] = []
  if (connections > 0) parts.push(`closes ${numberFormat.format(connections)} ${connections === 1 ? 'connection' : 'connections'}`)
  if (events > 0) parts.push(`discards ${numberFormat.format(events)} recorded ${events === 1 ? 'event' : 'events'}`)
  if (parts.length === 0) return undefined
  return `Reloading ${parts.join(' and ')}.${events > 0 ? ' Export a timeline first to keep it.' : ''}`
}

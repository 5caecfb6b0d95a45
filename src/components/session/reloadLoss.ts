import type { Session } from '@/stores/session'
import { i18n } from '@/i18n'

/** What reloading the page would throw away: live connections, and events recorded in this page only. */
export interface ReloadLoss {
  /** Sessions connecting, open or reconnecting: a reload closes them. */
  connections: number
  /** Events on the timelines of sessions recorded here (an imported one can be imported again). */
  events: number
}

export function reloadLoss(sessions: readonly Pick<Session, 'state' | 'readOnly' | 'timeline'>[]): ReloadLoss {
  let connections = 0
  let events = 0
  for (const session of sessions) {
    if (session.state === 'connecting' || session.state === 'open' || session.state === 'reconnecting') connections++
    if (!session.readOnly) events += session.timeline.length
  }
  return { connections, events }
}

/**
 * The sentence a person confirms before a reload, in the UI's language (asked at the click, so the language of
 * now), or undefined when a reload loses nothing.
 */
export function describeReloadLoss({ connections, events }: ReloadLoss): string | undefined {
  const { t, n } = i18n.global
  const counted = (key: 'session.reloadLoss.connections' | 'session.reloadLoss.events', count: number) => t(key, { n: n(count) }, count)
  if (connections > 0 && events > 0) {
    return t('session.reloadLoss.both', { connections: counted('session.reloadLoss.connections', connections), events: counted('session.reloadLoss.events', events) })
  }
  if (connections > 0) return t('session.reloadLoss.connectionsOnly', { connections: counted('session.reloadLoss.connections', connections) })
  if (events > 0) return t('session.reloadLoss.eventsOnly', { events: counted('session.reloadLoss.events', events) })
  return undefined
}

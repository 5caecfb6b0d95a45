import type { Session } from '@/stores/session'
import { i18n } from '@/i18n'
import { visibleText } from '@/timeline/payload'

/**
 * What each session is called: the label its tab shows (SessionTabs.vue), which the side by side view's rows and
 * picker use too, so they name the tab a person knows — the name they gave it, an imported file's name, or its
 * endpoint, and "#2", "#3" for a second and third tab on the same endpoint. Numbered over all open sessions.
 */
export function sessionLabels(all: readonly Session[]): Map<string, string> {
  const t = i18n.global.t
  const seen = new Map<string, number>()
  const out = new Map<string, string>()
  for (const s of all) {
    const base = baseLabel(s, t)
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    out.set(s.id, n === 1 ? base : t('session.tabs.numbered', { label: base, n }))
  }
  return out
}

function baseLabel(s: Session, t: typeof i18n.global.t): string {
  // A name a person or a file chose is shown with its invisible characters as markers, as in the timeline.
  if (s.renamed) return visibleText(s.name)
  if (s.readOnly) return t('session.tabs.imported', { name: visibleText(s.name) })
  try {
    const u = new URL(s.url)
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`
  }
  catch {
    return visibleText(s.name)
  }
}

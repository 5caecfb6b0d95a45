import type { Session } from './session'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, reactive, ref, watch } from 'vue'
import { createFilterSpec, type DetailTab, type TimelineFilterSpec } from '@/timeline/viewState'
import { useSessionsStore } from './sessions'

/** The selected row of the side by side view: an event of one of the sessions shown. */
export interface CompareSelection {
  sessionId: string
  seq: number
}

/**
 * Side by side: two or more sessions on one time axis (components/compare/, merged by timeline/merge.ts). It shows
 * in place of the single session view while open. Only ids and view state live here: nothing is subscribed to a
 * timeline until the view mounts, so a closed comparison costs the hot path nothing.
 *
 * `open(ids)` is how anything opens it (the header's "Side by side" picker, a replay's "Compare side by side").
 * Closing a session removes it from the comparison; with fewer than two left it closes. Choosing another session tab
 * (or opening a new one) goes back to that session. The session written as ("Write as") is the active one.
 */
export const useCompareStore = defineStore('compare', () => {
  const sessions = useSessionsStore()
  /** The sessions compared, in the order given: the first one wins ties of time, and gets the first colour. */
  const sessionIds = ref<string[]>([])
  /** One filter for all of them (the timeline filter bar's spec). */
  const filter = reactive<TimelineFilterSpec>(createFilterSpec())
  const selected = ref<CompareSelection | null>(null)
  /** Follow the tail: off when the person scrolls up or selects a row above it, on again at the bottom. */
  const following = ref(true)
  const detailTab = ref<DetailTab>('tree')
  /**
   * Place each session by the time since its own first event instead of by the clock: a recording and its replay,
   * made hours apart, then line up. On by itself when a recorded (read-only) session is compared.
   */
  const alignStarts = ref(false)

  /** The compared sessions that are open, in order. */
  const compared = computed<Session[]>(() => {
    const out: Session[] = []
    for (const id of sessionIds.value) {
      const session = sessions.sessions.find(s => s.id === id)
      if (session) out.push(session)
    }
    return out
  })
  const isOpen = computed(() => compared.value.length >= 2)

  /**
   * The live (not read-only) compared session the view's composer writes as. It is the active session, so the
   * keyboard shortcuts (send, connect, pause, clear) act on the session whose composer is shown, and its tab is the
   * one highlighted.
   */
  const writer = computed<Session | undefined>(() => {
    const live = compared.value.filter(s => !s.readOnly)
    return live.find(s => s.id === sessions.activeId) ?? live[0]
  })

  /**
   * Show these sessions side by side (ids of open sessions, at least two; unknown ids and repeats are left out).
   * Returns false, and changes nothing, when fewer than two remain.
   */
  function open(ids: string[]): boolean {
    const known = [...new Set(ids)].filter(id => sessions.sessions.some(s => s.id === id))
    if (known.length < 2) return false
    sessionIds.value = known
    selected.value = null
    following.value = true
    alignStarts.value = compared.value.some(s => s.readOnly)
    // The active session writes: one of those compared (a live one when there is one).
    const writing = writer.value
    if (writing && writing.id !== sessions.activeId) makeActive(writing.id)
    return true
  }

  /** Back to the single session view. The filter stays for the next time. */
  function close(): void {
    sessionIds.value = []
    selected.value = null
  }

  /** Take one session out of the comparison (closes it when fewer than two are left). */
  function remove(id: string): void {
    const next = sessionIds.value.filter(s => s !== id)
    if (next.length === sessionIds.value.length) return
    if (selected.value?.sessionId === id) selected.value = null
    if (next.length < 2) close()
    else sessionIds.value = next
  }

  function setAlignStarts(on: boolean): void {
    alignStarts.value = on
  }

  function select(selection: CompareSelection | null): void {
    selected.value = selection
  }

  /** Set by the store itself while it moves the active tab, so that move does not leave side by side. */
  let movingActive = false
  function makeActive(id: string): void {
    movingActive = true
    try {
      sessions.activeId = id
    }
    finally {
      movingActive = false
    }
  }

  function writeAs(id: string): void {
    const session = compared.value.find(s => s.id === id)
    if (session && !session.readOnly) makeActive(id)
  }

  // A closed session leaves the comparison at once (sync: the view never renders a session that is gone).
  watch(() => sessions.sessions, (list) => {
    for (const id of sessionIds.value) {
      if (!list.some(s => s.id === id)) remove(id)
    }
  }, { flush: 'sync' })
  // Choosing a tab, or opening a new one, shows that session; the active tab moving because it was closed does not.
  watch(() => sessions.activeId, (now, before) => {
    if (movingActive || now === before || sessionIds.value.length === 0) return
    const beforeClosed = before !== undefined && !sessions.sessions.some(s => s.id === before)
    if (!beforeClosed) {
      close()
      return
    }
    // The active (writing) session was closed: the next one to write is one of those still compared.
    const writing = writer.value
    if (isOpen.value && writing && writing.id !== now) makeActive(writing.id)
  }, { flush: 'sync' })

  return { sessionIds, compared, isOpen, filter, selected, following, detailTab, alignStarts, writer, open, close, remove, select, writeAs, setAlignStarts }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useCompareStore, import.meta.hot))

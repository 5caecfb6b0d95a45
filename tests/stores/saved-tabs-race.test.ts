import { describe, expect, it } from 'vitest'
import { createSession, type Session } from '../../src/stores/session'
import { SESSIONS_STORAGE_KEY, applySavedSession, createTabSaver, snapshotSessions, takeInStoredTabs, type TabSaver } from '../../src/stores/sessionPersistence'

/**
 * Two windows in two renderer processes, as Chromium runs them: each reads and writes localStorage through its own
 * copy, and another window's write reaches that copy (with its `storage` event) a moment later. On a loaded machine
 * that moment is long enough for a window to write the saved tabs from a copy that is behind
 * (tests/e2e/storage.spec.ts, "two windows editing at once", failed so at load 15).
 * Here the moments are chosen: `deliver()` is the other window's write arriving, the browser keeps the last write.
 */
function browserStorage() {
  let stored: string | null = null
  function window() {
    let copy: string | null = stored
    const storage = {
      getItem: (key: string) => key === SESSIONS_STORAGE_KEY ? copy : null,
      setItem: (key: string, value: string) => {
        if (key !== SESSIONS_STORAGE_KEY) return
        copy = value
        stored = value
      },
    } as unknown as Storage
    return { storage, deliver: () => { copy = stored } }
  }
  return { window, stored: () => JSON.parse(stored ?? '{"sessions":[]}') as { sessions: { key: string, url: string }[] } }
}

/** A window with its own saver and tabs, started from what is stored (as sessions.ts restoreSaved does). */
function openWindow(browser: ReturnType<typeof browserStorage>) {
  const { storage, deliver } = browser.window()
  const saver: TabSaver = createTabSaver(storage)
  const tabs: Session[] = (saver.restore()?.sessions ?? []).map((entry) => {
    const session = createSession()
    applySavedSession(session, entry)
    return session
  })
  saver.settle(snapshotSessions(tabs, tabs[0]?.id))
  const snapshot = () => snapshotSessions(tabs, tabs.at(-1)?.id)
  return {
    tabs,
    save: () => expect(saver.save(snapshot())).toBeUndefined(),
    /** Another window's write reaches this one: the `storage` event, handled as keepTabsSaved does (a due save at once). */
    storageEvent: () => {
      deliver()
      if (takeInStoredTabs(saver, tabs, tabs.at(-1)?.id)) expect(saver.save(snapshot())).toBeUndefined()
    },
  }
}

describe('two windows writing the saved tabs from copies that are a moment apart', () => {
  it('a window\'s newer change to its tab survives another window\'s write from an older copy', () => {
    const browser = browserStorage()
    const a = openWindow(browser)
    a.tabs.push(createSession({ url: 'ws://a1' }))
    a.save()
    const b = openWindow(browser)
    expect(b.tabs.map(s => s.url)).toEqual(['ws://a1'])

    // A opens a tab (saved empty: the delay passed before the typing) and then types its URL.
    const a2 = createSession({ url: '' })
    a.tabs.push(a2)
    a.save()
    b.storageEvent()
    a2.url = 'ws://a2'
    a.save()
    // B, whose copy has A's empty tab but not the URL typed into it yet, saves a new tab of its own.
    b.tabs.push(createSession({ url: 'ws://b1' }))
    b.save()
    // The browser kept B's write, with A's tab as it was before the typing. A hears of it.
    a.storageEvent()

    expect(a2.url).toBe('ws://a2')
    // B put its tab after its neighbour a1; A's tab keeps its place.
    expect(browser.stored().sessions.map(e => e.url)).toEqual(['ws://a1', 'ws://b1', 'ws://a2'])
    b.storageEvent()
    expect(browser.stored().sessions.map(e => e.url)).toEqual(['ws://a1', 'ws://b1', 'ws://a2'])
  })

  it('both windows change a tab and save from old copies at once: both end with the same tabs, nothing lost', () => {
    const browser = browserStorage()
    const a = openWindow(browser)
    a.tabs.push(createSession({ url: 'ws://shared' }))
    a.save()
    const b = openWindow(browser)

    const a2 = createSession({ url: '' })
    a.tabs.push(a2)
    a.save()
    const b2 = createSession({ url: '' })
    b.tabs.push(b2)
    b.save()
    // Each hears of the other's empty tab, then each types into its own and saves before hearing of the other.
    a.storageEvent()
    b.storageEvent()
    a2.url = 'ws://a2'
    b2.url = 'ws://b2'
    a.save()
    b.save()
    a.storageEvent()
    b.storageEvent()
    a.storageEvent()

    const urls = browser.stored().sessions.map(e => e.url).sort()
    expect(urls).toEqual(['ws://a2', 'ws://b2', 'ws://shared'])
    expect(a2.url).toBe('ws://a2')
    expect(b2.url).toBe('ws://b2')
  })

  it('a change made in the other window still comes in (a newer write of a tab this window has not changed)', () => {
    const browser = browserStorage()
    const a = openWindow(browser)
    a.tabs.push(createSession({ url: 'ws://one' }))
    a.save()
    const b = openWindow(browser)
    b.tabs[0]!.url = 'ws://one-edited-in-b'
    b.save()
    a.storageEvent()
    expect(a.tabs[0]!.url).toBe('ws://one-edited-in-b')
    // And a later edit in A goes back the other way.
    a.tabs[0]!.url = 'ws://one-edited-in-a'
    a.save()
    b.storageEvent()
    expect(b.tabs[0]!.url).toBe('ws://one-edited-in-a')
  })
})

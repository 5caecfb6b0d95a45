import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import SessionTabs from '../../src/components/session/SessionTabs.vue'
import SessionView from '../../src/components/session/SessionView.vue'
import { createSession } from '../../src/stores/session'
import { useSessionsStore } from '../../src/stores/sessions'
import { Timeline } from '../../src/timeline/timeline'
import { mountInDocument, nextFrame, unmountAll } from '../support/mount'
import { importedExplanation } from '../../src/timeline/exportWords'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => unmountAll())

/** What an NDJSON file can claim: a close with a diagnosis whose words and reason the file chose. */
function importedSession(importedFrom?: string) {
  const timeline = Timeline.from([
    { seq: 1, time: 1_700_000_000_000, layer: 'lifecycle', kind: 'connecting', dir: 'local', attempt: 0 },
    {
      seq: 2,
      time: 1_700_000_000_010,
      layer: 'lifecycle',
      kind: 'close',
      dir: 'in',
      code: 4000,
      reason: '\u202Egnp.exe\r\n',
      explain: importedExplanation('Your password expired: enter it at evil.example.'),
      detail: { wasClean: true, byUser: false, closedBy: 'server', diagnosis: 'server-closed', title: 'Server says: re-enter your password', nextStep: 'Go to evil.example.' },
    },
  ])
  return createSession({ name: 'recorded', url: 'ws://localhost:8080', readOnly: true, timeline, importedFrom })
}

describe('an imported session', () => {
  it('says it was imported from its file, recorded and not live, and that its diagnosis comes from that file', async () => {
    const wrapper = mountInDocument(SessionView, { props: { session: importedSession('capture\u202Etxt.ndjson') } })
    await nextFrame()
    const marker = wrapper.get('[role="note"].imported')
    expect(marker.text()).toBe('Imported from capture\\u202Etxt.ndjson — recorded, not live')
    const banner = wrapper.get('[role="region"][aria-label="Diagnosis"]')
    expect(banner.text()).toContain('From the imported file capture\\u202Etxt.ndjson, not a live diagnosis')
    // The file's own words in the facts are shown with markers, not as bidi overrides.
    expect(banner.text()).toContain('Reason "\\u202Egnp.exe\\r\\n"')
    expect(banner.text()).not.toContain('\u202E')
  })

  it('a live session has no imported marker', async () => {
    const wrapper = mountInDocument(SessionView, { props: { session: createSession({ url: 'ws://localhost:8080' }) } })
    await nextFrame()
    expect(wrapper.find('.imported').exists()).toBe(false)
  })
})

describe('the tab of an imported session', () => {
  it('shows the session name the file chose with its invisible characters as markers', () => {
    useSessionsStore().adopt(createSession({ name: 'cap\u202Etxt.exe', readOnly: true, importedFrom: 'x.ndjson' }))
    const wrapper = mountInDocument(SessionTabs)
    expect(wrapper.get('[role="tab"]').text()).toBe('cap\\u202Etxt.exe (imported)')
    expect(wrapper.get('button[aria-label^="Close"]').attributes('aria-label')).toBe('Close cap\\u202Etxt.exe (imported)')
  })
})

import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { inEnglish } from '../../src/i18n'
import type { ImportProgress } from '../../src/timeline/importCommon'
import { useSessionsStore } from '../../src/stores/sessions'

const header = JSON.stringify({ format: 'socketlens-timeline', version: 1, protocol: 'ws', sessionName: 'captured', endpoint: 'ws://example.test/feed' })
const frame = (seq: number) => JSON.stringify({ seq, time: 1_700_000_000_000 + seq, layer: 'wire', kind: 'frame', dir: 'in', data: `#${seq}` })
const file = (lines: string[], name = 'capture.ndjson') => new File([lines.join('\n')], name)

describe('sessions.openImported (the Import timeline button\'s action)', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('opens a file as a read-only session with the file\'s own numbers, saying each phase', async () => {
    const sessions = useSessionsStore()
    const phases = new Set<ImportProgress['phase']>()
    const lines = [header, ...Array.from({ length: 5000 }, (_, i) => frame(40_001 + i))]
    const result = await sessions.openImported(file(lines), { onProgress: p => phases.add(p.phase) })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.session).toMatchObject({ name: 'captured', url: 'ws://example.test/feed', type: 'ws', readOnly: true, importedFrom: 'capture.ndjson' })
    expect(sessions.activeId).toBe(result.session.id)
    const events = result.session.timeline.toArray()
    expect(events.map(e => e.seq)).toEqual(Array.from({ length: 5000 }, (_, i) => 40_001 + i))
    expect(phases.has('opening')).toBe(true)
  })

  it('a bad file opens nothing and says which line', async () => {
    const sessions = useSessionsStore()
    const before = sessions.sessions.length
    const result = await sessions.openImported(file([header, frame(1), '{"seq":2,']))
    expect(result).toMatchObject({ ok: false })
    expect(result.ok === false && 'error' in result ? inEnglish(result.error) : '').toMatch(/Line 3/)
    expect(sessions.sessions).toHaveLength(before)
  })

  it('a cancel opens nothing', async () => {
    const sessions = useSessionsStore()
    const before = sessions.sessions.length
    const controller = new AbortController()
    controller.abort()
    expect(await sessions.openImported(file([header, frame(1)]), { signal: controller.signal })).toEqual({ ok: false, cancelled: true })
    expect(sessions.sessions).toHaveLength(before)
  })
})

import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Words } from '../../src/stores/session'
import { translate } from '../../src/i18n'
import { createSession } from '../../src/stores/session'
import { CHUNK_CHARS, CHUNK_EVENTS, TimelineAssembly, TIMELINES_DB_NAME, useSavedTimelinesStore } from '../../src/stores/savedTimelines'
import { useSessionsStore } from '../../src/stores/sessions'
import { eventToLine } from '../../src/timeline/exportNdjson'
import { runInSlices, timelineInSlices } from '../../src/timeline/importCommon'
import { Timeline } from '../../src/timeline/timeline'
import { draft, event, FIXTURE_TIME, frame } from '../support/events'
import { deleteDatabase } from '../support/indexedDb'

function said(words: Words | undefined): string {
  return words === undefined ? '' : typeof words === 'string' ? words : translate(words)
}

function deleteDb(): Promise<void> {
  return deleteDatabase(TIMELINES_DB_NAME)
}

/** A fresh Pinia is what a reload gives: the list must come back from IndexedDB. */
async function reloaded() {
  setActivePinia(createPinia())
  const saved = useSavedTimelinesStore()
  await saved.load()
  return saved
}

/** What is stored in the database itself (records and chunks), not what the store shows. */
async function stored(): Promise<{ timelines: number, chunks: { timelineId: string, count: number, text: string }[] }> {
  const db = await openDB(TIMELINES_DB_NAME)
  const result = { timelines: (await db.getAll('timelines')).length, chunks: await db.getAll('chunks') as { timelineId: string, count: number, text: string }[] }
  db.close()
  return result
}

/** A Socket.IO session with settings and a timeline: emits (one with a binary argument, one with an ack), frames. */
function socketIoSession(events = 6) {
  const session = createSession({ url: 'http://localhost:3000/admin', type: 'socketio', name: 'admin' })
  session.sio.auth = '{"token":"secret"}'
  session.sio.transports = ['websocket']
  session.namespaces = [{ name: '/chat', auth: '' }]
  const t = FIXTURE_TIME
  const drafts = [
    draft('lifecycle', 'connect', { time: t, namespace: '/admin' }),
    draft('app', 'emit', { time: t + 1, name: 'chat', namespace: '/admin', detail: { args: ['hi', { deep: [1, 2] }] } }),
    draft('app', 'emit', { time: t + 2, name: 'save', namespace: '/admin', ackId: 3, detail: { args: [new Uint8Array([1, 2, 250]).buffer], ackTimeoutMs: 5000 } }),
    draft('app', 'ack', { time: t + 3, name: 'save', namespace: '/admin', ackId: 3, rttMs: 1.5, detail: { args: ['ok'] } }),
    frame(new Uint8Array([0, 255]).buffer, { time: t + 4, dir: 'in' }),
    frame('42/admin,["chat","hi"]', { time: t + 5, dir: 'out' }),
  ]
  for (let i = 0; i < events; i++) session.timeline.append(drafts[i % drafts.length]!)
  return session
}

const lines = (events: Iterable<Parameters<typeof eventToLine>[0]>): string[] => [...events].map(e => eventToLine(e))

describe('saved timelines (IndexedDB)', () => {
  beforeEach(async () => {
    await deleteDb()
    setActivePinia(createPinia())
    localStorage.clear()
  })
  afterEach(() => {
    vi.restoreAllMocks()
    const sessions = useSessionsStore()
    for (const s of [...sessions.sessions]) sessions.close(s.id)
  })

  it('saves a timeline with its settings, lists it after a reload, and reopens it read-only with the same events', async () => {
    const session = socketIoSession()
    const result = await useSavedTimelinesStore().save(session, { name: 'my run' })
    expect(result.ok).toBe(true)

    const saved = await reloaded()
    expect(saved.list).toHaveLength(1)
    const item = saved.list[0]!
    expect(item).toMatchObject({ name: 'my run', count: 6, chunks: 1, complete: true })
    expect(item.bytes).toBeGreaterThan(200)
    expect(item.settings).toMatchObject({ url: 'http://localhost:3000/admin', type: 'socketio', namespaces: [{ name: '/chat', auth: '' }] })
    expect(item.settings.sio).toMatchObject({ auth: '{"token":"secret"}', transports: ['websocket'] })

    const opened = await saved.open(item.id)
    if (!opened.ok) throw new Error(said(opened.error))
    const reopened = opened.session
    expect(reopened).toMatchObject({ readOnly: true, name: 'my run', url: 'http://localhost:3000/admin', type: 'socketio' })
    expect(reopened.sio.auth).toBe('{"token":"secret"}')
    expect(reopened.namespaces).toEqual([{ name: '/chat', auth: '' }])
    expect(useSessionsStore().active?.id).toBe(reopened.id)
    // Same events, field for field (the export's encoding of each is the same text), seq and time kept.
    expect(lines(reopened.timeline.iterate())).toEqual(lines(session.timeline.iterate()))
    const binaryArg = reopened.timeline.get(2)!
    expect(binaryArg.kind === 'emit' && binaryArg.detail.args[0]).toBeInstanceOf(ArrayBuffer)
  })

  it('stores the events in chunks (at most 5,000 events and 256 K characters each), and a big timeline comes back whole and in order', async () => {
    const total = CHUNK_EVENTS * 2 + 123
    const session = createSession({ url: 'ws://localhost:8080/echo', type: 'ws' })
    for (let i = 0; i < total; i++) session.timeline.append(frame(i % 1000 === 0 ? 'x'.repeat(20_000) : `m${i}`, { time: FIXTURE_TIME + i, dir: i % 2 ? 'in' : 'out' }))
    const progress: number[] = []
    const result = await useSavedTimelinesStore().save(session, { onProgress: p => progress.push(p.done) })
    if (!result.ok) throw new Error(said(result.error))
    expect(result.saved.count).toBe(total)
    expect(result.saved.name).toContain(session.name)
    expect(progress.at(-1)).toBe(total)
    expect(progress.every((done, i) => i === 0 || done > progress[i - 1]!)).toBe(true)
    const db = await stored()
    expect(db.chunks.length).toBe(result.saved.chunks)
    expect(db.chunks.length).toBeGreaterThanOrEqual(3)
    expect(db.chunks.reduce((sum, c) => sum + c.count, 0)).toBe(total)
    for (const chunk of db.chunks) {
      expect(chunk.count).toBeLessThanOrEqual(CHUNK_EVENTS)
      // A chunk closes once it reaches the limit: it may hold one line past it.
      expect(chunk.text.length).toBeLessThan(CHUNK_CHARS + 20_200)
      expect(chunk.text.split('\n').length - 1).toBe(chunk.count)
    }
    // Big events make small chunks: no record is a huge string to clone.
    const big = createSession({ type: 'ws' })
    for (let i = 0; i < 100; i++) big.timeline.append(frame('y'.repeat(50_000), { dir: 'in' }))
    const bigSave = await useSavedTimelinesStore().save(big)
    // Six lines of 50,000 characters pass 256 K: 100 events make 17 chunks.
    expect(bigSave.ok && bigSave.saved.chunks).toBe(17)

    const saved = await reloaded()
    const opened = await saved.open(result.saved.id)
    if (!opened.ok) throw new Error(said(opened.error))
    const timeline = opened.session.timeline
    expect(timeline.length).toBe(total)
    expect(timeline.get(1)!.data).toBe('m1')
    expect(timeline.get(total - 1)!).toMatchObject({ seq: total, data: `m${total - 1}` })
  })

  it('a live timeline whose ring buffer drops while saving: what is still there, in order, nothing twice', async () => {
    const session = createSession({ type: 'ws', maxEvents: CHUNK_EVENTS + 10 })
    for (let i = 0; i < CHUNK_EVENTS + 10; i++) session.timeline.append(frame(`a${i}`, { dir: 'in' }))
    const saving = useSavedTimelinesStore().save(session)
    // Meanwhile the stream goes on: the oldest fall out of the buffer; events after Save are not part of it.
    for (let i = 0; i < 100; i++) session.timeline.append(frame(`b${i}`, { dir: 'in' }))
    const result = await saving
    if (!result.ok) throw new Error(said(result.error))
    const opened = await useSavedTimelinesStore().open(result.saved.id)
    if (!opened.ok) throw new Error(said(opened.error))
    const seqs = [...opened.session.timeline.iterate()].map(e => e.seq)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true)
    expect([...opened.session.timeline.iterate()].every(e => String(e.data).startsWith('a'))).toBe(true)
  })

  it('renames and deletes; a deleted timeline leaves no chunk behind', async () => {
    const saved = useSavedTimelinesStore()
    const a = await saved.save(socketIoSession(), { name: 'a' })
    const b = await saved.save(socketIoSession(), { name: 'b' })
    if (!a.ok || !b.ok) throw new Error('not saved')
    expect(await saved.rename(a.saved.id, '  renamed  ')).toBe(true)
    expect((await reloaded()).list.map(t => t.name).sort()).toEqual(['b', 'renamed'])
    const again = useSavedTimelinesStore()
    expect(await again.remove(b.saved.id)).toBe(true)
    expect(again.list.map(t => t.name)).toEqual(['renamed'])
    expect((await reloaded()).list.map(t => t.name)).toEqual(['renamed'])
    expect(new Set((await stored()).chunks.map(c => c.timelineId))).toEqual(new Set([a.saved.id]))
    const gone = await again.open(b.saved.id)
    expect(gone.ok).toBe(false)
    if (!gone.ok) expect(said(gone.error)).toMatch(/no longer exists/)
  })

  it('a save the storage refuses half way says why, keeps nothing half-saved, and loses nothing', async () => {
    const saved = useSavedTimelinesStore()
    const kept = await saved.save(socketIoSession(), { name: 'kept' })
    if (!kept.ok) throw new Error('not saved')
    const session = createSession({ type: 'ws', name: 'big' })
    for (let i = 0; i < CHUNK_EVENTS * 3; i++) session.timeline.append(frame(`x${i}`, { dir: 'out' }))
    // The disk fills up after the first chunk of the new save.
    const put = IDBObjectStore.prototype.put
    let chunkPuts = 0
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'chunks' && ++chunkPuts > 1) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      return put.apply(this, args)
    })
    const result = await saved.save(session)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(said(result.error)).toMatch(/"big \(.*\)" could not be saved: the browser refused to store more.*Nothing was saved; the timeline is still open/)
    vi.restoreAllMocks()
    // The session still holds every event; the earlier save is whole; no record or chunk of the failed one is left.
    expect(session.timeline.length).toBe(CHUNK_EVENTS * 3)
    expect(saved.list.map(t => t.name)).toEqual(['kept'])
    const after = await reloaded()
    expect(after.list.map(t => t.name)).toEqual(['kept'])
    const db = await stored()
    expect(db.timelines).toBe(1)
    expect(new Set(db.chunks.map(c => c.timelineId))).toEqual(new Set([kept.saved.id]))
    const opened = await after.open(kept.saved.id)
    expect(opened.ok && opened.session.timeline.length).toBe(6)
  })

  it('says so when the saved text is damaged, and opens nothing', async () => {
    const saved = useSavedTimelinesStore()
    const result = await saved.save(socketIoSession(), { name: 'damaged' })
    if (!result.ok) throw new Error('not saved')
    const db = await openDB(TIMELINES_DB_NAME)
    await db.put('chunks', { timelineId: result.saved.id, index: 0, count: 1, text: '{"seq":1,"time":"soon"}\n' })
    db.close()
    const before = useSessionsStore().sessions.length
    const opened = await saved.open(result.saved.id)
    expect(opened.ok).toBe(false)
    if (!opened.ok) expect(said(opened.error)).toMatch(/"damaged" could not be read: part 1 of 1 is damaged \(Line 2: "time" must be a number/)
    expect(useSessionsStore().sessions.length).toBe(before)
  })

  it('a part that is not NDJSON, a missing part, a part cut short: each names the part, opens nothing, and loses nothing', async () => {
    const saved = useSavedTimelinesStore()
    const kept = await saved.save(socketIoSession(), { name: 'kept' })
    const session = createSession({ type: 'ws', name: 'big' })
    const total = CHUNK_EVENTS * 2 + 10
    for (let i = 0; i < total; i++) session.timeline.append(frame(`x${i}`, { time: FIXTURE_TIME + i, dir: 'out' }))
    const result = await saved.save(session, { name: 'parts' })
    if (!kept.ok || !result.ok) throw new Error('not saved')
    const parts = result.saved.chunks
    expect(parts).toBeGreaterThanOrEqual(3)
    const db = await openDB(TIMELINES_DB_NAME)
    const original = await db.get('chunks', [result.saved.id, 1]) as { timelineId: string, index: number, count: number, text: string }
    const sessionsBefore = useSessionsStore().sessions.length
    const attempt = async (damage: () => Promise<unknown>, said_: RegExp) => {
      await damage()
      const opened = await (await reloaded()).open(result.saved.id)
      expect(opened.ok).toBe(false)
      if (!opened.ok) expect(said(opened.error)).toMatch(said_)
      // Nothing opened, the record and the other saved timeline as they were.
      expect(useSessionsStore().sessions.length).toBe(sessionsBefore)
      const after = await reloaded()
      expect(after.list.map(t => [t.name, t.count, t.chunks])).toEqual([['parts', total, parts], ['kept', 6, 1]])
      const other = await after.open(kept.saved.id)
      expect(other.ok && other.session.timeline.length).toBe(6)
      if (other.ok) useSessionsStore().close(other.session.id)
      // Put the part back: the whole timeline opens again, so the failed open deleted nothing.
      await db.put('chunks', original)
      const whole = await after.open(result.saved.id)
      if (!whole.ok) throw new Error(said(whole.error))
      expect(whole.session.timeline.length).toBe(total)
      useSessionsStore().close(whole.session.id)
    }
    await attempt(() => db.put('chunks', { ...original, text: 'this is not NDJSON\n' }), new RegExp(`^"parts" could not be read: part 2 of ${parts} is damaged \\(Line 2 is not valid JSON.*Nothing was opened; the saved timeline is kept as it is\\.$`))
    await attempt(() => db.delete('chunks', [result.saved.id, 1]), new RegExp(`^"parts" is incomplete: part 2 of ${parts} is missing\\. Nothing was opened; the saved timeline is kept as it is\\.$`))
    const firstLines = `${original.text.split('\n').slice(0, 100).join('\n')}\n`
    await attempt(() => db.put('chunks', { ...original, text: firstLines }), new RegExp(`^"parts" could not be read: part 2 of ${parts} holds 100 of its ${original.count} events\\. Nothing was opened`))
    db.close()
  })

  it('reopens with the same seqs: a live timeline past its cap (first seq over 1) and one with gaps (an import of a filtered export)', async () => {
    const live = createSession({ type: 'ws', name: 'live', maxEvents: 1000 })
    for (let i = 0; i < 1500; i++) live.timeline.append(i % 250 === 0 ? draft('lifecycle', 'warning', { reason: `w${i}` }) : frame(`m${i}`, { time: FIXTURE_TIME + i, dir: i % 2 ? 'in' : 'out' }))
    const gaps = Array.from({ length: 1200 }, (_, i) => event('wire', 'frame', { seq: 3 * i + 7, time: FIXTURE_TIME + i, transport: 'websocket', dir: 'in', data: `g${i}`, size: 2 }))
    const gapped = createSession({ type: 'ws', name: 'gapped', timeline: Timeline.from(gaps) })
    for (const session of [live, gapped]) {
      const result = await useSavedTimelinesStore().save(session)
      if (!result.ok) throw new Error(said(result.error))
      const opened = await (await reloaded()).open(result.saved.id)
      if (!opened.ok) throw new Error(said(opened.error))
      expect(lines(opened.session.timeline.iterate())).toEqual(lines(session.timeline.iterate()))
    }
    expect(gapped.timeline.get(1)!.seq).toBe(10)
  })
})

describe('TimelineAssembly (a reopened timeline built as its events arrive)', () => {
  const limits = { maxEvents: 10, maxBytes: Number.MAX_SAFE_INTEGER }
  const frames = (seqs: number[]) => seqs.map(seq => event('wire', 'frame', { seq, time: FIXTURE_TIME + seq, transport: 'websocket', dir: 'in', data: `f${seq}`, size: 3 }))
  const build = (assembly: TimelineAssembly) => runInSlices(assembly.finish())

  it('appends events whose seqs run on as they come: the frames are kept compact at once, nothing waits in a list', async () => {
    const assembly = new TimelineAssembly(limits)
    const events = [...frames([41, 42]), event('lifecycle', 'warning', { seq: 43, time: FIXTURE_TIME, reason: 'kept' }), ...frames([44, 45])]
    for (const e of events) assembly.add(e)
    const timeline = await build(assembly)
    expect(assembly.count).toBe(5)
    expect([...timeline.iterate()].map(e => e.seq)).toEqual([41, 42, 43, 44, 45])
    expect(timeline.seqNext).toBe(46)
    // The frames' objects were not kept (they are bytes in the timeline), the warning is the object given.
    expect([0, 1, 3, 4].map(i => timeline.objectAt(i))).toEqual([undefined, undefined, undefined, undefined])
    expect(timeline.objectAt(2)).toBe(events[2])
    expect(timeline.maxEvents).toBe(10)
    expect(lines(timeline.iterate())).toEqual(lines(events))
  })

  it('gives what timelineInSlices gives for a list of the same events: gaps in the seqs, seqs that are not positive, none', async () => {
    const cases = [frames([1, 2, 3, 7, 8, 20]), frames([5, 9]), frames([0, 1, 2]), frames([-3, 4]), frames([]), frames([1])]
    for (const events of cases) {
      const assembly = new TimelineAssembly(limits)
      for (const e of events) assembly.add({ ...e })
      const built = await build(assembly)
      const listed = await runInSlices(timelineInSlices(events.map(e => ({ ...e })), limits))
      expect(lines(built.iterate())).toEqual(lines(listed.iterate()))
      expect(built.seqNext).toBe(listed.seqNext)
      expect(built.length).toBe(events.length)
    }
  })
})

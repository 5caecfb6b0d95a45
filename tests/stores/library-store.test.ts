import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LibraryWords } from '../../src/stores/library'
import { useLibraryStore } from '../../src/stores/library'
import { i18n, translate } from '../../src/i18n'
import { LIBRARY_DB_NAME } from '../../src/stores/libraryDb'
import { createSession } from '../../src/stores/session'
import { useSessionsStore } from '../../src/stores/sessions'
import { deleteDatabase } from '../support/indexedDb'

/** What the store said, in English (its messages are catalogue keys; tests read the sentence a person reads). */
function said(words: LibraryWords | undefined): string {
  return words === undefined ? '' : typeof words === 'string' ? words : translate(words)
}

/** A fresh Pinia is what a reload gives: the store must find everything again in IndexedDB. */
async function reloadedStore() {
  setActivePinia(createPinia())
  const library = useLibraryStore()
  await library.load()
  return library
}

/** Each test starts from an empty library database and a fresh Pinia, as on a first visit. */
async function emptyLibrary(): Promise<void> {
  await deleteDatabase(LIBRARY_DB_NAME)
  setActivePinia(createPinia())
}

describe('library store (IndexedDB)', () => {
  beforeEach(emptyLibrary)

  it('keeps a saved connection, with its settings, across a reload', async () => {
    const library = useLibraryStore()
    const session = createSession({ url: 'http://localhost:3000/admin', type: 'socketio' })
    session.sio.auth = '{"token":"letmein"}'
    session.sio.transports = ['websocket']
    await library.savePreset(session, 'admin')

    const after = await reloadedStore()
    expect(after.presets).toHaveLength(1)
    const target = createSession()
    // The list holds what it shows; the whole preset is read when it is used.
    expect(Object.keys(after.presets[0]!).sort()).toEqual(['id', 'name', 'type', 'url'])
    useSessionsStore().applyPreset(target, (await after.getPreset(after.presets[0]!.id))!)
    expect(target).toMatchObject({ url: 'http://localhost:3000/admin', type: 'socketio' })
    expect(target.sio.auth).toBe('{"token":"letmein"}')
    expect(target.sio.transports).toEqual(['websocket'])
  })

  it('saves a message with every argument and puts it back in the composer', async () => {
    const library = useLibraryStore()
    const session = createSession({ type: 'socketio' })
    Object.assign(session.composer, { eventName: 'echo', message: '{"a":1}', extraArgs: [{ text: '42', type: 'number' }], expectAck: true })
    await library.saveSnippet(session, 'echo with ack')
    await library.saveSnippet(session, 'echo with ack') // same name: replaced, not duplicated

    const after = await reloadedStore()
    expect(after.snippets).toHaveLength(1)
    const target = createSession({ type: 'socketio' })
    expect(await after.applySnippet(after.snippets[0]!, target)).toBe(true)
    expect(target.composer).toMatchObject({ eventName: 'echo', message: '{"a":1}', extraArgs: [{ text: '42', type: 'number' }], expectAck: true })
  })

  it('remembers endpoints most recent first, once each, and caps the history', async () => {
    const library = useLibraryStore()
    await library.recordConnection('ws://a', 'ws')
    await library.recordConnection('ws://b', 'ws')
    await library.recordConnection('ws://a', 'ws')
    expect(library.history.map(h => [h.url, h.uses])).toEqual([['ws://a', 2], ['ws://b', 1]])
    for (let i = 0; i < 60; i++) await library.recordConnection(`ws://host-${i}`, 'ws')
    const after = await reloadedStore()
    expect(after.history).toHaveLength(50)
    expect(after.history[0]!.url).toBe('ws://host-59')
  })

  it('round-trips through an exported file', async () => {
    const library = useLibraryStore()
    await library.savePreset(createSession({ url: 'ws://localhost:8080', type: 'ws' }), 'echo')
    const file = await library.exportLibrary()
    await library.deletePreset(library.presets[0]!.id)
    expect(await library.importLibrary(file)).toEqual({ ok: true, presets: 1, snippets: 0 })
    expect((await reloadedStore()).presets.map(p => p.name)).toEqual(['echo'])
  })

  it('exports the text JSON.stringify(library, null, 2) writes, in slices, and reads it back', async () => {
    const library = useLibraryStore()
    for (let i = 0; i < 300; i++) await library.savePreset(createSession({ url: `ws://host-${i}`, type: 'ws' }), `p${String(i).padStart(3, '0')}`)
    await library.saveSnippet(createSession({ type: 'socketio' }), 'hello')
    const text = await (await library.exportLibrary()).text()
    // Whole items (the lists hold summaries), in the lists' order.
    const presets = await Promise.all(library.presets.map(p => library.getPreset(p.id)))
    const snippets = await Promise.all(library.snippets.map(s => library.getSnippet(s.id)))
    expect(presets[0]!.sio).toBeDefined()
    expect(text).toBe(JSON.stringify({ format: 'socketlens-library', version: 1, presets, snippets }, null, 2))
    // What IndexedDB holds is exported, not what a window has read: an empty library is an empty file.
    await emptyLibrary()
    const empty = await useLibraryStore().exportLibrary()
    expect(await empty.text()).toBe(JSON.stringify({ format: 'socketlens-library', version: 1, presets: [], snippets: [] }, null, 2))
  }, 20_000)

  it('says what is wrong with a file in the UI\'s language', async () => {
    const library = useLibraryStore()
    i18n.global.locale.value = 'ko'
    try {
      const result = await library.importLibrary('{"format":"socketlens-library","version":1,"presets":[{"id":1}]}')
      expect(result.ok).toBe(false)
      if (!result.ok) expect(said(result.error)).toBe('프리셋 1: "id"은(는) 텍스트여야 합니다. 아무것도 가져오지 않았습니다.')
    }
    finally {
      i18n.global.locale.value = 'en'
    }
  })

  it.each([
    ['not json', /not valid JSON/],
    ['{"format":"something-else"}', /no "format": "socketlens-library"/],
    ['{"format":"socketlens-library","version":9}', /version 9/],
    ['{"format":"socketlens-library","version":1,"presets":[{"id":"x","name":"ok","url":"ws://a","type":"ws"},{"id":1}]}', /Preset 2: "id" must be text/],
    ['{"format":"socketlens-library","version":1,"snippets":[{"id":"x","name":"n","message":"m","type":"mqtt"}]}', /Saved message 1: "type"/],
  ])('a bad library file (%s) is refused whole and changes nothing', async (text, error) => {
    const library = useLibraryStore()
    await library.savePreset(createSession({ url: 'ws://keep.me', type: 'ws' }), 'keep')
    const result = await library.importLibrary(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(said(result.error)).toMatch(error)
    const after = await reloadedStore()
    expect(after.presets.map(p => p.name)).toEqual(['keep'])
  })
})

function libraryFile(presets: number, snippets = 0, prefix = 'p'): string {
  return JSON.stringify({
    format: 'socketlens-library',
    version: 1,
    presets: Array.from({ length: presets }, (_, i) => ({ id: `${prefix}${i}`, name: `preset ${String(presets - i).padStart(5, '0')}`, url: `ws://host-${i}`, type: 'ws' })),
    snippets: Array.from({ length: snippets }, (_, i) => ({ id: `s${i}`, name: `snippet ${i}`, type: 'ws', message: `m${i}` })),
  })
}

/** A second window: its own Pinia and store over the same database. */
function anotherWindow() {
  const pinia = createPinia()
  setActivePinia(pinia)
  return useLibraryStore()
}

const quota = () => {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
}

describe('library store at scale, across windows and when storage fails', () => {
  beforeEach(emptyLibrary)
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('imports thousands of items in slices with progress, sorted, and a re-import adds nothing', async () => {
    const library = useLibraryStore()
    const phases = new Set<string>()
    const file = libraryFile(3000, 200)
    expect(await library.importLibrary(file, { onProgress: p => phases.add(p.phase) })).toEqual({ ok: true, presets: 3000, snippets: 200 })
    expect(phases.has('saving')).toBe(true)
    expect(library.presets).toHaveLength(3000)
    expect(library.presets[0]!.name).toBe('preset 00001')
    expect(await library.importLibrary(file)).toEqual({ ok: true, presets: 3000, snippets: 200 })
    expect(library.presets).toHaveLength(3000)
    expect(library.snippets).toHaveLength(200)
    const after = await reloadedStore()
    expect(after.presets).toHaveLength(3000)
    expect(after.presets.map(p => p.name)).toEqual([...after.presets.map(p => p.name)].sort((a, b) => a.localeCompare(b)))
  })

  it('keeps a summary of each item on the page and reads the whole one when it is used', async () => {
    const library = useLibraryStore()
    const file = JSON.stringify({
      format: 'socketlens-library',
      version: 1,
      presets: [{ id: 'p', name: 'admin', url: 'ws://admin', type: 'socketio', sio: { auth: '{"token":"t"}', transports: ['websocket'] } }],
      snippets: [{ id: 's', name: 'hello', type: 'socketio', message: '{"a":1}', eventName: 'greet', extraArgs: [{ text: '2', type: 'number' }], expectAck: true }],
    })
    expect(await library.importLibrary(file)).toEqual({ ok: true, presets: 1, snippets: 1 })
    for (const store of [library, await reloadedStore()]) {
      expect(store.presets).toEqual([{ id: 'p', name: 'admin', url: 'ws://admin', type: 'socketio' }])
      expect(store.snippets).toEqual([{ id: 's', name: 'hello', type: 'socketio', eventName: 'greet', message: '{"a":1}' }])
    }
    const after = useLibraryStore()
    expect((await after.getPreset('p'))!.sio).toMatchObject({ auth: '{"token":"t"}', transports: ['websocket'] })
    const target = createSession({ type: 'socketio' })
    expect(await after.applySnippet(after.snippets[0]!, target)).toBe(true)
    expect(target.composer).toMatchObject({ eventName: 'greet', message: '{"a":1}', extraArgs: [{ text: '2', type: 'number' }], expectAck: true })

    // Deleted meanwhile by another window whose word has not arrived: said, and it leaves the list.
    const other = anotherWindow()
    await other.load()
    await other.deletePreset('p')
    expect(await after.getPreset('p')).toBeUndefined()
    expect(said(after.error)).toBe('"admin" is no longer saved (another window deleted it).')
    expect(after.presets).toEqual([])
  })

  it('a cancelled import writes nothing', async () => {
    const library = useLibraryStore()
    await library.savePreset(createSession({ url: 'ws://keep.me' }), 'keep')
    const controller = new AbortController()
    const result = await library.importLibrary(libraryFile(5000), { signal: controller.signal, onProgress: () => controller.abort() })
    expect(result).toMatchObject({ ok: false, cancelled: true })
    expect(library.presets.map(p => p.name)).toEqual(['keep'])
    expect((await reloadedStore()).presets.map(p => p.name)).toEqual(['keep'])
  })

  it('two windows saving under one name keep one item, and each sees the other\'s changes', async () => {
    const a = anotherWindow()
    await a.load()
    const b = anotherWindow()
    await b.load()
    await a.savePreset(createSession({ url: 'ws://from-a' }), 'shared')
    await b.savePreset(createSession({ url: 'ws://from-b' }), 'shared')
    await b.savePreset(createSession({ url: 'ws://only-b' }), 'only in b')
    await vi.waitFor(() => expect(a.presets.map(p => p.name)).toEqual(['only in b', 'shared']))
    expect(a.presets.find(p => p.name === 'shared')!.url).toBe('ws://from-b')
    const after = await reloadedStore()
    expect(after.presets.map(p => [p.name, p.url])).toEqual([['only in b', 'ws://only-b'], ['shared', 'ws://from-b']])
    await a.deletePreset(a.presets.find(p => p.name === 'shared')!.id)
    await vi.waitFor(() => expect(b.presets.map(p => p.name)).toEqual(['only in b']))
  })

  it('a failed save, delete or import is said, and the saved items stay as they were', async () => {
    const library = useLibraryStore()
    await library.savePreset(createSession({ url: 'ws://keep.me' }), 'keep')
    // The edge: IndexedDB itself refuses every write, as with a full disk or in a private window.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(quota)
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(quota)

    expect(await library.savePreset(createSession({ url: 'ws://lost' }), 'lost')).toBeUndefined()
    expect(said(library.error)).toMatch(/Preset "lost" could not be saved \(the browser refused to store more/)
    expect(library.presets.map(p => p.name)).toEqual(['keep'])

    await library.deletePreset(library.presets[0]!.id)
    expect(said(library.error)).toMatch(/"keep" could not be deleted/)
    expect(library.presets.map(p => p.name)).toEqual(['keep'])

    const result = await library.importLibrary(libraryFile(10))
    expect(result).toMatchObject({ ok: false })
    if (!result.ok) expect(said(result.error)).toMatch(/could not be saved.*Nothing was imported/)
    expect(library.presets.map(p => p.name)).toEqual(['keep'])

    vi.restoreAllMocks()
    expect((await reloadedStore()).presets.map(p => p.name)).toEqual(['keep'])
  })
})

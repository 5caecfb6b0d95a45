import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useLibraryStore } from '../../src/stores/library'
import { LIBRARY_DB_NAME } from '../../src/stores/libraryDb'
import { createSession } from '../../src/stores/session'

/** A fresh Pinia is what a reload gives: the store must find everything again in IndexedDB. */
async function reloadedStore() {
  setActivePinia(createPinia())
  const library = useLibraryStore()
  await library.load()
  return library
}

describe('library store (IndexedDB)', () => {
  beforeEach(async () => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(LIBRARY_DB_NAME)
      request.onsuccess = () => resolve()
      request.onerror = () => reject(request.error)
    })
    setActivePinia(createPinia())
  })

  it('keeps a saved connection, with its settings, across a reload', async () => {
    const library = useLibraryStore()
    const session = createSession({ url: 'http://localhost:3000/admin', type: 'socketio' })
    session.sio.auth = '{"token":"letmein"}'
    session.sio.transports = ['websocket']
    await library.savePreset(session, 'admin')

    const after = await reloadedStore()
    expect(after.presets).toHaveLength(1)
    const target = createSession()
    after.applyPreset(after.presets[0]!, target)
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
    after.applySnippet(after.snippets[0]!, target)
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
    const file = library.exportLibrary()
    await library.deletePreset(library.presets[0]!.id)
    expect(await library.importLibrary(file)).toEqual({ ok: true, presets: 1, snippets: 0 })
    expect((await reloadedStore()).presets.map(p => p.name)).toEqual(['echo'])
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
    if (!result.ok) expect(result.error).toMatch(error)
    const after = await reloadedStore()
    expect(after.presets.map(p => p.name)).toEqual(['keep'])
  })
})

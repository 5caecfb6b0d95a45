import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { LIBRARY_DB_NAME, openLibraryDb, putMany, readAllPaged, type LibraryDb, type Preset } from '../../src/stores/libraryDb'
import { checkLibraryFile, parseLibraryFile } from '../../src/stores/libraryFile'
import { defaultSocketIoSettings, defaultWebSocketSettings } from '../../src/stores/session'
import { deleteDatabase } from '../support/indexedDb'

/*
 * Issue 11: a library of 100,000 items is read back a page at a time and checked without keeping the file and its
 * checked copy both alive. Neither may lose or change an item.
 */

function emptyLibrary(): Promise<void> {
  return deleteDatabase(LIBRARY_DB_NAME)
}

const preset = (i: number): Preset => ({
  // Ids whose order is not the order they were made in ("p-10" before "p-2"), across several pages.
  id: `p-${i}`,
  name: `preset ${i}`,
  url: `ws://host-${i}.example/`,
  type: 'ws',
  ws: defaultWebSocketSettings(),
  sio: defaultSocketIoSettings(),
  updatedAt: 1_700_000_000_000 + i,
})

describe('the library read back in pages', () => {
  beforeEach(emptyLibrary)

  it('returns every item once, whole, in as many reads as pages', async () => {
    const db = await openLibraryDb()
    const n = 250 * 3 + 7
    const presets = Array.from({ length: n }, (_, i) => preset(i))
    await putMany(db, { presets, snippets: [] })
    // idb's database is a proxy (no spying on it): readAllPaged reads through getAll alone, counted here.
    const calls: unknown[][] = []
    const counted = { getAll: (...args: Parameters<LibraryDb['getAll']>) => {
      calls.push(args)
      return db.getAll(...args)
    } } as unknown as LibraryDb
    const read = await readAllPaged(counted, 'presets')
    expect(read).toHaveLength(n)
    expect(new Set(read.map(p => p.id)).size).toBe(n)
    const byId = new Map(read.map(p => [p.id, p]))
    for (const p of presets) expect(byId.get(p.id)).toEqual(p)
    // Pages of 250: four reads, none of them of everything.
    expect(calls).toHaveLength(4)
    for (const call of calls) expect(call[2]).toBe(250)
    db.close()
  })

  it('a store of exactly one page, and an empty one', async () => {
    const db = await openLibraryDb()
    expect(await readAllPaged(db, 'snippets')).toEqual([])
    await putMany(db, { presets: Array.from({ length: 250 }, (_, i) => preset(i)), snippets: [] })
    expect(await readAllPaged(db, 'presets')).toHaveLength(250)
    db.close()
  })
})

describe('checking a library file', () => {
  it('lets the file\'s items go as it checks them, and keeps what it checked the same as a one-go parse', () => {
    const file = { format: 'socketlens-library', version: 1, presets: Array.from({ length: 600 }, (_, i) => ({ id: `p${i}`, name: `n${i}`, url: 'ws://x/', type: 'ws', updatedAt: i })), snippets: [{ id: 's', name: 's', type: 'ws', message: 'hi', updatedAt: 1 }] }
    const text = JSON.stringify(file)
    const work = checkLibraryFile(file)
    let step = work.next()
    while (!step.done) step = work.next()
    expect(step.value).toEqual(parseLibraryFile(text))
    expect(file.presets.every(item => item === undefined)).toBe(true)
    expect(file.snippets).toEqual([undefined])
  })

  it('a bad item still names its place, and nothing comes back', () => {
    const file = JSON.stringify({ format: 'socketlens-library', version: 1, presets: [{ id: 'a', name: 'a', url: 'ws://a', type: 'ws' }, { id: 'b', name: 7, url: 'ws://b', type: 'ws' }], snippets: [] })
    expect(parseLibraryFile(file)).toEqual({ ok: false, error: { key: 'library.file.notText', params: { where: { key: 'library.file.preset', params: { n: 2 } }, field: 'name' } } })
  })
})

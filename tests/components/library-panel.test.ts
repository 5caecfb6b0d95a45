/**
 * The Saved panel's name fields: a save takes its name when it is pressed, and what the person types while it is
 * being written stays theirs (tests/e2e/storage.spec.ts, "two windows editing at once", typed a second name right
 * after the first save and, once in a while, saved under the default name instead).
 */
import 'fake-indexeddb/auto'
import type { VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import LibraryPanel from '../../src/components/library/LibraryPanel.vue'
import { useLibraryStore } from '../../src/stores/library'
import { LIBRARY_DB_NAME, openLibraryDb } from '../../src/stores/libraryDb'
import { createSession, type Session } from '../../src/stores/session'
import { useFreshStores } from '../support/freshStores'
import { deleteDatabase } from '../support/indexedDb'
import { mountInDocument } from '../support/mount'

/** The names IndexedDB holds in `store`, read through a connection of its own (what another window would read). */
async function storedNames(store: 'presets' | 'snippets'): Promise<string[]> {
  const db = await openLibraryDb()
  try {
    return (await db.getAll(store)).map(item => item.name).sort()
  }
  finally {
    db.close()
  }
}

/** The panel open on `session`, its name field labelled `label`, and a way to submit that field's form. */
async function openPanel(session: Session, label: 'Preset name' | 'Snippet name') {
  const wrapper = mountInDocument(LibraryPanel, { props: { session } })
  const details = wrapper.get('details')
  ;(details.element as HTMLDetailsElement).open = true
  await details.trigger('toggle')
  const name = wrapper.get(`input[aria-label="${label}"]`)
  const form = name.element.closest('form')!
  return { wrapper, name, submit: () => form.dispatchEvent(new Event('submit', { cancelable: true })) }
}

/** A field's value once every pending promise continuation (the saves' own) has run. */
async function settledValue(wrapper: VueWrapper, label: string): Promise<string> {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0))
    await nextTick()
  }
  return (wrapper.get(`input[aria-label="${label}"]`).element as HTMLInputElement).value
}

describe('the Saved panel\'s name fields', () => {
  useFreshStores()
  beforeEach(() => deleteDatabase(LIBRARY_DB_NAME))

  it('keeps a preset name typed while the last preset is still being written, and saves under it', async () => {
    const session = createSession({ url: 'ws://localhost:8080/a' })
    const { wrapper, name, submit } = await openPanel(session, 'Preset name')

    await name.setValue('shared')
    submit()
    // Cleared at once: the save has its name.
    await nextTick()
    expect((name.element as HTMLInputElement).value).toBe('')
    // The person types the next name before IndexedDB has finished writing the first.
    await name.setValue('only in b')
    await vi.waitFor(async () => expect(await storedNames('presets')).toEqual(['shared']))
    expect(await settledValue(wrapper, 'Preset name')).toBe('only in b')

    submit()
    await vi.waitFor(async () => expect(await storedNames('presets')).toEqual(['only in b', 'shared']))
    expect(useLibraryStore().presets.map(p => p.name)).toEqual(['only in b', 'shared'])
  })

  it('keeps a message name typed while the last message is still being written, and saves under it', async () => {
    const session = createSession({ url: 'ws://localhost:8080/a' })
    session.composer.message = 'hello'
    const { wrapper, name, submit } = await openPanel(session, 'Snippet name')

    await name.setValue('greeting')
    submit()
    await name.setValue('second')
    await vi.waitFor(async () => expect(await storedNames('snippets')).toEqual(['greeting']))
    expect(await settledValue(wrapper, 'Snippet name')).toBe('second')

    submit()
    await vi.waitFor(async () => expect(await storedNames('snippets')).toEqual(['greeting', 'second']))
  })

  it('gives a typed name back when its save fails, unless the person has typed another since', async () => {
    const session = createSession({ url: 'ws://localhost:8080/a' })
    const { wrapper, name, submit } = await openPanel(session, 'Preset name')
    const library = useLibraryStore()
    // The browser refuses the write (a full disk, a private mode that allows no storage).
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    try {
      await name.setValue('refused')
      submit()
      await vi.waitFor(() => expect(library.error).toBeDefined())
      expect(await settledValue(wrapper, 'Preset name')).toBe('refused')
      expect(library.presets).toEqual([])

      await name.setValue('also refused')
      submit()
      await name.setValue('typed meanwhile')
      await vi.waitFor(() => expect(put).toHaveBeenCalledTimes(2))
      expect(await settledValue(wrapper, 'Preset name')).toBe('typed meanwhile')
    }
    finally {
      put.mockRestore()
    }
  })
})

import type { HistoryEntry, LibraryDb, Preset, Snippet } from './libraryDb'
import type { Session } from './session'
import type { ProtocolType } from '@/protocol/types'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import { parseLibraryFile } from './libraryFile'
import { openLibraryDb, plain } from './libraryDb'

const HISTORY_LIMIT = 50

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/**
 * Saved connection presets, saved messages and the endpoint history, kept in IndexedDB so nothing is lost on
 * reload or update. Where IndexedDB is unavailable (some private modes) everything still works for this page,
 * and `error` says that it will not be kept.
 */
export const useLibraryStore = defineStore('library', () => {
  const presets = ref<Preset[]>([])
  const snippets = ref<Snippet[]>([])
  const history = ref<HistoryEntry[]>([])
  const error = ref<string>()
  let db: Promise<LibraryDb | undefined> | undefined

  function database(): Promise<LibraryDb | undefined> {
    db ??= openLibraryDb().catch((e: unknown) => {
      error.value = `Saved items cannot be stored in this browser (${(e as Error).message}); they last until the page closes.`
      return undefined
    })
    return db
  }

  async function load(): Promise<void> {
    const d = await database()
    if (!d) return
    const [p, s, h] = await Promise.all([d.getAll('presets'), d.getAll('snippets'), d.getAll('history')])
    presets.value = p.sort((a, b) => a.name.localeCompare(b.name))
    snippets.value = s.sort((a, b) => a.name.localeCompare(b.name))
    history.value = h.sort((a, b) => b.lastUsedAt - a.lastUsedAt)
  }

  async function write<K extends 'presets' | 'snippets' | 'history'>(store: K, value: K extends 'presets' ? Preset : K extends 'snippets' ? Snippet : HistoryEntry): Promise<void> {
    const d = await database()
    try {
      await d?.put(store, plain(value) as never)
    }
    catch (e) {
      error.value = `Could not save (${(e as Error).message}). It is kept until the page closes.`
    }
  }

  async function remove(store: 'presets' | 'snippets' | 'history', id: string): Promise<void> {
    const d = await database()
    await d?.delete(store, id)
  }

  async function savePreset(session: Session, name: string): Promise<Preset> {
    const existing = presets.value.find(p => p.name === name)
    const preset: Preset = { id: existing?.id ?? newId(), name, url: session.url, type: session.type, ws: plain(session.ws), sio: plain(session.sio), updatedAt: Date.now() }
    presets.value = [...presets.value.filter(p => p.id !== preset.id), preset].sort((a, b) => a.name.localeCompare(b.name))
    await write('presets', preset)
    return preset
  }

  function applyPreset(preset: Preset, session: Session): void {
    session.url = preset.url
    session.type = preset.type
    Object.assign(session.ws, plain(preset.ws))
    Object.assign(session.sio, plain(preset.sio))
  }

  async function deletePreset(id: string): Promise<void> {
    presets.value = presets.value.filter(p => p.id !== id)
    await remove('presets', id)
  }

  async function saveSnippet(session: Session, name: string): Promise<Snippet> {
    const c = session.composer
    const existing = snippets.value.find(s => s.name === name && s.type === session.type)
    const snippet: Snippet = {
      id: existing?.id ?? newId(),
      name,
      type: session.type,
      message: c.message,
      format: c.format,
      eventName: c.eventName,
      firstArgType: c.firstArgType,
      extraArgs: plain(c.extraArgs),
      expectAck: c.expectAck,
      updatedAt: Date.now(),
    }
    snippets.value = [...snippets.value.filter(s => s.id !== snippet.id), snippet].sort((a, b) => a.name.localeCompare(b.name))
    await write('snippets', snippet)
    return snippet
  }

  function applySnippet(snippet: Snippet, session: Session): void {
    const c = session.composer
    c.message = snippet.message
    c.format = snippet.format
    c.eventName = snippet.eventName
    c.firstArgType = snippet.firstArgType
    c.extraArgs = plain(snippet.extraArgs)
    c.expectAck = snippet.expectAck
  }

  async function deleteSnippet(id: string): Promise<void> {
    snippets.value = snippets.value.filter(s => s.id !== id)
    await remove('snippets', id)
  }

  async function recordConnection(url: string, type: ProtocolType): Promise<void> {
    const id = `${type} ${url}`
    const previous = history.value.find(h => h.id === id)
    // Strictly increasing, so two connects in the same millisecond still sort in the order they happened.
    const lastUsedAt = Math.max(Date.now(), (history.value[0]?.lastUsedAt ?? 0) + 1)
    const entry: HistoryEntry = { id, url, type, lastUsedAt, uses: (previous?.uses ?? 0) + 1 }
    const next = [entry, ...history.value.filter(h => h.id !== id)]
    const evicted = next.slice(HISTORY_LIMIT)
    history.value = next.slice(0, HISTORY_LIMIT)
    await write('history', entry)
    for (const old of evicted) await remove('history', old.id)
  }

  async function clearHistory(): Promise<void> {
    const d = await database()
    history.value = []
    await d?.clear('history')
  }

  /** Everything saved, as a file a person can keep or move to another browser. */
  function exportLibrary(): string {
    return JSON.stringify({ format: 'socketlens-library', version: 1, presets: presets.value, snippets: snippets.value }, null, 2)
  }

  /**
   * Merge a library file. It is checked whole before anything is written, so a corrupt or foreign file changes
   * nothing; items with the same id are replaced, everything else is kept.
   */
  async function importLibrary(text: string): Promise<{ ok: true, presets: number, snippets: number } | { ok: false, error: string }> {
    const parsed = parseLibraryFile(text)
    if (!parsed.ok) return parsed
    const d = await database()
    if (d) {
      const tx = d.transaction(['presets', 'snippets'], 'readwrite')
      await Promise.all([
        ...parsed.presets.map(p => tx.objectStore('presets').put(p)),
        ...parsed.snippets.map(s => tx.objectStore('snippets').put(s)),
        tx.done,
      ])
    }
    const byId = <T extends { id: string, name: string }>(current: T[], incoming: T[]) =>
      [...current.filter(c => !incoming.some(i => i.id === c.id)), ...incoming].sort((a, b) => a.name.localeCompare(b.name))
    presets.value = byId(presets.value, parsed.presets)
    snippets.value = byId(snippets.value, parsed.snippets)
    return { ok: true, presets: parsed.presets.length, snippets: parsed.snippets.length }
  }

  return { presets, snippets, history, error, load, savePreset, applyPreset, deletePreset, saveSnippet, applySnippet, deleteSnippet, recordConnection, clearHistory, exportLibrary, importLibrary }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useLibraryStore, import.meta.hot))

import type { Preset, Snippet } from './libraryDb'
import type { PayloadFormat } from './session'
import type { MessageRef } from '@/protocol/message'
import type { ImportProgress } from '@/timeline/importCommon'
import { message } from '@/protocol/message'
import { argumentDraftsFrom, argumentTypeFrom, isRecord, socketIoSettingsFrom, webSocketSettingsFrom } from './savedSettings'

/** A file's problem is a message (src/i18n/messages/<locale>/library.ts, `library.file.*`), put into words by the UI. */
export type LibraryFileResult = { ok: true, presets: Preset[], snippets: Snippet[] } | { ok: false, error: MessageRef }

const FORMATS = new Set<PayloadFormat>(['text', 'json', 'binary'])

type Check<T> = { ok: true, value: T } | { ok: false, error: MessageRef }

/** The first of `keys` whose value is not a string, if any. */
function notText(item: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) if (typeof item[key] !== 'string') return key
  return undefined
}

const PRESET_TEXT = ['id', 'name', 'url'] as const
const SNIPPET_TEXT = ['id', 'name', 'message'] as const

/*
 * The checks allocate nothing for a good item but the item itself (the words of a problem only when there is one):
 * a 100,000-item file makes no garbage to collect while it is checked (issue 11: long tasks in "Checking").
 */
function parsePreset(item: unknown, index: number): Check<Preset> {
  const where = () => message('library.file.preset', { n: index + 1 })
  if (!isRecord(item)) return { ok: false, error: message('library.file.notObject', { where: where() }) }
  const field = notText(item, PRESET_TEXT)
  if (field !== undefined) return { ok: false, error: message('library.file.notText', { where: where(), field }) }
  if (item.type !== 'ws' && item.type !== 'socketio') return { ok: false, error: message('library.file.badType', { where: where() }) }
  return {
    ok: true,
    value: {
      id: item.id as string,
      name: item.name as string,
      url: item.url as string,
      type: item.type,
      ws: webSocketSettingsFrom(item.ws),
      sio: socketIoSettingsFrom(item.sio),
      updatedAt: typeof item.updatedAt === 'number' ? item.updatedAt : Date.now(),
    },
  }
}

function parseSnippet(item: unknown, index: number): Check<Snippet> {
  const where = () => message('library.file.snippet', { n: index + 1 })
  if (!isRecord(item)) return { ok: false, error: message('library.file.notObject', { where: where() }) }
  const field = notText(item, SNIPPET_TEXT)
  if (field !== undefined) return { ok: false, error: message('library.file.notText', { where: where(), field }) }
  if (item.type !== 'ws' && item.type !== 'socketio') return { ok: false, error: message('library.file.badType', { where: where() }) }
  return {
    ok: true,
    value: {
      id: item.id as string,
      name: item.name as string,
      type: item.type,
      message: item.message as string,
      format: FORMATS.has(item.format as PayloadFormat) ? item.format as PayloadFormat : 'text',
      eventName: typeof item.eventName === 'string' ? item.eventName : 'message',
      firstArgType: argumentTypeFrom(item.firstArgType),
      extraArgs: argumentDraftsFrom(item.extraArgs),
      expectAck: item.expectAck === true,
      updatedAt: typeof item.updatedAt === 'number' ? item.updatedAt : Date.now(),
    },
  }
}

/** Parse the file's text; a parse failure reads as a sentence. */
export function parseLibraryJson(text: string): { ok: true, value: unknown } | { ok: false, error: MessageRef } {
  try {
    return { ok: true, value: JSON.parse(text) }
  }
  catch (e) {
    return { ok: false, error: notJson((e as Error).message) }
  }
}

export const notJson = (reason: string): MessageRef => message('library.file.notJson', { reason })


/**
 * Check a whole parsed library file before anything is written: a bad one changes nothing. A generator, so a file
 * of 100,000 items can be checked in time slices (`runInSlices`); it yields its progress every few hundred items.
 * Items with the same id in one file: the last one wins. It consumes `data`: each checked item of its lists is
 * cleared from them (the checked copy is what is kept).
 */
export function* checkLibraryFile(data: unknown): Generator<ImportProgress | undefined, LibraryFileResult> {
  if (!isRecord(data) || data.format !== 'socketlens-library')
    return { ok: false, error: message('library.file.noFormat') }
  if (data.version !== 1)
    return { ok: false, error: message('library.file.version', { version: String(data.version).slice(0, 40) }) }
  const rawPresets: unknown[] = Array.isArray(data.presets) ? data.presets : []
  const rawSnippets: unknown[] = Array.isArray(data.snippets) ? data.snippets : []
  const total = rawPresets.length + rawSnippets.length
  const presets = new Map<string, Preset>()
  for (let i = 0; i < rawPresets.length; i++) {
    const parsed = parsePreset(rawPresets[i], i)
    if (!parsed.ok) return parsed
    // The file's item is checked and copied: let it go now, so the file and its copy are not both alive while the
    // copy is saved (100,000 items twice made the garbage collector's pauses the longest tasks of an import).
    rawPresets[i] = undefined
    presets.set(parsed.value.id, parsed.value)
    // A pause point every 32 items (a slice ends on time), the count every 256.
    if (i % 256 === 255) yield { phase: 'checking', done: i + 1, total }
    else if (i % 32 === 31) yield undefined
  }
  const snippets = new Map<string, Snippet>()
  for (let i = 0; i < rawSnippets.length; i++) {
    const parsed = parseSnippet(rawSnippets[i], i)
    if (!parsed.ok) return parsed
    rawSnippets[i] = undefined
    snippets.set(parsed.value.id, parsed.value)
    if (i % 256 === 255) yield { phase: 'checking', done: rawPresets.length + i + 1, total }
    else if (i % 32 === 31) yield undefined
  }
  return { ok: true, presets: [...presets.values()], snippets: [...snippets.values()] }
}

/** Parse and check a file in one go, for small files and tests. */
export function parseLibraryFile(text: string): LibraryFileResult {
  const parsed = parseLibraryJson(text)
  if (!parsed.ok) return parsed
  const work = checkLibraryFile(parsed.value)
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

/**
 * A library file as resumable work for `runInSlices`: the text `JSON.stringify({ format, version, presets, snippets },
 * null, 2)` writes, item by item, gathered into a Blob a few hundred items at a time.
 */
export function* libraryFileInSlices(presets: readonly Preset[], snippets: readonly Snippet[]): Generator<undefined, Blob> {
  let blob = new Blob([])
  let text = '{\n  "format": "socketlens-library",\n  "version": 1,\n'
  const lists: [string, readonly unknown[]][] = [['presets', presets], ['snippets', snippets]]
  for (let l = 0; l < lists.length; l++) {
    const [key, list] = lists[l]!
    if (list.length === 0) text += `  "${key}": []`
    else {
      text += `  "${key}": [\n`
      for (let i = 0; i < list.length; i++) {
        text += `${i > 0 ? ',\n' : ''}    ${JSON.stringify(list[i], null, 2).replace(/\n/g, '\n    ')}`
        // A pause point every 32 items (an item's JSON with its settings is a few dozen microseconds), and the text
        // so far into the Blob every 256, so no slice runs long past its budget.
        if ((i & 255) === 255) {
          blob = new Blob([blob, text])
          text = ''
          yield
        }
        else if ((i & 31) === 31) yield
      }
      text += '\n  ]'
    }
    text += l < lists.length - 1 ? ',\n' : '\n}'
  }
  return new Blob([blob, text], { type: 'application/json' })
}

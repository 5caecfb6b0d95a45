import type { ItemStore, LibraryDb, Preset, PresetSummary, Snippet, SnippetSummary } from './libraryDb'
import type { MessageRef } from '@/protocol/message'
import type { ImportProgress } from '@/timeline/importCommon'
import { message } from '@/protocol/message'
import { PROGRESS_MS, runInSlices } from '@/timeline/importCommon'
import { putMany, readPages, summaryOf } from './libraryDb'
import { checkLibraryFile, libraryFileInSlices, parseLibraryJson } from './libraryFile'
import { sortInSlicesByName } from './libraryList'

/*
 * The library's big jobs: reading the list back, importing a file, exporting everything. Each runs in a module
 * Worker (library.worker.ts, started by libraryWorker.ts), so the page never holds 100,000 whole items: it gets
 * the summaries its list shows, in chunks, each a short task. Where no Worker runs (vitest, an old browser) the same
 * code runs on the page, in time slices.
 */

export type LibraryJob =
  | { job: 'read' }
  | { job: 'import', source: Blob | string }
  | { job: 'export' }

/** What a job tells the page. The last reply of a job is one of `LibraryJobEnd`. */
export type LibraryJobReply =
  | { type: 'progress', progress: ImportProgress }
  /** Summaries of a store, a chunk at a time, the chunks together in name order. */
  | { type: 'summaries', store: ItemStore, items: (PresetSummary | SnippetSummary)[] }
  /** The whole items of an import where there is no database (on the page only): this page keeps them. */
  | { type: 'items', presets: Preset[], snippets: Snippet[] }
  | LibraryJobEnd

export type LibraryJobEnd =
  | { type: 'done', presets: number, snippets: number }
  | { type: 'file', blob: Blob }
  /** A file that cannot be imported: the sentence, ending "Nothing was imported." */
  | { type: 'refused', error: MessageRef }
  /** The write failed (quota, private mode): the browser's error, by name and words. */
  | { type: 'notSaved', error: { name?: string, message: string } }
  | { type: 'cancelled' }
  | { type: 'failed', message: string }

export const isJobEnd = (reply: LibraryJobReply): reply is LibraryJobEnd =>
  reply.type !== 'progress' && reply.type !== 'summaries' && reply.type !== 'items'

/** Summaries per message: 2,000 small objects are a millisecond or two of cloning on the page. */
const SUMMARY_CHUNK = 2000

export interface JobContext {
  post: (reply: LibraryJobReply) => void
  signal: AbortSignal
  /** Longest stretch between two pauses: short on the page, longer in a worker (where it only delays a cancel). */
  budgetMs: number
  /** Items per write chunk (putMany). */
  chunk?: number
  /** Items per read (a worker reads bigger pages: fewer round trips, and no page of its own to keep responsive). */
  pageSize?: number
}

/** Run a job to its end; every outcome, a failure too, is a reply. */
export async function runLibraryJob(job: LibraryJob, db: LibraryDb | undefined, context: JobContext): Promise<void> {
  const { post, signal } = context
  try {
    if (job.job === 'read') await readJob(db, context)
    else if (job.job === 'export') await exportJob(db, context)
    else await importJob(job.source, db, context)
  }
  catch (e) {
    post(signal.aborted ? { type: 'cancelled' } : { type: 'failed', message: (e as Error)?.message ?? String(e) })
  }
}

function postSummaries(store: ItemStore, items: (PresetSummary | SnippetSummary)[], post: JobContext['post']): void {
  for (let i = 0; i < items.length; i += SUMMARY_CHUNK) post({ type: 'summaries', store, items: items.slice(i, i + SUMMARY_CHUNK) })
}

/** Every saved item's summary, store by store, in name order. */
async function readJob(db: LibraryDb | undefined, { post, signal, budgetMs, pageSize }: JobContext): Promise<void> {
  let counts = { presets: 0, snippets: 0 }
  if (db) {
    for (const store of ['presets', 'snippets'] as const) {
      const summaries: (PresetSummary | SnippetSummary)[] = []
      await readPages(db, store, (page) => {
        for (const item of page) summaries.push(summaryOf(store, item as never))
      }, { signal, pageSize })
      postSummaries(store, await runInSlices(sortInSlicesByName(summaries), { signal, budgetMs }), post)
      counts = { ...counts, [store]: summaries.length }
    }
  }
  post({ type: 'done', ...counts })
}

/** Everything saved as a library file (name order, as the list shows it). */
async function exportJob(db: LibraryDb | undefined, { post, signal, budgetMs, pageSize }: JobContext): Promise<void> {
  const lists = { presets: [] as Preset[], snippets: [] as Snippet[] }
  if (db) {
    for (const store of ['presets', 'snippets'] as const) {
      const all: (Preset | Snippet)[] = []
      await readPages(db, store, (page) => {
        for (const item of page) all.push(item)
      }, { signal, pageSize })
      lists[store] = await runInSlices(sortInSlicesByName(all), { signal, budgetMs }) as never
    }
  }
  post({ type: 'file', blob: await runInSlices(libraryFileInSlices(lists.presets, lists.snippets), { signal, budgetMs }) })
}

/**
 * Parse, check and write a library file. It is checked whole before anything is written and written in one
 * transaction, so a corrupt file, a failed write or a cancel changes nothing; items with the same id replace the
 * saved ones (a re-import adds nothing). Then the page gets the summaries of what was imported, in name order.
 */
async function importJob(source: Blob | string, db: LibraryDb | undefined, { post, signal, budgetMs, chunk }: JobContext): Promise<void> {
  let toldAt = -Infinity
  let toldPhase: string | undefined
  const tell = (progress: ImportProgress) => {
    const at = performance.now()
    if (progress.phase === toldPhase && at - toldAt < PROGRESS_MS) return
    toldAt = at
    toldPhase = progress.phase
    post({ type: 'progress', progress })
  }
  tell({ phase: 'reading', done: 0, total: 0 })
  const json = parseLibraryJson(typeof source === 'string' ? source : await source.text())
  signal.throwIfAborted()
  if (!json.ok) return post({ type: 'refused', error: message('library.file.notImported', { problem: json.error }) })
  const parsed = await runInSlices(checkLibraryFile(json.value), { signal, budgetMs, onProgress: tell })
  if (!parsed.ok) return post({ type: 'refused', error: message('library.file.notImported', { problem: parsed.error }) })
  const total = parsed.presets.length + parsed.snippets.length
  if (db) {
    try {
      await putMany(db, parsed, { signal, onProgress: done => tell({ phase: 'saving', done, total }), ...(chunk ? { chunk, budgetMs } : {}) })
    }
    catch (e) {
      if (signal.aborted) throw e
      const error = e as { name?: string, message?: string }
      return post({ type: 'notSaved', error: { name: error?.name, message: error?.message || String(e) } })
    }
  }
  else {
    post({ type: 'items', presets: parsed.presets, snippets: parsed.snippets })
  }
  // Written: from here on the import is done (a cancel now would only hide it), and no signal stops it.
  tell({ phase: 'sorting', done: 0, total })
  for (const store of ['presets', 'snippets'] as const) {
    const summaries = (parsed[store] as (Preset | Snippet)[]).map(item => summaryOf(store, item as never))
    postSummaries(store, await runInSlices(sortInSlicesByName(summaries), { budgetMs }), post)
  }
  post({ type: 'done', presets: parsed.presets.length, snippets: parsed.snippets.length })
}

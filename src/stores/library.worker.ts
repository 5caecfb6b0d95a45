/**
 * The library's big jobs off the page's thread (libraryJobs.ts): a 100,000-item import is parsed, checked and
 * written here, where IndexedDB works too, and the page gets progress and the summaries its list shows. One job per
 * worker; `{ cancel: true }` stops it (a write in progress is aborted whole). Started by libraryWorker.ts.
 */
import type { LibraryDb } from './libraryDb'
import type { LibraryJob, LibraryJobReply } from './libraryJobs'
import { openLibraryDb } from './libraryDb'
import { runLibraryJob } from './libraryJobs'

export type LibraryWorkerRequest = LibraryJob | { cancel: true }

const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<LibraryWorkerRequest>) => void) | null, postMessage: (reply: LibraryJobReply) => void }
const controller = new AbortController()
let database: Promise<LibraryDb> | undefined

scope.onmessage = async (event) => {
  const request = event.data
  if ('cancel' in request) {
    controller.abort(new DOMException('The import was cancelled.', 'AbortError'))
    return
  }
  let db: LibraryDb
  try {
    db = await (database ??= openLibraryDb())
  }
  catch (e) {
    scope.postMessage({ type: 'failed', message: (e as Error)?.message ?? String(e) })
    return
  }
  // A worker's thread is its own: long slices only delay a cancel, and big write chunks make fewer round trips.
  await runLibraryJob(request, db, { post: reply => scope.postMessage(reply), signal: controller.signal, budgetMs: 50, chunk: 2000, pageSize: 1000 })
  db.close()
}

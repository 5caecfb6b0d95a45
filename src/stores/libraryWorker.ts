import type { LibraryDb } from './libraryDb'
import type { LibraryJob, LibraryJobReply } from './libraryJobs'
import type { LibraryWorkerRequest } from './library.worker'
import { isJobEnd, runLibraryJob } from './libraryJobs'

/**
 * Run a library job (libraryJobs.ts) in a module Worker, `onReply` getting each of its replies on the page; resolves
 * after its last one. `signal` asks the job to stop (it answers `cancelled`, or `done` if its write had already
 * committed). Where there is no Worker (vitest, jsdom), it cannot start, or there is no database (the job needs to
 * hand the items back), the same code runs here, in time slices.
 */
export function startLibraryJob(job: LibraryJob, db: LibraryDb | undefined, onReply: (reply: LibraryJobReply) => void, signal?: AbortSignal): Promise<void> {
  const here = () => runLibraryJob(job, db, { post: onReply, signal: signal ?? new AbortController().signal, budgetMs: 8 })
  if (signal?.aborted) {
    onReply({ type: 'cancelled' })
    return Promise.resolve()
  }
  let worker: Worker | undefined
  try {
    worker = db && typeof Worker === 'function' ? new Worker(new URL('./library.worker.ts', import.meta.url), { type: 'module' }) : undefined
  }
  catch {
    worker = undefined
  }
  if (!worker) return here()
  const running = worker
  return new Promise<void>((resolve) => {
    let heard = false
    const finish = () => {
      running.terminate()
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    const onAbort = () => running.postMessage({ cancel: true } satisfies LibraryWorkerRequest)
    signal?.addEventListener('abort', onAbort, { once: true })
    running.onmessage = (event: MessageEvent<LibraryJobReply>) => {
      heard = true
      onReply(event.data)
      if (isJobEnd(event.data)) finish()
    }
    running.onerror = (event) => {
      event.preventDefault()
      // A worker that cannot load (a policy, an old browser): the job runs here instead. One that failed midway
      // has written nothing (its transaction dies with it): say so.
      if (!heard) {
        running.terminate()
        signal?.removeEventListener('abort', onAbort)
        void here().then(resolve)
        return
      }
      onReply({ type: 'failed', message: event.message || 'the library worker stopped' })
      finish()
    }
    running.postMessage(job satisfies LibraryWorkerRequest)
  })
}

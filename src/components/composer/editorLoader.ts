import type { InjectionKey } from 'vue'
import { receivedWithin } from '@/protocol/worker/thread'

/**
 * The code editor's module, imported on first use: its own chunk, so CodeMirror is not in the app's first bundle.
 * One promise for every field, so the chunk is fetched once.
 */
let loading: Promise<typeof import('./editor/codeMirror')> | undefined

export function loadCodeMirror(): Promise<typeof import('./editor/codeMirror')> {
  loading ??= import('./editor/codeMirror')
  loading.catch(() => {
    // A failed fetch (offline before the chunk was cached) leaves the textarea; the next field may try again.
    loading = undefined
  })
  return loading
}

/** An idle period this long means no frame is pending: the page is not drawing, not receiving a stream. */
const QUIET_MS = 40
/** No events from the driver Worker for this long: the stream paused. */
const STREAM_QUIET_MS = 500
/** After this long the editor loads at the next idle moment, quiet or not (a stream may never stop). */
const LONGEST_WAIT_MS = 60_000

let quiet: Promise<void> | undefined

/**
 * Resolves when the page is quiet: an idle period of 40 ms or more, which the browser grants only when no frame is
 * pending, and no batch of events from the driver Worker for 500 ms — not while a deep-linked session's stream arrives
 * and the timeline draws it. Loading the editor's chunk
 * then keeps its compile and set-up (tens of ms) out of a flood; a field the person focuses loads it at once
 * instead (`loadCodeMirror`). Bounded: after a minute the next idle moment will do. One wait for every field.
 */
export function whenQuiet(): Promise<void> {
  quiet ??= new Promise<void>((resolve) => {
    const started = performance.now()
    const idle = globalThis.requestIdleCallback
    if (typeof idle !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    const check = (deadline: IdleDeadline) => {
      // With the drivers in their Worker the UI thread idles during a stream too: a stream's batches count as busy.
      const quietNow = deadline.timeRemaining() >= QUIET_MS && !receivedWithin(STREAM_QUIET_MS)
      if (quietNow || performance.now() - started > LONGEST_WAIT_MS) resolve()
      else idle(check)
    }
    idle(check)
  })
  return quiet
}

/**
 * Provide `true` under this key to keep the composer's fields plain textareas (the editor is not loaded): the
 * component tests in happy-dom do, where CodeMirror's layout measurements have no layout to measure.
 */
export const PLAIN_EDITOR: InjectionKey<boolean> = Symbol('plainEditor')

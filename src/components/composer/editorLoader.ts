import type { InjectionKey } from 'vue'

/** Fields load the editor when the page is first quiet, however long that takes, or once the person reaches for one. */
export { whenQuiet } from '@/whenQuiet'

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

/**
 * Provide `true` under this key to keep the composer's fields plain textareas (the editor is not loaded): the
 * component tests in happy-dom do, where CodeMirror's layout measurements have no layout to measure.
 */
export const PLAIN_EDITOR: InjectionKey<boolean> = Symbol('plainEditor')

import type { Ref } from 'vue'
import type { NamedItem } from '@/stores/libraryList'
import { onScopeDispose, shallowRef, watch } from 'vue'
import { searchInSlices } from '@/stores/libraryList'
import { runInSlices } from '@/timeline/importCommon'

/**
 * Items of `list` that match `query` (name or `fields`, case-insensitive). Over a big library the search runs in
 * time slices, a new keystroke cancels the previous one, and the last results stay shown until the new ones are in.
 */
export function useLibrarySearch<T extends NamedItem>(list: Readonly<Ref<readonly T[]>>, query: Readonly<Ref<string>>, fields: (item: T) => string): Readonly<Ref<readonly T[]>> {
  const results = shallowRef<readonly T[]>(list.value)
  let running: AbortController | undefined
  watch([list, query], async ([items, q]) => {
    running?.abort()
    if (!q.trim()) {
      results.value = items
      return
    }
    const controller = new AbortController()
    running = controller
    try {
      results.value = await runInSlices(searchInSlices(items, q, fields), { signal: controller.signal })
    }
    catch {
      // Superseded by a newer search.
    }
  }, { immediate: true })
  onScopeDispose(() => running?.abort())
  return results
}

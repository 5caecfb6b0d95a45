import type { Ref } from 'vue'
import { ref } from 'vue'
import type { NamedItem } from '@/stores/libraryList'
import { onScopeDispose, shallowRef, watch } from 'vue'
import { searchInSlices } from '@/stores/libraryList'
import { runInSlices } from '@/timeline/importCommon'

/**
 * Items of `list` that match `query` (name or `fields`, case-insensitive). Over a big library the search runs in
 * time slices, a new keystroke cancels the previous one, and the last results stay shown until the new ones are in
 * (`searching` is true meanwhile).
 */
export function useLibrarySearch<T extends NamedItem>(list: Readonly<Ref<readonly T[]>>, query: Readonly<Ref<string>>, fields: (item: T) => string): { results: Readonly<Ref<readonly T[]>>, searching: Readonly<Ref<boolean>> } {
  const results = shallowRef<readonly T[]>(list.value)
  const searching = ref(false)
  let running: AbortController | undefined
  watch([list, query], async ([items, q]) => {
    running?.abort()
    if (!q.trim()) {
      results.value = items
      searching.value = false
      return
    }
    const controller = new AbortController()
    running = controller
    searching.value = true
    try {
      results.value = await runInSlices(searchInSlices(items, q, fields), { signal: controller.signal })
      searching.value = false
    }
    catch {
      // Superseded by a newer search, which owns `searching` now.
    }
  }, { immediate: true })
  onScopeDispose(() => running?.abort())
  return { results, searching }
}

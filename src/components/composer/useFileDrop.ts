import { ref, type Ref } from 'vue'
import { carriesFiles, firstFile } from './attachFile'

/**
 * A composer that takes a file dropped on it: `dragging` while files hover (the template outlines the form and says
 * what a drop does), and the first dropped file handed to `take`. Drags that carry no file (text) are left alone.
 */
export function useFileDrop(take: (file: File) => Promise<void> | void): {
  dragging: Ref<boolean>
  onDragOver: (event: DragEvent) => void
  onDrop: (event: DragEvent) => Promise<void>
} {
  const dragging = ref(false)
  function onDragOver(event: DragEvent): void {
    if (!carriesFiles(event)) return
    event.preventDefault()
    dragging.value = true
  }
  async function onDrop(event: DragEvent): Promise<void> {
    dragging.value = false
    const file = firstFile(event.dataTransfer?.files)
    if (!file) return
    event.preventDefault()
    await take(file)
  }
  return { dragging, onDragOver, onDrop }
}

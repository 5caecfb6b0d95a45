/**
 * Where a navigation key moves the selection in the list (an index), or undefined when the key is not one of ours.
 * With nothing selected, the arrows start from the rows on screen.
 */
export function navigationTarget(key: string, current: number, firstVisible: number, page: number, count: number): number | undefined {
  switch (key) {
    case 'ArrowDown': return current < 0 ? firstVisible : current + 1
    case 'ArrowUp': return current < 0 ? firstVisible + page : current - 1
    case 'PageDown': return current < 0 ? firstVisible : current + page
    case 'PageUp': return current < 0 ? firstVisible : current - page
    case 'Home': return 0
    case 'End': return count - 1
    default: return undefined
  }
}

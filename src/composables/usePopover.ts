import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/**
 * A popover closes on a click outside it or on Escape, so it never hides the controls beneath. `isOpen` and `close`
 * say how this one opens (a `<details>` element, a flag); on Escape the focus goes back to `returnFocus`, if given.
 */
export function usePopover(root: Ref<HTMLElement | undefined>, options: {
  isOpen: () => boolean
  close: () => void
  returnFocus?: () => HTMLElement | null | undefined
}): void {
  function onPointerDown(event: PointerEvent): void {
    if (options.isOpen() && root.value && !root.value.contains(event.target as Node)) options.close()
  }
  function onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !options.isOpen()) return
    options.close()
    options.returnFocus?.()?.focus()
  }
  onMounted(() => {
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeydown)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onPointerDown)
    document.removeEventListener('keydown', onKeydown)
  })
}

/** `usePopover` for a `<details>` menu: open is its `open`, and Escape returns the focus to its `<summary>`. */
export function useDetailsPopover(menu: Ref<HTMLDetailsElement | undefined>): void {
  usePopover(menu, {
    isOpen: () => menu.value?.open === true,
    close: () => { if (menu.value) menu.value.open = false },
    returnFocus: () => menu.value?.querySelector('summary'),
  })
}

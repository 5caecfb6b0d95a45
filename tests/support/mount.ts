/** Mounting components into the document, and waiting for what they draw on the next animation frame. */
import { mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'

/**
 * What a tick shows, as a browser would draw it: the animation frame that finds new events, Vue's render in a task
 * right after it (useTimelineTick: a MessageChannel message posted from the frame's callback, delivered before a
 * timer set after it), and the next frame, whose callbacks write the timeline list's rows and scroll position.
 */
export async function nextFrame(): Promise<void> {
  await new Promise<void>(resolve => requestAnimationFrame(() => resolve()))
  await new Promise<void>(resolve => setTimeout(resolve, 0))
  await nextTick()
  await new Promise<void>(resolve => requestAnimationFrame(() => resolve()))
  await nextTick()
  await nextTick()
}

const mounted: VueWrapper[] = []

/**
 * `mount` into document.body, where focus and keyboard handling work; `unmountAll()` (in the suite's afterEach)
 * unmounts it. Typed as `mount` itself: the same overloads, the same wrapper type.
 */
export const mountInDocument = ((component: Parameters<typeof mount>[0], options?: Parameters<typeof mount>[1]) => {
  const wrapper = mount(component, { ...options, attachTo: document.body })
  mounted.push(wrapper)
  return wrapper
}) as typeof mount

/** Unmounts one wrapper now (a remount, as on a tab switch), and lets `unmountAll` forget it. */
export function unmount(wrapper: VueWrapper): void {
  const at = mounted.indexOf(wrapper)
  if (at >= 0) mounted.splice(at, 1)
  wrapper.unmount()
}

/** Unmounts every wrapper `mountInDocument` made and `unmount` did not. */
export function unmountAll(): void {
  for (const wrapper of mounted.splice(0)) wrapper.unmount()
}

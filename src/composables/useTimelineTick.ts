import type { MaybeRefOrGetter, Ref } from 'vue'
import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import type { Timeline } from '@/timeline/timeline'

export interface UseTimelineTickOptions {
  /**
   * While the timeline is busy (more than `busyEvents` appended between two ticks), tick at most this often.
   * Every tick re-renders and repaints what shows the timeline, and in a 10,000-frames-a-second flood that
   * rendering, not the appends, is what slows the browser's receive rate; nobody reads rows at 60 Hz anyway.
   * @default 100
   */
  busyIntervalMs?: number
  /**
   * Appends between two ticks above which a tick counts as busy.
   * @default 64
   */
  busyEvents?: number
  /**
   * The timeline is busy once at least 3 ticks in a row, over at least this long, were busy: a flood, not one
   * large batch (an import, a test appending synchronously).
   * @default 250
   */
  busySustainMs?: number
}

export interface UseTimelineTickReturn {
  /**
   * Bumped at most once per animation frame after the timeline grew or was cleared (the timeline's one shared
   * tick), and once more when the caller's getter hands it another timeline.
   */
  tick: Readonly<Ref<number>>
  /** Stop listening (also done when the calling scope is disposed). */
  stop: () => void
}

const schedule: (callback: () => void) => number = typeof requestAnimationFrame === 'function'
  ? callback => requestAnimationFrame(callback)
  : callback => setTimeout(callback, 16) as unknown as number
const cancel: (handle: number) => void = typeof cancelAnimationFrame === 'function'
  ? handle => cancelAnimationFrame(handle)
  : handle => clearTimeout(handle)

/** The one tick of one timeline, shared by everything that shows it. */
interface SharedTick {
  readonly tick: Readonly<Ref<number>>
  /** Components and composables holding it; the last release stops it. */
  users: number
  stop: () => void
}

const shared = new WeakMap<Timeline, SharedTick>()

/**
 * The one bridge from the hot path to Vue: the timeline calls us once after an append, we wait for the next
 * animation frame, bump a single shallowRef and acknowledge, so a flood costs the UI at most one update per
 * frame — and, while it lasts, one per `busyIntervalMs` — never one per event.
 */
function startTick(timeline: Timeline, options: UseTimelineTickOptions): SharedTick {
  const { busyIntervalMs = 100, busyEvents = 64, busySustainMs = 250 } = options
  const tick = shallowRef(0)
  let frame: number | undefined
  let delay: ReturnType<typeof setTimeout> | undefined
  let seenVersion = timeline.version
  let lastFlush = 0
  let busy = false
  /** Busy ticks in a row, and when the first of them was. */
  let busyTicks = 0
  let busySince = 0

  function flush(): void {
    frame = undefined
    const version = timeline.version
    lastFlush = performance.now()
    if (version - seenVersion > busyEvents) {
      if (busyTicks++ === 0) busySince = lastFlush
    }
    else {
      busyTicks = 0
    }
    busy = busyTicks >= 3 && lastFlush - busySince >= busySustainMs
    seenVersion = version
    // Acknowledge before bumping: appends made while Vue re-renders notify us again.
    timeline.acknowledge()
    tick.value++
  }

  function onGrow(): void {
    if (frame !== undefined || delay !== undefined) return
    const wait = busy ? lastFlush + busyIntervalMs - performance.now() : 0
    if (wait > 1) {
      delay = setTimeout(() => {
        delay = undefined
        frame = schedule(flush)
      }, wait)
    }
    else {
      frame = schedule(flush)
    }
  }

  const unsubscribe = timeline.subscribe(onGrow)
  // Anything appended before we subscribed is shown on the next frame.
  onGrow()

  return {
    tick,
    users: 0,
    stop() {
      unsubscribe()
      if (frame !== undefined) cancel(frame)
      clearTimeout(delay)
      frame = undefined
      delay = undefined
    },
  }
}

function acquire(timeline: Timeline, options: UseTimelineTickOptions): SharedTick {
  let entry = shared.get(timeline)
  if (!entry) {
    entry = startTick(timeline, options)
    shared.set(timeline, entry)
  }
  entry.users++
  return entry
}

function release(timeline: Timeline, entry: SharedTick): void {
  if (--entry.users > 0) return
  entry.stop()
  if (shared.get(timeline) === entry) shared.delete(timeline)
}

/** How many users hold the timeline's shared tick (0: none runs). For tests and the benchmark. */
export function timelineTickUsers(timeline: Timeline): number {
  return shared.get(timeline)?.users ?? 0
}

/**
 * The timeline's UI tick. There is one per timeline, shared and reference-counted: the first user starts it, the
 * last one to stop (or whose scope is disposed) stops it, so the panel, the status bar, the namespaces and the
 * diagnosis banner of a session re-render on the same frame and the timeline is acknowledged once. `options` tune
 * the tick the first user starts (later users share it as it is). Everything that reads the timeline depends on
 * `tick`.
 */
export function useTimelineTick(timeline: MaybeRefOrGetter<Timeline>, options: UseTimelineTickOptions = {}): UseTimelineTickReturn {
  const entry = shallowRef<SharedTick>()
  let held: Timeline | undefined
  /** Keeps this user's tick rising when the getter hands it another timeline, whose tick may be lower. */
  let base = 0
  let started = false
  const tick = computed(() => (entry.value?.tick.value ?? 0) + base)

  function stop(): void {
    if (!held || !entry.value) return
    // A stopped user's tick stays where it was, whatever the shared one does next.
    const last = tick.value
    release(held, entry.value)
    held = undefined
    base = last
    entry.value = undefined
  }

  const stopWatch = watch(() => toValue(timeline), (next) => {
    if (next === held) return
    const before = started ? tick.value : -1
    started = true
    stop()
    const acquired = acquire(next, options)
    held = next
    base = before + 1 - acquired.tick.value
    entry.value = acquired
  }, { immediate: true })

  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopWatch()
      stop()
    })
  }

  return { tick, stop }
}

import type { MaybeRefOrGetter, Ref } from 'vue'
import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue'
import type { Timeline } from '@/timeline/timeline'

/**
 * What the tick reads of a timeline: its version and change notifications. A Timeline has them; so does anything
 * that changes in the same way (a fan-out run: src/fanout/run.ts).
 */
export type TickSource = Pick<Timeline, 'version' | 'subscribe' | 'acknowledge'> & Partial<Pick<Timeline, 'streaming'>>

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
   * large batch (an import, a test appending synchronously). A busy tick while the timeline's source says it is
   * mid-stream (`Timeline.streaming`) starts the busy spell at once.
   * @default 250
   */
  busySustainMs?: number
  /**
   * While busy, the share of the main thread the tick's update may take: Vue's render of everything that shows
   * the timeline and the style, layout and paint of the frame that shows it, measured from the bump to the end of
   * that frame (in a trace of a Socket.IO flood on two cores, the layout and paint were two thirds of it). The ticks
   * are spaced at least `updateCost / busyRenderShare` apart (never closer than `busyIntervalMs`, never further
   * than `busyMaxIntervalMs`). On a slow or loaded machine an update costs more, so the UI updates less often and
   * receiving keeps the rest. On two cores every per cent of CPU the page takes is about a per cent of the receive
   * rate (issue 12, docs/performance.md: the machine's CPU per message), so the share is small: a 10 ms update
   * runs every 400 ms, a 2.5 ms one every 100 ms.
   * @default 0.025
   */
  busyRenderShare?: number
  /**
   * Longest wait between two ticks while busy.
   * @default 1000
   */
  busyMaxIntervalMs?: number
  /**
   * While a tick waits (busy), it looks at the stream this often, and ticks at once when nothing arrived since it
   * last looked (and at least two of these have passed since the last tick), so the end of a flood shows within
   * about two of these, a frame and a render of its last frame (issue 12: ≤ 100 ms), however long the budget. A look
   * that ran much later than asked (over four of these: the thread was busy) does not count as quiet: messages may
   * be waiting behind it; nor does one while the timeline's source says it is mid-stream (`Timeline.streaming`: the
   * driver Worker, whose batches come a display frame apart and often later on a busy machine).
   * @default 25
   */
  quietMs?: number
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

/**
 * Calls back in a later task: after the current one, and so after the style, layout and paint of the frame whose
 * animation-frame callback called it (Blink runs them in the same task, after the callbacks). A MessageChannel
 * message, not a timer (clamped, and throttled in the background); without MessageChannel, after the microtasks
 * (Vue's flush) only. The port is unref'd where that exists (Node, in tests), so it never holds a process open.
 */
const afterRender: (callback: () => void) => void = (() => {
  if (typeof MessageChannel !== 'function') return callback => queueMicrotask(callback)
  let channel: MessageChannel | undefined
  const waiting: Array<() => void> = []
  return (callback) => {
    if (channel === undefined) {
      channel = new MessageChannel()
      channel.port1.onmessage = () => waiting.shift()?.()
      ;(channel.port1 as { unref?: () => void }).unref?.()
    }
    waiting.push(callback)
    channel.port2.postMessage(null)
  }
})()

/** A hidden page draws no frames: a tick waits for the next one there, whatever else it would do. */
const hidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden'

/** The one tick of one timeline, shared by everything that shows it. */
interface SharedTick {
  readonly tick: Readonly<Ref<number>>
  /** Components and composables holding it; the last release stops it. */
  users: number
  stop: () => void
}

const shared = new WeakMap<TickSource, SharedTick>()

/**
 * True while Vue renders a tick (always bumped between frames: `flush`), until its post-render watchers have run.
 * What writes to the layout after a render (a list scrolling to its tail) waits for the next frame's callbacks then,
 * so the render's task does not lay the page out as well.
 */
let betweenFrames = false

/** Whether Vue is rendering a tick bumped between frames (see `betweenFrames`). */
export function renderingBetweenFrames(): boolean {
  return betweenFrames
}

/** When a tick last found more than its `busyEvents` new events (performance.now()), any timeline's, or -Infinity. */
let lastBusyAt = -Infinity

/**
 * Whether some timeline's tick found a burst (more than its `busyEvents` appended since the tick before) within the
 * last `ms`: a flood is arriving, with the drivers on the page or in their Worker, so optional work can wait for it
 * to pause (src/whenQuiet.ts). A steady trickle (a ticker, heartbeats) is not one. While busy, ticks come at most
 * `busyMaxIntervalMs` apart, so a wait longer than that sees every flood.
 */
export function busyWithin(ms: number): boolean {
  return performance.now() - lastBusyAt < ms
}

/**
 * The one bridge from the hot path to Vue: the timeline calls us once after an append, we wait for the next
 * animation frame, bump a single shallowRef and acknowledge, so a flood costs the UI at most one update per
 * frame — and, while it lasts, one per `busyIntervalMs` — never one per event.
 */
function startTick(timeline: TickSource, options: UseTimelineTickOptions): SharedTick {
  const { busyIntervalMs = 100, busyEvents = 64, busySustainMs = 250, busyRenderShare = 0.025, busyMaxIntervalMs = 1000, quietMs = 25 } = options
  const tick = shallowRef(0)
  let frame: number | undefined
  let delay: ReturnType<typeof setTimeout> | undefined
  let seenVersion = timeline.version
  let lastFlush = 0
  let busy = false
  /** Busy ticks in a row, and when the first of them was. */
  let busyTicks = 0
  let busySince = 0
  /** The tick's update cost (ms, smoothed): from the bump to the end of the frame that showed it (afterRender). */
  let renderMs = 0
  /** The timeline's version when a waiting tick last looked, and when: unchanged since means the stream went quiet. */
  let lookedAt = -1
  let lookedAtTime = 0
  let stopped = false

  /**
   * Take stock of what was appended since the last tick, then bump it. `inFrame`: called from an animation frame (the
   * display's rate, between floods) rather than from the busy tick's timer. Either way Vue renders between frames:
   * in the timer's task, or in a task of its own right after the frame that called (`afterRender`), and the next
   * frame lays out and paints, so no task carries both the render and the frame's style, layout and paint. On two
   * cores a flood already fills, a main-thread task takes three to five times its CPU in wall time, and a flood's
   * first updates come before any busy spell, with the code still cold: rendered in their frame they took 11–19 ms
   * of CPU and 37–71 ms of wall time, split 10 and 11 (docs/performance.md). What must wait for the next frame (a
   * scroll position written after the render) asks `renderingBetweenFrames()`.
   */
  function flush(inFrame: boolean): void {
    frame = undefined
    const version = timeline.version
    lastFlush = performance.now()
    if (version - seenVersion > busyEvents) {
      lastBusyAt = lastFlush
      if (busyTicks++ === 0) busySince = lastFlush
    }
    else {
      busyTicks = 0
    }
    // A source that says it is mid-stream (the driver Worker) needs no proof: its first burst starts the busy spell,
    // so a flood's first quarter second is not drawn at the display's rate while its code is still cold (the long
    // tasks of a flood's first 500 ms, docs/performance.md).
    busy = busyTicks > 0 && (timeline.streaming === true || (busyTicks >= 3 && lastFlush - busySince >= busySustainMs))
    seenVersion = version
    if (inFrame) afterRender(bump)
    else bump()
  }

  function bump(): void {
    if (stopped) return
    const started = performance.now()
    // Acknowledge before bumping: appends made while Vue re-renders notify us again.
    timeline.acknowledge()
    betweenFrames = true
    tick.value++
    // After Vue's flush, which the bump queued first (or which was already queued): its post-render watchers have run.
    queueMicrotask(() => { betweenFrames = false })
    // The update's cost is Vue's render in this task and the next frame: its animation-frame callbacks (this one,
    // asked for first, runs before the list's scroll) and its style, layout and paint.
    let rendered = 0
    afterRender(() => { rendered = performance.now() - started })
    schedule(() => {
      const frameStart = performance.now()
      afterRender(() => note(rendered + performance.now() - frameStart))
    })
  }

  function note(cost: number): void {
    renderMs = renderMs === 0 ? cost : renderMs * 0.7 + cost * 0.3
  }

  /** While busy, how long after the last tick the next one is due: the render budget. */
  function budget(): number {
    return Math.min(busyMaxIntervalMs, Math.max(busyIntervalMs, renderMs / busyRenderShare))
  }

  /** A busy tick waiting for its time: due by the budget, or sooner when the stream has gone quiet. */
  function look(): void {
    delay = undefined
    const now = performance.now()
    const version = timeline.version
    // A look far later than asked (the thread was busy) proves nothing: messages may be queued behind it. A little
    // late is the normal case on a loaded machine and still counts, or the end of a flood would wait for the budget.
    // Nor does a lull while the source says it is mid-stream (the driver Worker, between two batches): it says so
    // when the stream pauses.
    const quiet = version === lookedAt && now - lookedAtTime <= quietMs * 4 && now >= lastFlush + quietMs * 2 && timeline.streaming !== true
    lookedAt = version
    lookedAtTime = now
    const due = lastFlush + budget()
    if (quiet || now >= due - 1) {
      // A hidden page draws no frames: its tick waits for the next one, as a tick between floods does.
      if (hidden()) frame = schedule(() => flush(true))
      else flush(false)
      return
    }
    delay = setTimeout(look, Math.min(quietMs, due - now))
  }

  function onGrow(): void {
    if (frame !== undefined || delay !== undefined) return
    if (busy) {
      // Look from the first append after a tick on, so a flood that ends right after a tick is seen ending too.
      lookedAt = timeline.version
      lookedAtTime = performance.now()
      delay = setTimeout(look, quietMs)
    }
    else {
      frame = schedule(() => flush(true))
    }
  }

  const unsubscribe = timeline.subscribe(onGrow)
  // Anything appended before we subscribed is shown on the next frame.
  onGrow()

  return {
    tick,
    users: 0,
    stop() {
      stopped = true
      unsubscribe()
      if (frame !== undefined) cancel(frame)
      clearTimeout(delay)
      frame = undefined
      delay = undefined
    },
  }
}

function acquire(timeline: TickSource, options: UseTimelineTickOptions): SharedTick {
  let entry = shared.get(timeline)
  if (!entry) {
    entry = startTick(timeline, options)
    shared.set(timeline, entry)
  }
  entry.users++
  return entry
}

function release(timeline: TickSource, entry: SharedTick): void {
  if (--entry.users > 0) return
  entry.stop()
  if (shared.get(timeline) === entry) shared.delete(timeline)
}

/** How many users hold the timeline's shared tick (0: none runs). For tests and the benchmark. */
export function timelineTickUsers(timeline: TickSource): number {
  return shared.get(timeline)?.users ?? 0
}

/**
 * The timeline's UI tick. There is one per timeline, shared and reference-counted: the first user starts it, the
 * last one to stop (or whose scope is disposed) stops it, so the panel, the status bar, the namespaces and the
 * diagnosis banner of a session re-render on the same frame and the timeline is acknowledged once. `options` tune
 * the tick the first user starts (later users share it as it is). Everything that reads the timeline depends on
 * `tick`.
 */
export function useTimelineTick(timeline: MaybeRefOrGetter<TickSource>, options: UseTimelineTickOptions = {}): UseTimelineTickReturn {
  const entry = shallowRef<SharedTick>()
  let held: TickSource | undefined
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

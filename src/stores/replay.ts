/**
 * Replay: a recorded (read-only) timeline's outgoing messages sent again from a new live session, to the same
 * endpoint or another, with the recording's settings. What is resent and when is timeline/replayPlan.ts; this runs
 * it: a new session (through the sessions store's actions), Connect, a bounded wait for the connection to open, then
 * each step when its time comes (measured from the start, so timer lateness never adds up), a few milliseconds of
 * sending at a time so "as fast as possible" never holds the page. Progress (sent, acknowledged, failed) lives on the
 * run; Stop ends the sending and leaves the session connected, its timeline ready to compare with the recording.
 */
import type { Session, Words } from './session'
import type { ReplayPlan, ReplaySpeed } from '@/timeline/replayPlan'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { reactive, shallowRef, watch } from 'vue'
import { message } from '@/protocol/message'
import { i18n } from '@/i18n'
import { runInSlices, yieldToBrowser } from '@/timeline/importCommon'
import { dueUntil, replayPlanInSlices } from '@/timeline/replayPlan'
import { plain } from './libraryDb'
import { abortableSleep } from '@/sending/repeat'
import { normalizeNamespaceName } from './socketIoSession'
import { useSessionsStore } from './sessions'

export type ReplayState = 'connecting' | 'sending' | 'done' | 'stopped' | 'failed'

export interface ReplayRun {
  id: string
  /** The recording. */
  sourceId: string
  sourceName: string
  /** The live session the replay sends from. */
  targetId: string
  url: string
  state: ReplayState
  speed: ReplaySpeed
  maxGapMs?: number
  total: number
  sent: number
  /** Sends the driver refused (not connected, a reserved name, …). */
  failed: number
  /** Steps that asked for an ack, and how those went. */
  acks: number
  acked: number
  ackFailed: number
  /** Gaps `maxGapMs` shortened. */
  capped: number
  durationMs: number
  error?: Words
}

export interface ReplayStart {
  /** Where to send: the recording's endpoint unless changed. */
  url: string
  speed: ReplaySpeed
  maxGapMs?: number
  /** How long to wait for the connection to open before giving up. @default 15_000 */
  connectTimeoutMs?: number
}

export type ReplayStartResult = { ok: true, run: ReplayRun } | { ok: false, error: Words }

/** Longest stretch of sending before the page gets the main thread back. */
const SEND_BUDGET_MS = 8
/** Longest single wait: a stop or a closed session is noticed at least this often. */
const TICK_MS = 250

/** The Socket.IO namespace a URL's path names ('/' for none). */
function mainNamespaceOf(url: string): string {
  try {
    return normalizeNamespaceName(decodeURIComponent(new URL(url.trim()).pathname))
  }
  catch {
    return '/'
  }
}


export const useReplayStore = defineStore('replay', () => {
  const runs = shallowRef<ReplayRun[]>([])
  const controllers = new Map<string, AbortController>()
  let counter = 0

  /** The replay sending from this session, if any (the latest). */
  function runFor(sessionId: string): ReplayRun | undefined {
    for (let i = runs.value.length - 1; i >= 0; i--) if (runs.value[i]!.targetId === sessionId) return runs.value[i]
    return undefined
  }

  function stop(runId: string): void {
    controllers.get(runId)?.abort()
  }

  /** Wait until the session is open, closed for good, gone, stopped, or the time is up. */
  function opened(session: Session, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const sessions = useSessionsStore()
    return new Promise((resolve) => {
      let settle = (_open: boolean): void => {}
      const timer = setTimeout(() => settle(false), timeoutMs)
      const onAbort = (): void => settle(false)
      signal.addEventListener('abort', onAbort)
      const unwatch = watch(() => [session.state, sessions.sessions.includes(session)] as const, ([state, present]) => {
        if (state === 'open') settle(true)
        else if (!present) settle(false)
      }, { immediate: true, flush: 'sync' })
      settle = (open) => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        queueMicrotask(() => unwatch())
        resolve(open)
      }
      if (session.state === 'open') settle(true)
    })
  }

  /** A new live session for the replay, with the recording's settings, namespaces and listeners. */
  function targetFor(source: Session, url: string, plan: ReplayPlan): Session {
    const sessions = useSessionsStore()
    const target = sessions.add({ url, type: source.type, name: i18n.global.t('saved.replay.sessionName', { name: source.name }) })
    sessions.updateWebSocketSettings(target, plain(source.ws))
    sessions.updateSocketIoSettings(target, plain(source.sio))
    if (source.type === 'socketio') {
      sessions.setCatchAll(target, source.listeners.catchAll)
      for (const { name, on } of source.listeners.names) sessions.setListener(target, name, on)
      sessions.setAckReply(target, source.listeners.ackReply.on, source.listeners.ackReply.args)
      const main = mainNamespaceOf(url)
      const sourceMain = mainNamespaceOf(source.url)
      for (const ns of source.namespaces) if (ns.name !== main) sessions.addNamespace(target, ns.name, ns.auth)
      for (const ns of plan.namespaces) {
        const name = normalizeNamespaceName(ns)
        if (name !== main && name !== sourceMain && !target.namespaces.some(n => n.name === name)) sessions.addNamespace(target, name, '')
      }
    }
    return target
  }

  /** Plan, open a new session, connect, wait for it, and send. Resolves once the replay has started. */
  async function start(source: Session, options: ReplayStart): Promise<ReplayStartResult> {
    const plan = await runInSlices(replayPlanInSlices(source.timeline, source.type, { speed: options.speed, maxGapMs: options.maxGapMs }))
    if (plan.steps.length === 0) return { ok: false, error: message('saved.replay.nothing') }
    const url = options.url.trim()
    if (url === '') return { ok: false, error: message('saved.replay.noUrl') }
    // The recording's main namespace becomes the target's: its emits go to the namespace the new URL names.
    const sourceMain = mainNamespaceOf(source.url)
    for (const step of plan.steps) {
      if (step.message.kind === 'event' && normalizeNamespaceName(step.message.namespace ?? '/') === sourceMain) step.message.namespace = undefined
    }
    const target = targetFor(source, url, plan)
    counter++
    const run: ReplayRun = reactive({
      id: `r${Date.now().toString(36)}${counter}`,
      sourceId: source.id,
      sourceName: source.name,
      targetId: target.id,
      url,
      state: 'connecting',
      speed: options.speed,
      maxGapMs: options.maxGapMs,
      total: plan.steps.length,
      sent: 0,
      failed: 0,
      acks: plan.acks,
      acked: 0,
      ackFailed: 0,
      capped: plan.capped,
      durationMs: plan.durationMs,
    }) as ReplayRun
    runs.value = [...runs.value, run]
    const controller = new AbortController()
    controllers.set(run.id, controller)
    void execute(run, target, plan, options.connectTimeoutMs ?? 15_000, controller.signal).finally(() => controllers.delete(run.id))
    return { ok: true, run }
  }

  async function execute(run: ReplayRun, target: Session, plan: ReplayPlan, connectTimeoutMs: number, signal: AbortSignal): Promise<void> {
    const sessions = useSessionsStore()
    await sessions.connect(target)
    if (!await opened(target, connectTimeoutMs, signal)) {
      if (signal.aborted) {
        run.state = 'stopped'
        return
      }
      run.state = 'failed'
      run.error = message('saved.replay.noConnect', { url: run.url, seconds: Math.round(connectTimeoutMs / 1000) })
      // Bounded: no endless reconnecting behind a replay that gave up. What happened stays on its timeline.
      if (sessions.sessions.includes(target)) sessions.disconnect(target)
      return
    }
    run.state = 'sending'
    const steps = plan.steps
    const started = performance.now()
    let i = 0
    while (i < steps.length) {
      if (signal.aborted) {
        run.state = 'stopped'
        return
      }
      if (!sessions.sessions.includes(target) || target.state === 'closed' || target.state === 'idle') {
        run.state = 'failed'
        run.error = message('saved.replay.lost', { sent: run.sent, total: run.total })
        return
      }
      const elapsed = performance.now() - started
      const due = dueUntil(steps, i, elapsed)
      if (due === i) {
        await abortableSleep(Math.min(steps[i]!.at - elapsed, TICK_MS), signal)
        continue
      }
      const sliceStart = performance.now()
      while (i < due && performance.now() - sliceStart < SEND_BUDGET_MS) {
        const message = steps[i++]!.message
        const asksAck = message.kind === 'event' && message.ack === true
        run.sent++
        void sessions.send(target, message).then((result) => {
          if (asksAck) {
            if (result.ok) run.acked++
            else run.ackFailed++
          }
          else if (!result.ok) {
            run.failed++
          }
        })
      }
      if (i < due) await yieldToBrowser()
    }
    run.state = 'done'
  }

  return { runs, runFor, start, stop }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useReplayStore, import.meta.hot))

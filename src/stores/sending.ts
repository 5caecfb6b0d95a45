import type { ComposerState, Session, Words } from './session'
import type { HistoryEntry } from '@/sending/history'
import type { RepeatEnd } from '@/sending/repeat'
import type { ExpansionProblems, UserVariable, VariableScope } from '@/sending/variables'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { reactive, ref, watch } from 'vue'
import { message, type MessageRef } from '@/protocol/message'
import { yieldToBrowser } from '@/timeline/importCommon'
import { pushHistory, variablesFrom } from '@/sending/history'
import { needsConfirmation, realClock, runRepeat } from '@/sending/repeat'
import { createResolver, expandText, sendScope } from '@/sending/variables'
import { useSessionsStore } from './sessions'
import { argumentTypeFrom } from './savedSettings'

/** The variables every session sees (a session's own of the same name win): kept in this browser's localStorage. */
export const GLOBAL_VARIABLES_KEY = 'socketlens.variables.v1'

/** How often a repeat's progress is shown. */
const PROGRESS_MS = 100

/** The most a repeat may send (a typo's safety net; above 10,000 the person confirms anyway). */
export const REPEAT_MAX = 10_000_000

/** How a repeat stands or ended: `disconnected` (the connection went), `closed` (the tab was closed), `error`. */
export type RepeatOutcome = RepeatEnd | 'disconnected' | 'closed'

export interface RepeatRun {
  total: number
  done: number
  running: boolean
  end?: RepeatOutcome
  /** The send that failed, when it ended on an error. */
  error?: Words
}

/** The draft with its variables expanded, and how to say it was sent. */
export type PreparedSend =
  | { ok: true, composer: ComposerState, commit: () => void }
  | { ok: false, error: MessageRef }

/** The composer's texts with this send's variables put in: message, event name, every extra argument. */
export function expandComposer(composer: ComposerState, scope: VariableScope): { composer: ComposerState, problems: ExpansionProblems } {
  const resolve = createResolver(scope)
  const problems: ExpansionProblems = { unknown: [], malformed: [] }
  const expanded: ComposerState = {
    ...composer,
    message: expandText(composer.message, resolve, problems).text,
    eventName: expandText(composer.eventName, resolve, problems).text,
    extraArgs: composer.extraArgs.map(arg => ({ ...arg, text: expandText(arg.text, resolve, problems).text })),
  }
  return { composer: expanded, problems }
}

/** Why a draft with these problems is not sent (the first kind found), as a message. */
export function problemMessage(problems: ExpansionProblems): MessageRef | undefined {
  if (problems.unknown.length > 0)
    return message('sending.variables.unknown', { names: problems.unknown.join(', '), escape: '\\{{', open: '{{' })
  if (problems.malformed.length > 0)
    return message('sending.variables.malformed', { found: problems.malformed.join(', '), example: '{{name}}', escape: '\\{{', open: '{{' })
  return undefined
}

/** The composer's draft as a history entry (before expansion). */
export function historyEntryOf(session: Session, time = Date.now()): HistoryEntry {
  const c = session.composer
  return {
    type: session.type,
    message: c.message,
    format: c.format,
    eventName: c.eventName,
    firstArgType: c.firstArgType,
    extraArgs: c.extraArgs.map(a => ({ text: a.text, type: a.type })),
    ...(c.binaryInput === 'hex' || c.binaryInput === 'base64' ? { binaryInput: c.binaryInput } : {}),
    time,
  }
}

/** A send refused because the connection is not open (closing, closed, reopening): the repeat ends as `disconnected`. */
const NOT_OPEN = new Set(['protocol.send.closing', 'protocol.send.opening', 'protocol.send.reconnecting', 'protocol.send.notConnected', 'protocol.send.closed', 'composer.result.notConnected'])
function notOpen(words: Words | undefined): boolean {
  return typeof words === 'object' && NOT_OPEN.has(words.key)
}

function loadGlobals(): UserVariable[] {
  try {
    return variablesFrom(JSON.parse(globalThis.localStorage?.getItem(GLOBAL_VARIABLES_KEY) ?? '[]'))
  }
  catch {
    return []
  }
}

/**
 * Variables, repeat and the history of sent messages (issue 10). `prepare` is what the sessions store's sendComposed
 * calls before every send: it expands the variables (src/sending/variables.ts) and, once the message goes to the
 * driver, counts the send and records the draft in the session's history. The timeline shows what was sent: the
 * driver records the expanded message.
 */
export const useSendingStore = defineStore('sending', () => {
  const globals = ref<UserVariable[]>(loadGlobals())
  const storageError = ref(false)
  watch(globals, (list) => {
    try {
      globalThis.localStorage?.setItem(GLOBAL_VARIABLES_KEY, JSON.stringify(list))
      storageError.value = false
    }
    catch {
      // Full or disabled storage: the variables still work in this page.
      storageError.value = true
    }
  }, { deep: true })
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('storage', (event) => {
      if (event.key === GLOBAL_VARIABLES_KEY) globals.value = loadGlobals()
    })
  }

  /** Repeats by session id: the running one and the last one's outcome. */
  const runs = reactive(new Map<string, RepeatRun>())
  const controllers = new Map<string, { abort: AbortController, reason?: RepeatOutcome, error?: Words }>()

  function scopeOf(session: Session, counter = session.sending.counter): VariableScope {
    return sendScope(counter, [globals.value, session.sending.variables])
  }

  /** Expand the draft for a send; `record` false: a repeat's later sends, already in the history. */
  function prepare(session: Session, record = true): PreparedSend {
    const { composer, problems } = expandComposer(session.composer, scopeOf(session))
    const error = problemMessage(problems)
    if (error) return { ok: false, error }
    return {
      ok: true,
      composer,
      commit: () => {
        if (!session.driver) return
        session.sending.counter += 1
        if (record) session.sending.history = pushHistory(session.sending.history, historyEntryOf(session))
      },
    }
  }

  /**
   * Expand one text for a send that is not the composer's ("Send to room"): the same variables and counter, so
   * `{{counter}}` goes on counting across both; `commit` once it went out. Not recorded in the composer's history.
   */
  function prepareText(session: Session, text: string): { ok: true, text: string, commit: () => void } | { ok: false, error: MessageRef } {
    const problems: ExpansionProblems = { unknown: [], malformed: [] }
    const expanded = expandText(text, createResolver(scopeOf(session)), problems).text
    const error = problemMessage(problems)
    if (error) return { ok: false, error }
    return { ok: true, text: expanded, commit: () => { session.sending.counter += 1 } }
  }

  /** What the next send would be: its variables expanded with the next counter (uuid and random are samples). */
  function preview(session: Session): { composer: ComposerState, problems: ExpansionProblems, error?: MessageRef } {
    const { composer, problems } = expandComposer(session.composer, scopeOf(session))
    return { composer, problems, error: problemMessage(problems) }
  }

  function setGlobalVariables(list: UserVariable[]): void {
    globals.value = list.map(v => ({ name: v.name, value: v.value }))
  }

  function setSessionVariables(session: Session, list: UserVariable[]): void {
    if (session.readOnly) return
    session.sending.variables = list.map(v => ({ name: v.name, value: v.value }))
  }

  /** Put a history entry back in the composer (its event name and arguments too, for Socket.IO). */
  function recall(session: Session, entry: HistoryEntry): void {
    if (session.readOnly) return
    const sessions = useSessionsStore()
    const binaryInput = entry.binaryInput === 'hex' || entry.binaryInput === 'base64' ? { binaryInput: entry.binaryInput } as const : {}
    sessions.updateComposer(session, entry.type === 'ws' || session.type === 'ws'
      ? { message: entry.message, ...(entry.type === 'ws' ? { format: entry.format, ...binaryInput } : {}) }
      : { message: entry.message, eventName: entry.eventName, firstArgType: argumentTypeFrom(entry.firstArgType), ...binaryInput })
    if (session.type === 'socketio' && entry.type === 'socketio')
      session.composer.extraArgs = entry.extraArgs.map(a => ({ text: a.text, type: argumentTypeFrom(a.type) }))
  }

  function setRepeat(session: Session, change: { count?: number, intervalMs?: number }): void {
    if (session.readOnly) return
    if (change.count !== undefined && Number.isFinite(change.count))
      session.sending.repeatCount = Math.min(REPEAT_MAX, Math.max(1, Math.floor(change.count)))
    if (change.intervalMs !== undefined && Number.isFinite(change.intervalMs))
      session.sending.repeatIntervalMs = Math.max(0, change.intervalMs)
  }

  function runOf(session: Session): RepeatRun | undefined {
    return runs.get(session.id)
  }

  function repeatNeedsConfirmation(session: Session): boolean {
    return needsConfirmation(session.sending.repeatCount, session.sending.repeatIntervalMs)
  }

  /**
   * Send the composed message `repeatCount` times, one every `repeatIntervalMs` (variables expanded for each). It
   * stops on Stop repeat, when the connection is no longer open, when the tab is closed, and on the first send that
   * fails (the composer's result line says why; for Socket.IO an acknowledgement that fails or times out counts).
   * A draft with unknown variables does not start.
   */
  async function repeat(session: Session): Promise<RepeatRun | undefined> {
    if (session.readOnly || controllers.has(session.id)) return undefined
    const sessions = useSessionsStore()
    const check = prepare(session)
    if (!check.ok) {
      session.composer.result = { ok: false, text: check.error }
      return undefined
    }
    if (session.state !== 'open') {
      session.composer.result = { ok: false, text: message('composer.result.notConnected') }
      return undefined
    }
    const total = session.sending.repeatCount
    const run = reactive<RepeatRun>({ total, done: 0, running: true })
    runs.set(session.id, run)
    const control: { abort: AbortController, reason?: RepeatOutcome, error?: Words } = { abort: new AbortController() }
    controllers.set(session.id, control)
    const stop = (reason: RepeatOutcome, error?: Words): void => {
      if (control.abort.signal.aborted) return
      control.reason = reason === 'error' && notOpen(error) ? 'disconnected' : reason
      control.error = error
      control.abort.abort()
    }
    const stopWatching = watch(() => [session.state, sessions.sessions.includes(session)] as const, ([state, open]) => {
      if (!open) stop('closed')
      else if (state !== 'open') stop('disconnected')
    })
    const expectsAck = session.type === 'socketio' && session.composer.expectAck
    let shownAt = 0
    try {
      const result = await runRepeat({
        count: total,
        intervalMs: session.sending.repeatIntervalMs,
        signal: control.abort.signal,
        clock: realClock(yieldToBrowser),
        // The progress line changes a few times a second, not once per send (each change re-renders it).
        onProgress: (done) => {
          const now = performance.now()
          if (now - shownAt < PROGRESS_MS && done < total) return
          shownAt = now
          run.done = done
        },
        sendOne: async (index) => {
          const sent = sessions.sendComposed(session, index === 0)
          // Acks come back in their own time: the schedule does not wait for them, a failed one stops the repeat.
          if (expectsAck) {
            void sent.then((ok) => { if (!ok) stop('error', session.composer.result?.text) })
            return true
          }
          const ok = await sent
          if (!ok) stop('error', session.composer.result?.text)
          return ok
        },
      })
      run.done = result.done
      run.end = control.reason ?? result.end
      if (run.end === 'error') run.error = control.error ?? session.composer.result?.text
    }
    finally {
      run.running = false
      stopWatching()
      controllers.delete(session.id)
      // A closed tab's outcome has no one to show it to.
      if (run.end === 'closed') runs.delete(session.id)
    }
    return run
  }

  function stopRepeat(session: Session): void {
    const control = controllers.get(session.id)
    if (!control || control.abort.signal.aborted) return
    control.reason = 'stopped'
    control.abort.abort()
  }

  return { globals, storageError, runs, prepare, prepareText, preview, setGlobalVariables, setSessionVariables, recall, setRepeat, runOf, repeatNeedsConfirmation, repeat, stopRepeat }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useSendingStore, import.meta.hot))

/**
 * The Start-here panel's state and its presets (src/presets.ts): whether the panel is shown (on a first run until the
 * person dismisses it, remembered; again from the Help menu), where the dev server is, and opening a preset's
 * session(s) through the sessions store's actions. Also whether the Keyboard shortcuts sheet is open.
 */
import type { Session } from './session'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import { useSessionsStore } from './sessions'
import {
  DEFAULT_DEV_SERVER, discoverDevServer, presetRoomName, presetSessions, restartDevServer, RECONNECT_DEMO_DOWNTIME_MS,
  type DevServerDiscovery, type PresetId,
} from '@/presets'

/** Remembered once the person closes the panel or picks a preset: it no longer opens by itself. */
export const START_HERE_STORAGE_KEY = 'socketlens.startHere.v1'

function readDismissed(storage: Storage | undefined): boolean {
  try {
    return storage?.getItem(START_HERE_STORAGE_KEY) === 'dismissed'
  }
  catch {
    return false
  }
}

/** How long a preset waits for its session to open before it gives up on the next step (joining, the fault). */
export const PRESET_OPEN_TIMEOUT_MS = 10_000
/** The Reconnect demo lets the connection be seen up this long before the control API cuts it. */
export const RECONNECT_DEMO_SETTLE_MS = 1000

/** Resolves true once `session` is open, false when it closes or `timeoutMs` passes first. */
export function whenOpen(session: Session, timeoutMs = PRESET_OPEN_TIMEOUT_MS): Promise<boolean> {
  if (session.state === 'open') return Promise.resolve(true)
  return new Promise((resolve) => {
    const stop = watch(() => session.state, (state) => {
      if (state === 'open') finish(true)
      else if (state === 'closed') finish(false)
    })
    const timer = setTimeout(() => finish(false), timeoutMs)
    function finish(open: boolean): void {
      clearTimeout(timer)
      stop()
      resolve(open)
    }
  })
}

export const usePresetsStore = defineStore('presets', () => {
  const sessions = useSessionsStore()
  const storage = globalThis.localStorage as Storage | undefined

  /** The Start-here panel is shown. */
  const startHereOpen = ref(false)
  /** It opened by itself (a first run), so it steps aside once the person starts elsewhere (`stepAside`). */
  const startHereOnItsOwn = ref(false)
  /** The Keyboard shortcuts sheet is shown. */
  const shortcutsOpen = ref(false)
  /** The dev server, once looked for; undefined while looking. */
  const devServer = shallowRef<DevServerDiscovery>()
  /** The preset being opened (its button shows so). */
  const opening = ref<PresetId>()
  let discovery: AbortController | undefined
  let pendingDiscovery: Promise<DevServerDiscovery> | undefined
  /** The first run's blank tab (takeStarterTab). */
  let starterId: string | undefined

  /** Look for the dev server again (bounded: a few requests, each with a timeout). */
  async function discover(): Promise<DevServerDiscovery> {
    discovery?.abort()
    const controller = new AbortController()
    discovery = controller
    devServer.value = undefined
    const running = (async () => {
      try {
        const found = await discoverDevServer({ signal: controller.signal })
        if (discovery === controller) devServer.value = found
        return found
      }
      catch {
        const absent: DevServerDiscovery = { status: 'absent', endpoints: DEFAULT_DEV_SERVER }
        if (discovery === controller) devServer.value = absent
        return absent
      }
      finally {
        if (discovery === controller) pendingDiscovery = undefined
      }
    })()
    pendingDiscovery = running
    return running
  }

  function showStartHere(onItsOwn = false): void {
    shortcutsOpen.value = false
    startHereOpen.value = true
    startHereOnItsOwn.value = onItsOwn
    // Found once is found: the panel's "Check again" looks again (a slow answer must not hide a server seen before).
    if (devServer.value?.status !== 'running') void discover()
  }

  /**
   * The panel opened by itself and the person began elsewhere (typed an endpoint, pressed another control): it makes
   * room without being dismissed. A first run that leaves a saved tab behind is no first run next time anyway.
   */
  function stepAside(): void {
    if (startHereOpen.value && startHereOnItsOwn.value) startHereOpen.value = false
  }

  /** Close the panel; it will not open by itself again. */
  function dismissStartHere(): void {
    startHereOpen.value = false
    discovery?.abort()
    try {
      storage?.setItem(START_HERE_STORAGE_KEY, 'dismissed')
    }
    catch {
      // Storage disabled: the panel may show again on the next first run; nothing else depends on it.
    }
  }

  /**
   * On a first run (no saved tabs, no deep link) the panel opens by itself, until the person dismisses it once.
   * A deep link says what the person came for, so it does not.
   */
  function showOnFirstRun(firstRun: boolean): void {
    if (!firstRun || readDismissed(storage)) return
    starterId = sessions.active?.id
    showStartHere(true)
  }

  /**
   * The blank tab a first run opens with, while nothing was done in it: a preset picked then takes its place, so the
   * first preset does not leave an idle tab beside it.
   */
  function takeStarterTab(): Session | undefined {
    const starter = sessions.sessions.find(s => s.id === starterId)
    starterId = undefined
    const pristine = starter && !starter.readOnly && starter.state === 'idle' && starter.timeline.length === 0 && starter.composer.message === ''
    return pristine ? starter : undefined
  }

  function openShortcuts(): void {
    shortcutsOpen.value = true
  }
  function closeShortcuts(): void {
    shortcutsOpen.value = false
  }

  /**
   * Open a preset: its session(s) on the dev server found (or the default ports), each through the sessions store's
   * actions, and connect. "Socket.IO rooms" opens two sessions and joins both to one fresh room; "Reconnect demo"
   * has the control API restart the servers once its session is open. Resolves with the sessions, once every step
   * is done (or gave up: each wait is bounded).
   */
  async function openPreset(id: PresetId): Promise<Session[]> {
    const found = devServer.value ?? await (pendingDiscovery ?? discover())
    const control = found.status === 'running' ? found.control : undefined
    const room = id === 'rooms' ? presetRoomName() : undefined
    const specs = presetSessions(id, found.endpoints, { control: control !== undefined, room })
    dismissStartHere()
    opening.value = id
    const starter = takeStarterTab()
    try {
      const opened = specs.map((spec) => {
        const session = sessions.add({ url: spec.url, type: spec.type })
        if (spec.client) sessions.updateSocketIoSettings(session, { version: spec.client })
        if (spec.eventName !== undefined || spec.message !== undefined) {
          sessions.updateComposer(session, {
            ...(spec.eventName !== undefined ? { eventName: spec.eventName } : {}),
            ...(spec.message !== undefined ? { message: spec.message } : {}),
          })
        }
        return session
      })
      if (starter) sessions.close(starter.id)
      // The first session is the one to send from: show it.
      sessions.activeId = opened[0]!.id
      await Promise.all(opened.map(session => sessions.connect(session)))
      if (id === 'rooms' && room !== undefined) {
        await Promise.all(opened.map(async (session) => {
          if (await whenOpen(session)) await sessions.changeRoom(session, room, true)
        }))
      }
      else if (id === 'reconnect' && control) {
        const session = opened[0]!
        if (await whenOpen(session)) {
          await new Promise(resolve => setTimeout(resolve, RECONNECT_DEMO_SETTLE_MS))
          if (sessions.sessions.includes(session) && session.state === 'open') await restartDevServer(control, RECONNECT_DEMO_DOWNTIME_MS)
        }
      }
      return opened
    }
    finally {
      if (opening.value === id) opening.value = undefined
    }
  }

  return { startHereOpen, startHereOnItsOwn, shortcutsOpen, devServer, opening, discover, showStartHere, stepAside, dismissStartHere, showOnFirstRun, openShortcuts, closeShortcuts, openPreset }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(usePresetsStore, import.meta.hot))

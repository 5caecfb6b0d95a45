import type { ShallowRef } from 'vue'
import type { RegisterSWOptions } from 'vite-plugin-pwa/types'
import { shallowRef } from 'vue'

/** `registerSW` of `virtual:pwa-register` (main.ts passes it in, so nothing else depends on the virtual module). */
export type RegisterSW = (options: RegisterSWOptions) => (reloadPage?: boolean) => Promise<void>

/**
 * How often a long-open tab asks for a new build. The browser itself checks only when a page of the app is opened,
 * and a capture can run for hours.
 * @see https://vite-pwa-org.netlify.app/guide/periodic-sw-updates
 */
const UPDATE_CHECK_MS = 60 * 60 * 1000

/** A worker asked to take over that never does (it failed to install, the page was not controlled) must not leave Reload dead. */
const TAKEOVER_TIMEOUT_MS = 5_000

const available = shallowRef(false)
let applyUpdate: ((reloadPage?: boolean) => Promise<void>) | undefined
let registration: ServiceWorkerRegistration | undefined
let reloading = false
/** The new build's worker the person dismissed: later news of that same worker (waiting, then taking over) stays quiet. */
let dismissed: ServiceWorker | undefined

function offer(): void {
  const worker = registration?.waiting ?? registration?.active
  if (worker && worker === dismissed) return
  available.value = true
}

/**
 * Registers the service worker in prompt mode (vite.config.ts, `registerType: 'prompt'`): a new build's worker
 * installs and then waits, and the page only learns that one is `available`. Nothing here reloads the page by
 * itself: a tab may hold a live connection and a capture that exist nowhere else, so only the person's Reload does.
 * It registers once `when` resolves (main.ts: when the page is first quiet, src/whenQuiet.ts).
 */
export function startAppUpdates(registerSW: RegisterSW, when: Promise<void> = Promise.resolve()): void {
  // A lazily loaded part of the old build (the Socket.IO client, the charts) can be gone once a new build replaced
  // the files and took over the cache: the import fails with its own message, and the page offers the reload.
  window.addEventListener('vite:preloadError', () => { available.value = true })
  void when.then(() => register(registerSW))
}

function register(registerSW: RegisterSW): void {
  applyUpdate = registerSW({
    immediate: true,
    onNeedRefresh: offer,
    // A new worker took control of this page: after this tab's Reload (reloadToNewVersion reloads then), or after
    // another tab's. The library's default here is `location.reload()`, which is how a tab lost its capture when
    // the new build was opened elsewhere; this page keeps running the build it loaded and offers the new one.
    onNeedReload: offer,
    onRegisteredSW: (_url, registered) => {
      registration = registered
      if (!registered) return
      setInterval(() => {
        // Offline, or the server is gone: the next check tries again, and an hour apart is no load on anyone.
        if (navigator.onLine) registered.update().catch(() => {})
      }, UPDATE_CHECK_MS)
    },
  })
}

/** Let the waiting worker take over, then load the new build. The caller has asked the person first. */
async function reloadToNewVersion(): Promise<void> {
  if (reloading) return
  reloading = true
  if (registration?.waiting && applyUpdate) {
    const takenOver = new Promise<void>((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true })
      setTimeout(resolve, TAKEOVER_TIMEOUT_MS)
    })
    await applyUpdate(true)
    await takenOver
  }
  // No worker waiting: another tab already let it take over, and a reload loads the new build.
  location.reload()
}

export interface UseAppUpdateReturn {
  /** A new build is installed and waiting (or already took over from another tab). */
  available: Readonly<ShallowRef<boolean>>
  /** Switch to the new build: reloads this page. */
  reload: () => Promise<void>
  /** Hide the offer until another new build arrives. */
  dismiss: () => void
}

export function useAppUpdate(): UseAppUpdateReturn {
  return {
    available,
    reload: reloadToNewVersion,
    dismiss: () => {
      dismissed = registration?.waiting ?? registration?.active ?? undefined
      available.value = false
    },
  }
}

import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { i18n, setLocale, type Locale } from '@/i18n'
import type { DriverPlace } from './driverFactory'

export type Theme = 'system' | 'light' | 'dark'

const STORAGE_KEY = 'socketlens.settings.v1'

interface StoredSettings {
  theme: Theme
  maxEvents: number
  maxMegabytes: number
  /** Run connections in the driver Worker (stores/driverFactory.ts): receiving never waits for the UI. */
  driversInWorker: boolean
}

/**
 * Whether connections run in the driver Worker unless the person chose: wherever a Worker can run (the drivers fall
 * back to the page where it cannot load, stores/driverFactory.ts). Until 2 December it took more than two cores: on
 * this project's 2-vCPU machine the Worker's receive rate was 0.79–0.89 of a bare page receiving in a Worker, against
 * 0.94–1.04 with the drivers on the page. Packs in one transferred buffer, sent every 16 ms while a flood lasts, and
 * a UI update at most every 200 ms brought the Worker to 0.93 (0.92 on the page) in the same rounds, and on the page
 * a click during a flood waited for Blink's receive tasks and the collection of their strings (84–117 ms, against
 * 22–47 ms with the Worker): docs/performance.md, "Latest results".
 */
function workerByDefault(): boolean {
  return typeof Worker === 'function'
}

const DEFAULTS: StoredSettings = { theme: 'system', maxEvents: 1_000_000, maxMegabytes: 256, driversInWorker: workerByDefault() }

function load(): StoredSettings {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (!raw) return { ...DEFAULTS }
    const parsed = JSON.parse(raw) as Partial<StoredSettings>
    return {
      theme: parsed.theme === 'light' || parsed.theme === 'dark' ? parsed.theme : 'system',
      maxEvents: positiveOr(parsed.maxEvents, DEFAULTS.maxEvents),
      maxMegabytes: positiveOr(parsed.maxMegabytes, DEFAULTS.maxMegabytes),
      driversInWorker: typeof parsed.driversInWorker === 'boolean' ? parsed.driversInWorker : workerByDefault(),
    }
  }
  catch {
    // A corrupt entry must not stop the app from starting: fall back to the defaults.
    return { ...DEFAULTS }
  }
}

function positiveOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback
}

/**
 * Theme, buffer caps and where connections run, kept in localStorage (small, synchronous, read before the first paint), and the UI's
 * language: `locale` reads and switches the app's i18n (src/i18n: remembered apart, `<html lang>` follows).
 */
export const useSettingsStore = defineStore('settings', () => {
  const initial = load()
  const theme = ref<Theme>(initial.theme)
  const maxEvents = ref(initial.maxEvents)
  const maxMegabytes = ref(initial.maxMegabytes)
  const driversInWorker = ref(initial.driversInWorker)

  watch([theme, maxEvents, maxMegabytes, driversInWorker], () => {
    const value: StoredSettings = { theme: theme.value, maxEvents: maxEvents.value, maxMegabytes: maxMegabytes.value, driversInWorker: driversInWorker.value }
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(value))
    }
    catch {
      // Storage full or disabled (private mode): settings still apply for this page.
    }
  })

  /** The caps to apply: a half-typed or invalid field keeps the default rather than a cap of nothing. */
  const bufferLimits = computed(() => ({
    maxEvents: Math.floor(positiveOr(maxEvents.value, DEFAULTS.maxEvents)),
    maxBytes: positiveOr(maxMegabytes.value, DEFAULTS.maxMegabytes) * 1024 * 1024,
  }))

  /** A language picked whose words are still loading (src/i18n: a chunk of its own), shown as the choice meanwhile. */
  const pendingLocale = ref<Locale>()
  /** Why the language picked last could not be loaded (the browser's words), until the next pick. */
  const localeError = ref<{ locale: Locale, error: string }>()

  /**
   * The language the UI speaks; setting it switches every screen at once (once its words have loaded) and remembers
   * the choice. A language that cannot load leaves the UI as it was and says why (`localeError`).
   */
  const locale = computed<Locale>({
    get: () => pendingLocale.value ?? i18n.global.locale.value,
    set: (value) => {
      localeError.value = undefined
      pendingLocale.value = value
      setLocale(value).then(
        () => {
          if (pendingLocale.value === value) pendingLocale.value = undefined
        },
        (err: unknown) => {
          if (pendingLocale.value !== value) return
          pendingLocale.value = undefined
          localeError.value = { locale: value, error: String((err as Error)?.message ?? err) }
        },
      )
    },
  })

  /** Where new connections run (a connection keeps the place it was made in). */
  const driverPlace = computed((): DriverPlace => driversInWorker.value ? 'worker' : 'page')

  return { theme, maxEvents, maxMegabytes, driversInWorker, driverPlace, bufferLimits, locale, localeError }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useSettingsStore, import.meta.hot))

import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach } from 'vitest'
import { useSessionsStore } from '../../src/stores/sessions'
import { unmountAll } from './mount'

/**
 * Each test of the suite starts with fresh stores and empty storage, and ends with its components unmounted and its
 * sessions closed (their drivers and timers with them). Call it inside the suite's `describe`.
 */
export function useFreshStores(): void {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
  })
  afterEach(() => {
    unmountAll()
    const sessions = useSessionsStore()
    for (const s of [...sessions.sessions]) sessions.close(s.id)
  })
}

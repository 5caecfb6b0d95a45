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

/**
 * `useFreshStores`, and the name of every action the sessions store runs in each test: proof that a change went
 * through one. The list is emptied before each test (a suite may empty it again where its count starts).
 */
export function useStoreActions(): string[] {
  const actions: string[] = []
  useFreshStores()
  beforeEach(() => {
    actions.length = 0
    useSessionsStore().$onAction(({ name }) => { actions.push(name) })
  })
  return actions
}

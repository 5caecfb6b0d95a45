import { describe, expect, it, vi } from 'vitest'
import { useSessionsStore } from '../../src/stores/sessions'
import { connectAfterFirstPaint, openStartSessions } from '../../src/composables/useDeepLink'
import { useFreshStores } from '../support/freshStores'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve))

describe('a deep link that connects', () => {
  useFreshStores()

  it('is opened by openStartSessions but left for the caller to connect (not inside the first render)', () => {
    const sessions = useSessionsStore()
    const linked = openStartSessions(sessions, 'ws://fallback', { search: '?url=ws%3A%2F%2F127.0.0.1%3A9%2Fx&connect=1', pathname: '/', hash: '' })
    expect(linked).toBe(sessions.active)
    expect(linked?.url).toBe('ws://127.0.0.1:9/x')
    expect(linked?.state).toBe('idle')
    // Without connect=1 there is nothing to connect.
    expect(openStartSessions(sessions, 'ws://fallback', { search: '?url=ws%3A%2F%2F127.0.0.1%3A9%2Fy', pathname: '/', hash: '' })).toBeUndefined()
  })

  it('connects once, in a task after the next animation frame', async () => {
    const connect = vi.fn()
    connectAfterFirstPaint(connect, 5_000)
    expect(connect).not.toHaveBeenCalled()
    await nextFrame()
    expect(connect).not.toHaveBeenCalled()
    await sleep(20)
    expect(connect).toHaveBeenCalledTimes(1)
    await sleep(50)
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('connects after maxWaitMs when no frame comes (a tab in the background), and only once', async () => {
    const raf = vi.fn()
    vi.stubGlobal('requestAnimationFrame', raf)
    try {
      const connect = vi.fn()
      connectAfterFirstPaint(connect, 30)
      expect(raf).toHaveBeenCalledTimes(1)
      await sleep(10)
      expect(connect).not.toHaveBeenCalled()
      await sleep(60)
      expect(connect).toHaveBeenCalledTimes(1)
      // The frame coming late changes nothing.
      raf.mock.calls[0]![0](0)
      await sleep(10)
      expect(connect).toHaveBeenCalledTimes(1)
    }
    finally {
      vi.unstubAllGlobals()
    }
  })
})

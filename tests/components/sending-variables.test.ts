/**
 * Issue 10, variables: `{{name}}` in what the composer sends (src/sending/variables.ts, pure) and the send path that
 * uses it (stores/sending.ts `prepare`, called by sessions.sendComposed). Real sends go to a WebSocket server of this
 * test's own on 127.0.0.1, which records what it received.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ComposerPanel from '../../src/components/composer/ComposerPanel.vue'
import { BUILT_IN_VARIABLES, createResolver, expandText, isValidVariableName, type VariableScope } from '../../src/sending/variables'
import { GLOBAL_VARIABLES_KEY, useSendingStore } from '../../src/stores/sending'
import { useSessionsStore } from '../../src/stores/sessions'
import { translate } from '../../src/i18n'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeLoopbackServers, socketIoServer } from '../support/servers'
import { closeRecordingServers, connectedWsSession, sentFrames } from './sending-support'

function scope(over: Partial<VariableScope> = {}): VariableScope {
  let uuids = 0
  let randoms = 0
  return {
    counter: 7,
    now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    uuid: () => `uuid-${++uuids}`,
    random: () => ++randoms * 1000,
    user: [],
    ...over,
  }
}

const expand = (text: string, s: VariableScope = scope()) => expandText(text, createResolver(s))

describe('expandText (pure)', () => {
  it('expands every built-in variable', () => {
    expect(expand('{{now}}').text).toBe(String(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))
    expect(expand('{{iso}}').text).toBe('2026-01-02T03:04:05.678Z')
    expect(expand('{{uuid}}').text).toBe('uuid-1')
    expect(expand('{{counter}}').text).toBe('7')
    expect(expand('{{random}}').text).toBe('1000')
    expect(expand('{{ counter }}').text).toBe('7')
    expect(BUILT_IN_VARIABLES).toEqual(['now', 'iso', 'uuid', 'counter', 'random'])
  })

  it('gives each variable one value per send: every occurrence is the same', () => {
    const result = expand('{{uuid}} {{uuid}} {{random}} {{random}} {{counter}}-{{counter}} {{now}}={{now}}')
    const [u1, u2, r1, r2, counters, times] = result.text.split(' ')
    expect(u1).toBe(u2)
    expect(r1).toBe(r2)
    expect(counters).toBe('7-7')
    expect(times!.split('=')[0]).toBe(times!.split('=')[1])
  })

  it('real uuid and random values have their documented shape', () => {
    const real = expandText('{{uuid}} {{random}} {{now}}', createResolver({ counter: 1, now: () => Date.now(), uuid: () => crypto.randomUUID(), random: () => new Uint32Array([4294967295])[0]! >>> 1, user: [] })).text.split(' ')
    expect(real[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(Number(real[1])).toBe(2 ** 31 - 1)
  })

  it("user variables: a session's wins over a global one of the same name; built-ins cannot be redefined", () => {
    const s = scope({ user: [[{ name: 'host', value: 'global-host' }, { name: 'only', value: 'g' }], [{ name: 'host', value: 'session-host' }]] })
    expect(expand('{{host}} {{only}}', s).text).toBe('session-host g')
    expect(isValidVariableName('counter')).toBe(false)
    expect(isValidVariableName('my.var-1')).toBe(true)
    expect(isValidVariableName('1x')).toBe(false)
    // A user entry named like a built-in does not replace it.
    expect(expand('{{counter}}', scope({ user: [[{ name: 'counter', value: 'nope' }]] })).text).toBe('7')
  })

  it('\\{{ writes a literal {{ (the backslash goes, nothing after it is a variable)', () => {
    expect(expand('\\{{counter}} is {{counter}}').text).toBe('{{counter}} is 7')
    expect(expand('a \\{{ b').text).toBe('a {{ b')
    expect(expand('a \\{{ b').unknown).toEqual([])
    expect(expand('a \\{{ b').malformed).toEqual([])
  })

  it('flags unknown names and {{ that start no variable, each once', () => {
    const result = expand('{{nope}} {{nope}} {{other}} {{counter}}')
    expect(result.unknown).toEqual(['nope', 'other'])
    expect(expand('x {{ not a name }} y').malformed).toEqual(['{{ not a name }}'])
    expect(expand('tail {{counter').malformed).toEqual(['{{counter'])
  })

  it('does not expand a value again (no recursion)', () => {
    const s = scope({ user: [[{ name: 'a', value: '{{b}}' }, { name: 'b', value: 'B' }, { name: 'self', value: '{{self}}' }]] })
    const result = expand('{{a}} {{self}}', s)
    expect(result.text).toBe('{{b}} {{self}}')
    expect(result.unknown).toEqual([])
  })

  it('is linear: a megabyte of variables or of unclosed braces is one pass', () => {
    // A quadratic scan of these takes minutes; one pass is milliseconds (a busy 2-core machine: well under the bound).
    const unclosed = JSON.parse(JSON.stringify('{{'.repeat(500_000))) as string
    let start = performance.now()
    const result = expand(unclosed)
    expect(performance.now() - start).toBeLessThan(1000)
    expect(result.text).toBe(unclosed)
    expect(result.malformed).toEqual(['{{'.repeat(12)])
    const many = JSON.parse(JSON.stringify('{{a}}'.repeat(200_000))) as string
    start = performance.now()
    const expanded = expand(many, scope({ user: [[{ name: 'a', value: 'x' }]] }))
    expect(performance.now() - start).toBeLessThan(5000)
    expect(expanded.text).toBe('x'.repeat(200_000))
  })
})

describe('variables on the send path', () => {
  useFreshStores()
  afterEach(async () => {
    await closeRecordingServers()
    await closeLoopbackServers()
  })

  it('Socket.IO: the event name and every argument are expanded, JSON stays JSON', async () => {
    const { io, url } = await socketIoServer({ cors: { origin: '*' } })
    const received: { event: string, args: unknown[] }[] = []
    io.on('connection', (socket) => {
      socket.onAny((event: string, ...args: unknown[]) => { received.push({ event, args }) })
    })
    const sessions = useSessionsStore()
    const session = sessions.add({ url, type: 'socketio' })
    await sessions.connect(session)
    await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
    useSendingStore().setSessionVariables(session, [{ name: 'room', value: 'lobby' }])
    sessions.updateComposer(session, { eventName: 'chat-{{room}}', message: '{"n": {{counter}}, "room": "{{room}}"}' })
    sessions.addArgument(session)
    sessions.updateArgument(session, 0, { text: 'second {{counter}}', type: 'string' })
    expect(await sessions.sendComposed(session)).toBe(true)
    expect(await sessions.sendComposed(session)).toBe(true)
    await vi.waitFor(() => expect(received).toHaveLength(2))
    expect(received).toEqual([
      { event: 'chat-lobby', args: [{ n: 1, room: 'lobby' }, 'second 1'] },
      { event: 'chat-lobby', args: [{ n: 2, room: 'lobby' }, 'second 2'] },
    ])
  })

  it('counter starts at 1 and goes up once per send, shared by every occurrence; the timeline shows what was sent', async () => {
    const { server, sessions, session } = await connectedWsSession()
    sessions.updateComposer(session, { message: 'n={{counter}} again {{counter}} \\{{counter}}' })
    expect(await sessions.sendComposed(session)).toBe(true)
    expect(await sessions.sendComposed(session)).toBe(true)
    await vi.waitFor(() => expect(server.received).toHaveLength(2))
    expect(server.received).toEqual(['n=1 again 1 {{counter}}', 'n=2 again 2 {{counter}}'])
    expect(sentFrames(session)).toEqual(server.received)
    expect(session.sending.counter).toBe(3)
    // The composer keeps the template: the next send expands it again.
    expect(session.composer.message).toBe('n={{counter}} again {{counter}} \\{{counter}}')
  })

  it('an unknown name is not sent: the result line names it, the counter stays', async () => {
    const { server, sessions, session } = await connectedWsSession()
    sessions.updateComposer(session, { message: 'hello {{who}}' })
    expect(await sessions.sendComposed(session)).toBe(false)
    expect(translate(session.composer.result!.text as never)).toBe('Not sent: there is no variable named who. Define it under Variables, or write \\{{ for a literal {{.')
    expect(session.sending.counter).toBe(1)
    expect(session.sending.history).toEqual([])
    // Defined for every session, then overridden by the session's own.
    const sending = useSendingStore()
    sending.setGlobalVariables([{ name: 'who', value: 'world' }])
    expect(await sessions.sendComposed(session)).toBe(true)
    sending.setSessionVariables(session, [{ name: 'who', value: 'session' }])
    expect(await sessions.sendComposed(session)).toBe(true)
    await vi.waitFor(() => expect(server.received).toEqual(['hello world', 'hello session']))
    await nextTick()
    expect(JSON.parse(localStorage.getItem(GLOBAL_VARIABLES_KEY)!)).toEqual([{ name: 'who', value: 'world' }])
  })

  it('the preview shows the next send expanded (next counter) and flags unknown names, as text', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ type: 'ws' })
    sessions.updateComposer(session, { message: '<b>n={{counter}}</b>' })
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    await nextTick()
    expect(wrapper.text()).toContain('Next send, expanded')
    expect(wrapper.get('.preview pre').text()).toBe('<b>n=1</b>')
    expect(wrapper.find('.preview b').exists()).toBe(false)
    session.sending.counter = 5
    sessions.updateComposer(session, { message: 'n={{counter}} {{missing}}' })
    await nextTick()
    expect(wrapper.get('.preview pre').text()).toBe('n=5 {{missing}}')
    expect(wrapper.get('.preview').text()).toContain('there is no variable named missing')
    sessions.updateComposer(session, { message: 'plain' })
    await nextTick()
    expect(wrapper.find('.preview').exists()).toBe(false)
  })

  it('the Variables panel edits session and global variables', async () => {
    const sessions = useSessionsStore()
    const sending = useSendingStore()
    const session = sessions.add({ type: 'ws' })
    const wrapper = mountInDocument(ComposerPanel, { props: { session } })
    const lists = wrapper.findAll('.variables .list')
    await lists[0]!.get('button.add').trigger('click')
    await wrapper.get('input[aria-label="Name of variable 1"]').setValue('token')
    await wrapper.get('input[aria-label="Value of variable 1"]').setValue('abc')
    expect(session.sending.variables).toEqual([{ name: 'token', value: 'abc' }])
    await lists[1]!.get('button.add').trigger('click')
    expect(sending.globals).toEqual([{ name: '', value: '' }])
    const globalName = lists[1]!.get('input[aria-label="Name of variable 1"]')
    await globalName.setValue('counter')
    expect(wrapper.text()).toContain('not a built-in one')
    await wrapper.get('button[aria-label="Remove variable 1"]').trigger('click')
    expect(session.sending.variables).toEqual([])
  })
})

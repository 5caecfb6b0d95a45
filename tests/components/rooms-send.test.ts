/**
 * "Send to room" (issue 10): the Rooms panel sends its own text to a joined room with the session's event name and
 * payload shape, through the sessions store (`sendToRoom`). Real sockets: a Socket.IO server of this test's own that
 * behaves as the study note's (join on `joinRoom`, others in the room get `message` with the plain message) and also
 * records every event it receives, so each shape is checked as the server decoded it.
 */
import 'fake-indexeddb/auto'
import type { Server as SocketIoServer } from 'socket.io'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import RoomsPanel from '../../src/components/rooms/RoomsPanel.vue'
import { setLocale } from '../../src/i18n'
import type { Session } from '../../src/stores/session'
import { roomMessageArgs } from '../../src/stores/socketIoSession'
import { defaultRoomSettings } from '../../src/stores/session'
import { useSessionsStore } from '../../src/stores/sessions'
import { useStoreActions } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeLoopbackServers, socketIoServer } from '../support/servers'

let store: ReturnType<typeof useSessionsStore>

// Registered first, so it runs last: after the sessions close (after hooks run as a stack).
afterEach(() => closeLoopbackServers())
const actions = useStoreActions()
beforeEach(() => {
  setLocale('en', false)
  store = useSessionsStore()
})

/** The study note's room server (dev-server's default namespace), plus a record of what each event carried. */
async function roomServer(): Promise<{ url: string, received: { event: string, args: unknown[] }[], io: SocketIoServer }> {
  const { io, url } = await socketIoServer({ cors: { origin: '*' } })
  const received: { event: string, args: unknown[] }[] = []
  io.on('connection', (socket) => {
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? args.pop() as (...a: unknown[]) => void : undefined
      received.push({ event, args })
      if (event === 'joinRoom') void socket.join(String(args[0]))
      if (event === 'message') {
        const data = args[0] as { room: string, message: string }
        socket.to(data.room).emit('message', data.message)
      }
      ack?.('ok')
    })
  })
  return { url, received, io }
}

async function connected(url: string): Promise<Session> {
  const session = store.add({ url, type: 'socketio' })
  await store.connect(session)
  await vi.waitFor(() => expect(session.state).toBe('open'), { timeout: 8000 })
  return session
}

async function join(wrapper: ReturnType<typeof mountInDocument>, room: string): Promise<void> {
  await wrapper.get('input[aria-label="Room"]').setValue(room)
  await wrapper.get('form').trigger('submit')
  const session = (wrapper.props() as { session: Session }).session
  await vi.waitFor(() => expect(session.rooms.find(r => r.name === room)?.status).toBe('joined'))
  await nextTick()
}

function sendButton(wrapper: ReturnType<typeof mountInDocument>) {
  return wrapper.findAll('button').find(b => b.text() === 'Send to room')!
}

describe('Send to room', () => {
  it('the payload shapes: one object (keys settable), two arguments either way, the text alone', () => {
    const settings = defaultRoomSettings()
    expect(roomMessageArgs(settings, 'lobby', 'hi')).toEqual([{ room: 'lobby', message: 'hi' }])
    expect(roomMessageArgs({ ...settings, roomKey: 'roomId', messageKey: 'text' }, 'lobby', 'hi')).toEqual([{ roomId: 'lobby', text: 'hi' }])
    expect(roomMessageArgs({ ...settings, roomKey: ' ', messageKey: '' }, 'lobby', 'hi')).toEqual([{ room: 'lobby', message: 'hi' }])
    expect(roomMessageArgs({ ...settings, sendShape: 'args' }, 'lobby', 'hi')).toEqual(['lobby', 'hi'])
    expect(roomMessageArgs({ ...settings, sendShape: 'argsReversed' }, 'lobby', 'hi')).toEqual(['hi', 'lobby'])
    expect(roomMessageArgs({ ...settings, sendShape: 'text' }, 'lobby', 'hi')).toEqual(['hi'])
    // A key named like a prototype property is an ordinary key of the object sent.
    const [odd] = roomMessageArgs({ ...settings, roomKey: '__proto__' }, 'lobby', 'hi') as [Record<string, unknown>]
    expect(Object.keys(odd)).toEqual(['__proto__', 'message'])
  })

  it('no room joined: the button is disabled and the reason is said (not connected, then no room)', async () => {
    const { url } = await roomServer()
    const session = store.add({ url, type: 'socketio' })
    const wrapper = mountInDocument(RoomsPanel, { props: { session } })
    const button = sendButton(wrapper)
    expect(button.attributes('disabled')).toBeDefined()
    // Hidden from role queries while it cannot act: the composer's "Send" stays the only button named "Send".
    expect(button.attributes('aria-hidden')).toBe('true')
    expect(wrapper.get(`#${session.id}-room-send-reason`).text()).toBe('Connect and join a room to send to it.')
    await store.connect(session)
    await vi.waitFor(() => expect(wrapper.get(`#${session.id}-room-send-reason`).text()).toBe('Join a room to send to it.'), { timeout: 8000 })
    await wrapper.get('input[aria-label="Text to send"]').setValue('hello')
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined()
    await sendButton(wrapper).element.closest('form')!.dispatchEvent(new Event('submit'))
    expect(actions).not.toContain('sendToRoom')
    setLocale('ko')
    await nextTick()
    expect(wrapper.get(`#${session.id}-room-send-reason`).text()).toBe('방에 입장해야 보낼 수 있습니다.')
    expect(wrapper.find('input[aria-label="보낼 텍스트"]').exists()).toBe(true)
  })

  it('sends `message` with { room, message } by default; another session in the room receives the plain message', async () => {
    const { url, received } = await roomServer()
    const alice = await connected(url)
    const bob = await connected(url)
    const aliceRooms = mountInDocument(RoomsPanel, { props: { session: alice } })
    const bobRooms = mountInDocument(RoomsPanel, { props: { session: bob } })
    await join(aliceRooms, 'lobby')
    await join(bobRooms, 'lobby')
    // Joined, but nothing typed here or in Message: disabled, hidden from role queries, with the reason.
    expect(sendButton(bobRooms).attributes('disabled')).toBeDefined()
    expect(sendButton(bobRooms).attributes('aria-hidden')).toBe('true')
    expect(bobRooms.text()).toContain('Type the text to send here, or in Message')
    // A Message that already names its room is what "Send" sends: "Send to room" stays out of its way.
    store.updateComposer(bob, { message: '{"room": "lobby", "message": "via Send"}' })
    await nextTick()
    expect(sendButton(bobRooms).attributes('aria-hidden')).toBe('true')
    // A draft for another event belongs to that event.
    store.updateComposer(bob, { eventName: 'echo', message: 'for echo' })
    await nextTick()
    expect(sendButton(bobRooms).attributes('aria-hidden')).toBe('true')
    store.updateComposer(bob, { eventName: 'message', message: '' })
    await nextTick()
    expect(bobRooms.text()).toContain('to lobby')
    await bobRooms.get('input[aria-label="Text to send"]').setValue('hi from bob')
    expect(bob.roomSettings.sendText).toBe('hi from bob')
    expect(sendButton(bobRooms).attributes('disabled')).toBeUndefined()
    expect(sendButton(bobRooms).attributes('aria-hidden')).toBeUndefined()
    await sendButton(bobRooms).element.closest('form')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(bobRooms.get('[role="status"]').text()).toBe('Sent message to lobby.'))
    expect(received.filter(r => r.event === 'message')).toEqual([{ event: 'message', args: [{ room: 'lobby', message: 'hi from bob' }] }])
    // Alice's timeline: the server's `message` with the plain text.
    await vi.waitFor(() => {
      const got = alice.timeline.toArray().find(e => e.layer === 'app' && e.kind === 'event' && e.name === 'message' && JSON.stringify(e.detail).includes('hi from bob'))
      expect(got).toBeDefined()
    })
    expect(actions).toEqual(expect.arrayContaining(['updateRoomSettings', 'sendToRoom']))
  })

  it('with "Text to send" empty, the composer\'s Message goes to the room', async () => {
    const { url, received } = await roomServer()
    const session = await connected(url)
    const wrapper = mountInDocument(RoomsPanel, { props: { session } })
    await join(wrapper, 'lobby')
    store.updateComposer(session, { message: 'from the composer' })
    await nextTick()
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined()
    await sendButton(wrapper).element.closest('form')!.dispatchEvent(new Event('submit'))
    expect(sendButton(wrapper).attributes('aria-hidden')).toBeUndefined()
    await vi.waitFor(() => expect(received.filter(r => r.event === 'message')).toEqual([{ event: 'message', args: [{ room: 'lobby', message: 'from the composer' }] }]))
  })

  it('"Text to send" takes {{variables}}, sharing the composer\'s counter; an unknown one stops the send and is named', async () => {
    const { url, received } = await roomServer()
    const session = await connected(url)
    const wrapper = mountInDocument(RoomsPanel, { props: { session } })
    await join(wrapper, 'lobby')
    await wrapper.get('input[aria-label="Text to send"]').setValue('n={{counter}}')
    for (const n of [1, 2]) {
      await sendButton(wrapper).element.closest('form')!.dispatchEvent(new Event('submit'))
      await vi.waitFor(() => expect(received.filter(r => r.event === 'message')).toHaveLength(n))
      await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toBe('Sent message to lobby.'))
    }
    expect(received.filter(r => r.event === 'message').map(r => r.args)).toEqual([[{ room: 'lobby', message: 'n=1' }], [{ room: 'lobby', message: 'n=2' }]])
    expect(session.sending.counter).toBe(3)
    await wrapper.get('input[aria-label="Text to send"]').setValue('{{nope}}')
    await sendButton(wrapper).element.closest('form')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(wrapper.get('[role="status"]').text()).toContain('nope'))
    expect(received.filter(r => r.event === 'message')).toHaveLength(2)
    expect(session.sending.counter).toBe(3)
  })

  it('the event name and shape are settable and saved in roomSettings; with two rooms joined a select picks one', async () => {
    const { url, received } = await roomServer()
    const session = await connected(url)
    const wrapper = mountInDocument(RoomsPanel, { props: { session } })
    await join(wrapper, 'a')
    await join(wrapper, 'b')
    const target = wrapper.get('label.target select').element as HTMLSelectElement
    expect(wrapper.get('label.target').text()).toContain('Room to send to')
    expect(target.value).toBe('b')
    await wrapper.get('label.target select').setValue('a')
    expect(session.roomSettings.sendRoom).toBe('a')
    const events = wrapper.findAll('.settings input')
    const eventField = events.find(i => i.element.parentElement?.textContent?.startsWith('Event to send'))!
    await eventField.setValue('chat')
    const shape = wrapper.findAll('.settings select').find(s => s.element.parentElement?.textContent?.startsWith('Arguments'))!
    expect(shape.findAll('option').map(o => o.text())).toEqual(['one object { room, message }', 'room, text (two arguments)', 'text, room (two arguments)', 'the text only'])
    await shape.setValue('args')
    expect(session.roomSettings).toMatchObject({ sendEvent: 'chat', sendShape: 'args', sendRoom: 'a' })
    await wrapper.get('input[aria-label="Text to send"]').setValue('two args')
    await sendButton(wrapper).element.closest('form')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(received.find(r => r.event === 'chat')).toEqual({ event: 'chat', args: ['a', 'two args'] }))
    expect(wrapper.get('[role="status"]').text()).toBe('Sent chat to a.')
    // An emptied event name blocks the send and says where to fill it in.
    await eventField.setValue('')
    expect(wrapper.text()).toContain('Name the event to send (Room events).')
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined()
  })
})

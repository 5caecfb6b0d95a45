/**
 * The fan-out view (issue 13) against the real dev server: the store starts N real clients, the grid names every
 * client's state, a burst's deliveries and latencies show on the tick, a restart's storm is timed, clicking a cell
 * shows that client's timeline, and the view follows the language.
 */
import 'fake-indexeddb/auto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import FanoutView from '../../src/components/fanout/FanoutView.vue'
import FanoutButton from '../../src/components/fanout/FanoutButton.vue'
import { setLocale } from '../../src/i18n'
import { useFanoutStore } from '../../src/stores/fanout'
import { useSessionsStore } from '../../src/stores/sessions'
import type { Server as SocketIoServer } from 'socket.io'
import { useFreshStores } from '../support/freshStores'
import { mountInDocument } from '../support/mount'
import { closeLoopbackServers, socketIoServer } from '../support/servers'

/**
 * The study note's room server (as the dev server's default namespace: join on `joinRoom` with an ack, `message`
 * `{ room, message }` forwarded to the others in the room as the plain message), whose `welcome` names a node as
 * the clustered dev server's does. (The dev server itself does not load in the DOM test environment.)
 */
let io: SocketIoServer
let url: string
beforeAll(async () => {
  ({ io, url } = await socketIoServer({ cors: { origin: '*' } }))
  io.on('connection', (socket) => {
    socket.emit('welcome', { id: socket.id, node: socket.id.charCodeAt(0) % 2 === 0 ? 'n1' : 'n2' })
    socket.on('joinRoom', (room: string, ack?: (rooms: string[]) => void) => {
      void socket.join(room)
      ack?.([room])
    })
    socket.on('leaveRoom', (room: string, ack?: (rooms: string[]) => void) => {
      void socket.leave(room)
      ack?.([])
    })
    socket.on('message', (data: { room: string, message: unknown }) => socket.to(data.room).emit('message', data.message))
  })
})
afterAll(async () => {
  await closeLoopbackServers()
})
/** A server restart as the clients see it: every connection cut. */
function cutAll(): void {
  for (const socket of io.of('/').sockets.values()) socket.conn.close()
}
const server = { urls: { socketio: () => url } }

describe('fan-out view', { timeout: 30_000 }, () => {
  useFreshStores()
  beforeEach(() => setLocale('en', false))
  // The run's clients are the store's: closed with it, so no test leaves sockets open.
  afterEach(() => useFanoutStore().stop())

  function startFanout(clients: number, room = `r-${Math.random().toString(36).slice(2)}`) {
    const fanout = useFanoutStore()
    Object.assign(fanout.form, { url: server.urls.socketio(), type: 'socketio', clients, rampPerSecond: 200, rooms: room, burstCount: 5 })
    const wrapper = mountInDocument(FanoutView)
    return { fanout, wrapper }
  }

  it('shows each client\'s state by name, a burst\'s deliveries with latencies, and stops', async () => {
    const { fanout, wrapper } = startFanout(6)
    expect(wrapper.text()).toContain('Set up the clients and press Start fan-out.')
    await wrapper.get('form[aria-label="Fan-out setup"]').trigger('submit')
    const run = await vi.waitFor(() => {
      if (!fanout.run) throw new Error('not started yet')
      return fanout.run
    }, { timeout: 10_000 })
    await vi.waitFor(() => expect(run.readyCount()).toBe(6), { timeout: 10_000 })
    await vi.waitFor(() => expect(wrapper.get('[aria-label="Client states"] [role="status"]').text()).toContain('6 in their room'))
    const cells = wrapper.findAll('[role="img"]')
    expect(cells.map(c => c.attributes('aria-label'))).toEqual([1, 2, 3, 4, 5, 6].map(n => `Client ${n}: open, node ${run.grid.nodes[n - 1]}`))
    expect(run.grid.nodes.every(n => n === 'n1' || n === 'n2')).toBe(true)
    const perNode = wrapper.findAll('[aria-label="Server nodes"] li').map(li => li.text())
    expect(perNode.reduce((sum, text) => sum + Number(/: (\d+) clients/.exec(text)![1]), 0)).toBe(6)

    const burst = wrapper.findAll('button').find(b => b.text() === 'Send burst')!
    await burst.trigger('click')
    expect(wrapper.get('[aria-label="Send"] [role="status"]').text()).toBe('Message #5 sent by client 1 to 5 clients.')
    const deliveries = () => wrapper.get('[aria-label="Deliveries"]')
    await vi.waitFor(() => expect(deliveries().text()).toContain('Delivered 25 of 25 expected (5 messages; 5 reached everyone)'), { timeout: 10_000 })
    expect(deliveries().text()).toMatch(/min [\d.]+ · median [\d.]+ · p95 [\d.]+ · max [\d.]+ ms/)
    expect(deliveries().findAll('tbody tr').map(r => r.findAll('td')[1]!.text())).toEqual(Array(5).fill('5 of 5'))
    const bins = deliveries().findAll('[aria-label="Latency histogram"] li').map(li => Number(/: (\d+)$/.exec(li.text())![1]))
    expect(bins.reduce((a, b) => a + b, 0)).toBe(25)

    await wrapper.findAll('button').find(b => b.text() === 'Stop fan-out')!.trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[role="img"]').every(c => /: closed(,|$)/.test(c.attributes('aria-label')!))).toBe(true))
    expect(run.clients.every(c => c.driver!.state === 'closed' || c.driver!.state === 'idle')).toBe(true)
  })

  it('names the clients that missed a message', async () => {
    const { fanout, wrapper } = startFanout(4)
    const run = await fanout.start()
    await vi.waitFor(() => expect(run.readyCount()).toBe(4), { timeout: 10_000 })
    // Client 4 leaves the room behind the fan-out's back.
    await run.clients[3]!.driver!.send({ kind: 'event', name: 'leaveRoom', args: [run.clients[3]!.room], ack: true })
    fanout.send()
    await vi.waitFor(() => expect(run.log.summary(1)?.received).toBe(2), { timeout: 5000 })
    await new Promise(r => setTimeout(r, 300))
    await vi.waitFor(() => {
      const row = wrapper.get('[aria-label="Deliveries"] tbody tr')
      expect(row.findAll('td').map(td => td.text()).slice(1, 3)).toEqual(['2 of 3', '4'])
    })
    expect(wrapper.get('[aria-label="Deliveries"] [role="status"]').text()).toContain('1 missed')
  })

  it('times a reconnect storm after every connection is cut (a server restart) until every client is back', async () => {
    const { fanout, wrapper } = startFanout(5)
    const run = await fanout.start()
    await vi.waitFor(() => expect(run.readyCount()).toBe(5), { timeout: 10_000 })
    cutAll()
    await vi.waitFor(() => expect(wrapper.get('[aria-label="Client states"]').text()).toMatch(/Reconnect storm: all 5 back after [\d.]+ s \(at most 5 down at once\)/), { timeout: 20_000 })
  })

  it('shows the timeline of the client whose cell is clicked', async () => {
    const { fanout, wrapper } = startFanout(3)
    await fanout.start()
    await vi.waitFor(() => expect(fanout.run!.readyCount()).toBe(3), { timeout: 10_000 })
    const picker = wrapper.get<HTMLInputElement>('.pick input')
    expect(picker.element.value).toBe('1')
    await wrapper.findAll('[role="img"]')[2]!.trigger('click')
    await nextTick()
    expect(fanout.shownClient).toBe(3)
    expect(picker.element.value).toBe('3')
    await vi.waitFor(() => expect(wrapper.get('[role="log"]').text()).toContain('joinRoom'))
  })

  it('opens from the active session with its endpoint and rooms settings, and speaks Korean', async () => {
    const sessions = useSessionsStore()
    const session = sessions.add({ url: server.urls.socketio(), type: 'socketio' })
    session.roomSettings.joinEvent = 'join-room'
    session.roomSettings.payload = 'object'
    const button = mountInDocument(FanoutButton)
    await button.trigger('click')
    const fanout = useFanoutStore()
    expect(fanout.isOpen).toBe(true)
    expect(fanout.form).toMatchObject({ url: server.urls.socketio(), type: 'socketio', joinEvent: 'join-room', joinPayload: 'object' })
    setLocale('ko', false)
    const wrapper = mountInDocument(FanoutView)
    expect(wrapper.text()).toContain('팬아웃 시작')
    fanout.form.clients = 300
    await nextTick()
    expect(wrapper.get('[role="note"]').text()).toContain('255')
    // Choosing another tab leaves the fan-out view.
    sessions.add({ url: 'ws://localhost:1' })
    await nextTick()
    expect(fanout.isOpen).toBe(false)
  })

  it('exports the setup as an Artillery test through the export dialog', async () => {
    const { fanout, wrapper } = startFanout(30, 'lobby')
    fanout.form.rampPerSecond = 10
    fanout.form.message = 'hi all'
    await wrapper.findAll('button').find(b => b.text() === 'Export as Artillery test')!.trigger('click')
    await vi.waitFor(() => expect(document.body.textContent).toContain('joinRoom'), { timeout: 10_000 })
    const text = document.body.textContent ?? ''
    expect(text).toContain('engine: socketio')
    expect(text).toContain('hi all')
    expect(text).toMatch(/arrivalRate: 10/)
  })
})

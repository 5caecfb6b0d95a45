/**
 * The Socket.IO server of the study note (/work/shared/seeds, issue 8): a client written from that note must work
 * against the dev server unchanged. The note's server:
 *
 *   socket.on('joinRoom', (room) => { socket.join(room); io.to(room).emit('message', `${socket.id} ...`) })
 *   socket.on('message', (data) => socket.to(data.room).emit('message', data.message))
 *   socket.on('leaveRoom', (room) => { socket.leave(room); io.to(room).emit('message', `${socket.id} ...`) })
 *
 * So the clients below do exactly what a reader of the note writes: a plain `io(url)`, `emit('joinRoom', room)`,
 * `emit('message', { room, message })`, `on('message', (text) => ...)`, `emit('leaveRoom', room)`, and no acks.
 *
 * The dev server keeps Socket.IO's connection state recovery on, so Socket.IO itself appends its packet offset (a
 * string) after the arguments of every plain event; a handler `(text) => ...` never sees it. `noteArgs` checks that
 * nothing else comes along.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { connected, sleep, useDevServer, waitFor } from '../support/devServer.ts'

const server = useDevServer()
const clients: Socket[] = []

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect()
})

/** The application arguments of one `message` call: the recovery offset, when there, is a short string after them. */
function noteArgs(args: unknown[]): unknown[] {
  expect(args.length).toBeGreaterThanOrEqual(1)
  expect(args.length).toBeLessThanOrEqual(2)
  if (args.length === 2) expect(args[1]).toEqual(expect.any(String))
  return args.slice(0, 1)
}

/** The note's client: nothing but `io(url)` (forceNew only so that two clients in one test get two connections). */
function noteClient(url: string): { socket: Socket, messages: unknown[][] } {
  const socket = io(url, { forceNew: true })
  clients.push(socket)
  const messages: unknown[][] = []
  socket.on('message', (...args: unknown[]) => messages.push(args))
  return { socket, messages }
}

describe('the study note\'s Socket.IO client', () => {
  it('joins a room, hears the announcement, gets the others\' plain messages, and hears a leave', async () => {
    const alice = noteClient(server().urls.socketio)
    const bob = noteClient(server().urls.socketio)
    const outsider = noteClient(server().urls.socketio)
    await Promise.all([connected(alice.socket), connected(bob.socket), connected(outsider.socket)])

    alice.socket.emit('joinRoom', 'lobby')
    await waitFor('alice to hear her own join', () => alice.messages.length === 1)
    // `io.to(room).emit('message', text)`: one string argument that names the socket and the room.
    noteArgs(alice.messages[0]!)
    expect(alice.messages[0]![0]).toEqual(expect.stringContaining(alice.socket.id!))
    expect(alice.messages[0]![0]).toEqual(expect.stringContaining('lobby'))

    bob.socket.emit('joinRoom', 'lobby')
    await waitFor('both to hear bob join', () => alice.messages.length === 2 && bob.messages.length === 1)
    expect(alice.messages[1]![0]).toEqual(expect.stringContaining(bob.socket.id!))

    // `socket.to(data.room).emit('message', data.message)`: the plain message is the only argument, and only the
    // others in the room get it.
    bob.socket.emit('message', { room: 'lobby', message: '안녕하세요' })
    await waitFor('alice to get bob\'s message', () => alice.messages.length === 3)
    expect(noteArgs(alice.messages[2]!)).toEqual(['안녕하세요'])
    alice.socket.emit('message', { room: 'lobby', message: { any: 'json', n: 1 } })
    await waitFor('bob to get alice\'s message', () => bob.messages.length === 2)
    expect(noteArgs(bob.messages[1]!)).toEqual([{ any: 'json', n: 1 }])

    alice.socket.emit('leaveRoom', 'lobby')
    await waitFor('bob to hear alice leave', () => bob.messages.length === 3)
    noteArgs(bob.messages[2]!)
    expect(bob.messages[2]![0]).toEqual(expect.stringContaining(alice.socket.id!))

    // After leaving, alice no longer gets the room's messages; the outsider never got any.
    bob.socket.emit('message', { room: 'lobby', message: 'anyone?' })
    await sleep(100)
    // Her own join, bob's join and bob's message; she left before her leave notice went to the room.
    expect(alice.messages).toHaveLength(3)
    expect(outsider.messages).toEqual([])
  })
})

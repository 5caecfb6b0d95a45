import { describe, expect, it } from 'vitest'
import type { DraftEvent } from '../../src/protocol/events'
import { dueUntil, replayPlan, replayPlanInSlices } from '../../src/timeline/replayPlan'
import { runInSlices } from '../../src/timeline/importCommon'
import { Timeline } from '../../src/timeline/timeline'
import { draft, FIXTURE_TIME, frame, numbered } from '../support/events'

const T = FIXTURE_TIME

/** A raw WebSocket recording: frames out at 0, 100, 350 ms (text, binary, text), with answers and lifecycle around. */
function wsRecording(): DraftEvent[] {
  const bytes = new Uint8Array([0, 1, 2, 255]).buffer
  return [
    draft('lifecycle', 'connecting', { time: T - 50, attempt: 0 }),
    draft('lifecycle', 'open', { time: T - 10, dir: 'in' }),
    frame('hello', { time: T, dir: 'out' }),
    frame('echo hello', { time: T + 5, dir: 'in' }),
    frame(bytes, { time: T + 100, dir: 'out' }),
    frame(bytes, { time: T + 102, dir: 'in' }),
    frame('{"a":1}', { time: T + 350, dir: 'out' }),
    draft('lifecycle', 'close', { time: T + 400, code: 1000, reason: '', dir: 'local' }),
  ]
}

/** A Socket.IO recording: emits with and without ack on two namespaces, and the client's own packets around. */
function sioRecording(): DraftEvent[] {
  return [
    draft('engine', 'handshake', { time: T - 20 }),
    frame('40', { time: T - 19, dir: 'out', transport: 'polling' }),
    draft('socketio', 'packet', { time: T - 19, dir: 'out', name: 'CONNECT', namespace: '/' }),
    draft('app', 'emit', { time: T, name: 'chat', namespace: '/', detail: { args: ['hi', { n: 1 }] } }),
    frame('42["chat","hi",{"n":1}]', { time: T, dir: 'out' }),
    draft('app', 'emit', { time: T + 1000, name: 'save', namespace: '/', ackId: 0, detail: { args: [{ id: 7 }], ackTimeoutMs: 3000 } }),
    draft('app', 'flushed', { time: T + 1001, name: 'save', namespace: '/', detail: { waitedMs: 1 } }),
    draft('app', 'ack', { time: T + 1010, name: 'save', namespace: '/', ackId: 0, rttMs: 9, detail: { args: ['ok'] } }),
    draft('engine', 'pong', { time: T + 1500, dir: 'out' }),
    draft('app', 'ack_reply', { time: T + 1600, name: 'ping', namespace: '/', detail: { args: ['pong'] } }),
    draft('app', 'emit', { time: T + 61_000, name: 'bin', namespace: '/admin', detail: { args: [new Uint8Array([9]).buffer], volatile: true, compress: false } }),
  ]
}

describe('replay plan', () => {
  it('raw WebSocket: resends each outgoing frame (text and binary) with its original spacing', () => {
    const plan = replayPlan(numbered(wsRecording()), 'ws')
    expect(plan.steps.map(s => s.at)).toEqual([0, 100, 350])
    expect(plan.steps.map(s => s.seq)).toEqual([3, 5, 7])
    expect(plan.steps[0]!.message).toEqual({ kind: 'text', text: 'hello' })
    const binary = plan.steps[1]!.message
    expect(binary.kind).toBe('binary')
    if (binary.kind === 'binary') expect([...new Uint8Array(binary.data as ArrayBuffer)]).toEqual([0, 1, 2, 255])
    expect(plan.steps[2]!.message).toEqual({ kind: 'text', text: '{"a":1}' })
    expect(plan).toMatchObject({ durationMs: 350, acks: 0, capped: 0, namespaces: [] })
  })

  it('the binary it resends is a copy: sending cannot detach the recording', () => {
    const events = numbered(wsRecording())
    const plan = replayPlan(events, 'ws')
    const message = plan.steps[1]!.message
    if (message.kind !== 'binary') throw new Error('binary expected')
    expect(message.data).not.toBe(events[4]!.data)
  })

  it('speed divides every gap; "max" sends them back to back', () => {
    const events = numbered(wsRecording())
    expect(replayPlan(events, 'ws', { speed: 2 }).steps.map(s => s.at)).toEqual([0, 50, 175])
    expect(replayPlan(events, 'ws', { speed: 10 }).steps.map(s => s.at)).toEqual([0, 10, 35])
    expect(replayPlan(events, 'ws', { speed: 0.5 }).steps.map(s => s.at)).toEqual([0, 200, 700])
    expect(replayPlan(events, 'ws', { speed: 'max' }).steps.map(s => s.at)).toEqual([0, 0, 0])
  })

  it('max gap caps a long pause before the speed applies, and counts the gaps it shortened', () => {
    const events = numbered(sioRecording())
    const plan = replayPlan(events, 'socketio', { maxGapMs: 5000 })
    expect(plan.steps.map(s => s.at)).toEqual([0, 1000, 6000])
    expect(plan.capped).toBe(1)
    expect(replayPlan(events, 'socketio', { maxGapMs: 5000, speed: 2 }).steps.map(s => s.at)).toEqual([0, 500, 3000])
    expect(replayPlan(events, 'socketio').steps.map(s => s.at)).toEqual([0, 1000, 61_000])
  })

  it('Socket.IO: resends the emits with their args, namespace and ack request; not the client\'s own packets', () => {
    const plan = replayPlan(numbered(sioRecording()), 'socketio')
    expect(plan.steps.map(s => s.message)).toEqual([
      { kind: 'event', name: 'chat', args: ['hi', { n: 1 }], namespace: '/' },
      { kind: 'event', name: 'save', args: [{ id: 7 }], namespace: '/', ack: true, timeoutMs: 3000 },
      { kind: 'event', name: 'bin', args: [expect.any(ArrayBuffer)], namespace: '/admin', volatile: true, compress: false },
    ])
    expect(plan.acks).toBe(1)
    expect(plan.namespaces).toEqual(['/', '/admin'])
  })

  it('an emit that asked for an ack without an id yet (retries queue it) still asks for one', () => {
    const plan = replayPlan(numbered([draft('app', 'emit', { time: T, name: 'q', namespace: '/', detail: { args: [], ackTimeoutMs: 100 } })]), 'socketio')
    expect(plan.steps[0]!.message).toMatchObject({ ack: true, timeoutMs: 100 })
  })

  it('a Socket.IO recording\'s frames are not resent as raw frames, nor a raw recording\'s as emits', () => {
    expect(replayPlan(numbered(sioRecording()), 'ws').steps.map(s => s.seq)).toEqual([2, 5])
    expect(replayPlan(numbered(wsRecording()), 'socketio').steps).toEqual([])
  })

  it('clock going backwards (an edited file) waits nothing rather than a negative time', () => {
    const events = numbered([frame('a', { time: T + 10, dir: 'out' }), frame('b', { time: T, dir: 'out' })])
    expect(replayPlan(events, 'ws').steps.map(s => s.at)).toEqual([0, 0])
  })

  it('reads a Timeline by index, in slices, for hundreds of thousands of events', async () => {
    const timeline = new Timeline({ maxEvents: 300_000 })
    for (let i = 0; i < 300_000; i++) timeline.append(i % 10 === 0 ? frame(`m${i}`, { time: T + i, dir: 'out' }) : frame('x', { time: T + i, dir: 'in' }))
    const plan = await runInSlices(replayPlanInSlices(timeline, 'ws', { speed: 'max' }), { budgetMs: 8 })
    expect(plan.steps).toHaveLength(30_000)
    expect(plan.steps[29_999]!.message).toEqual({ kind: 'text', text: 'm299990' })
  })

  it('dueUntil: the steps whose time has come', () => {
    const plan = replayPlan(numbered(wsRecording()), 'ws')
    expect(dueUntil(plan.steps, 0, 0)).toBe(1)
    expect(dueUntil(plan.steps, 1, 99)).toBe(1)
    expect(dueUntil(plan.steps, 1, 100)).toBe(2)
    expect(dueUntil(plan.steps, 2, 10_000)).toBe(3)
  })
})

import { describe, expect, it } from 'vitest'
import { findTag, payloadKey, receivedKeys, tagMessage, tagText } from '../../src/fanout/tag'
import { DeliveryLog } from '../../src/fanout/deliveries'

describe('fan-out tags', () => {
  it('tags text and objects so a receiver finds the seq wherever the server puts the message', () => {
    const tag = { run: 'r1', seq: 7 }
    expect(tagMessage('hello', tag)).toBe('hello [fanout r1#7]')
    expect(tagMessage('', tag)).toBe(tagText(tag))
    expect(tagMessage({ a: 1 }, tag)).toEqual({ a: 1, fanout: { id: 'r1', seq: 7 } })
    // The study note's server forwards the message alone; others wrap it ({ room, message, from }).
    expect(findTag(['hello [fanout r1#7]'], 'r1')).toBe(7)
    expect(findTag([{ room: 'x', message: 'hi [fanout r1#7]', from: 'abc' }], 'r1')).toBe(7)
    expect(findTag([{ room: 'x', message: { a: 1, fanout: { id: 'r1', seq: 7 } } }], 'r1')).toBe(7)
  })

  it('ignores another run\'s tags, untagged data, and data too deep or too wide to walk', () => {
    expect(findTag(['hello [fanout r2#7]'], 'r1')).toBeUndefined()
    expect(findTag(['hello', 3, null, { x: [] }], 'r1')).toBeUndefined()
    let deep: unknown = 'x [fanout r1#1]'
    for (let i = 0; i < 10; i++) deep = { inner: deep }
    expect(findTag([deep], 'r1')).toBeUndefined()
    const wide = Array.from({ length: 200 }, () => 'noise')
    wide.push('x [fanout r1#2]')
    expect(findTag([wide], 'r1')).toBeUndefined()
    // A cycle cannot loop: the walk is bounded.
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(findTag([cyclic], 'r1')).toBeUndefined()
  })

  it('offers payload keys of each argument and of an object\'s message', () => {
    expect(receivedKeys(['hi', { room: 'r', message: 'hi' }])).toEqual(['"hi"', '{"room":"r","message":"hi"}', '"hi"'])
    expect(payloadKey(undefined)).toBeUndefined()
    expect(payloadKey('x'.repeat(5000))).toBeUndefined()
  })
})

describe('delivery log', () => {
  it('counts first receipts, duplicates and misses per message', () => {
    const log = new DeliveryLog()
    const m = log.send(1, 1000, [2, 3, 4])
    expect(log.receive(2, m.seq, 1010)).toBe('first')
    expect(log.receive(3, m.seq, 1030)).toBe('first')
    expect(log.receive(3, m.seq, 1031)).toBe('duplicate')
    expect(log.receive(1, m.seq, 1005)).toBe('first') // the sender, not expected
    expect(log.receive(2, 99, 1040)).toBe('unknown')
    const s = log.summary(m.seq)!
    expect(s).toMatchObject({ expected: 3, received: 3, missed: [4], unexpected: [1], duplicates: 1, duplicatedBy: [3] })
    expect(s.latency).toEqual({ count: 3, min: 5, median: 10, p95: 30, max: 30 })
    expect(log.totals()).toEqual({ sent: 1, expected: 3, delivered: 2, missed: 1, duplicates: 1, complete: 0 })
  })

  it('matches untagged receipts by equal payload, oldest unreceived first, never before the send', () => {
    const log = new DeliveryLog()
    const a = log.send(1, 1000, [2], '"same"')
    const b = log.send(1, 1100, [2], '"same"')
    expect(log.receiveByKey(2, ['"other"'], 1050)).toBe('unknown')
    expect(log.receiveByKey(2, ['"same"'], 1050)).toBe('first')
    expect(log.get(a.seq)!.receipts.get(2)).toBe(50)
    expect(log.receiveByKey(2, ['"same"'], 1120)).toBe('first')
    expect(log.get(b.seq)!.receipts.get(2)).toBe(20)
    expect(log.receiveByKey(2, ['"same"'], 1130)).toBe('duplicate')
    expect(log.totals().complete).toBe(2)
  })

  it('lists recent messages newest first', () => {
    const log = new DeliveryLog()
    for (let i = 0; i < 5; i++) log.send(1, i, [])
    expect(log.recent(3).map(s => s.seq)).toEqual([5, 4, 3])
  })
})

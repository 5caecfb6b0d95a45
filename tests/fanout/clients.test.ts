import { describe, expect, it } from 'vitest'
import { ClientGrid, nodeOf, rampDelay } from '../../src/fanout/clients'

function openAll(grid: ClientGrid, time: number): void {
  for (let i = 1; i <= grid.size; i++) grid.setState(i, 'open', time)
}

describe('client grid', () => {
  it('counts states and nodes', () => {
    const grid = new ClientGrid(4)
    expect(grid.count('idle')).toBe(4)
    grid.setState(1, 'connecting', 0)
    grid.setState(1, 'open', 1)
    grid.setState(2, 'reconnecting', 1)
    expect([grid.count('idle'), grid.count('open'), grid.count('reconnecting')]).toEqual([2, 1, 1])
    grid.setNode(1, '2')
    grid.setNode(2, '1')
    grid.setNode(3, '2')
    expect(grid.nodeCounts()).toEqual([{ node: '2', clients: 2 }, { node: '1', clients: 1 }])
    expect(grid.openClients()).toEqual([1])
  })

  it('times a reconnect storm from the first client lost to the last one back', () => {
    const grid = new ClientGrid(3)
    // The ramp is no storm: not all were open yet.
    grid.setState(1, 'open', 0)
    grid.setState(1, 'reconnecting', 5)
    grid.setState(1, 'open', 6)
    expect(grid.storms).toEqual([])
    openAll(grid, 10)
    grid.setState(2, 'reconnecting', 100)
    grid.setState(1, 'reconnecting', 101)
    grid.setState(3, 'closed', 102)
    grid.setState(1, 'open', 900)
    grid.setState(3, 'open', 1500)
    expect(grid.currentStorm()).toMatchObject({ start: 100, peakDown: 3 })
    grid.setState(2, 'open', 2600)
    expect(grid.storms).toEqual([{ start: 100, end: 2600, peakDown: 3 }])
    expect(grid.currentStorm()).toBeUndefined()
    // A second storm is timed on its own.
    grid.setState(3, 'reconnecting', 3000)
    grid.setState(3, 'open', 3400)
    expect(grid.storms[1]).toEqual({ start: 3000, end: 3400, peakDown: 1 })
  })

  it('does not take a stop for a storm', () => {
    const grid = new ClientGrid(2)
    openAll(grid, 0)
    grid.setState(1, 'reconnecting', 10)
    grid.closeAll()
    expect(grid.storms).toEqual([])
    expect(grid.count('closed')).toBe(2)
  })

  it('reads the node a welcome names, as text, and nothing else', () => {
    expect(nodeOf([{ id: 'a', node: 2 }])).toBe('2')
    expect(nodeOf([{ node: 'n1' }])).toBe('n1')
    expect(nodeOf([{ id: 'a' }])).toBeUndefined()
    expect(nodeOf(['node'])).toBeUndefined()
    expect(nodeOf([{ node: { evil: true } }])).toBeUndefined()
  })

  it('spaces the ramp', () => {
    expect(rampDelay(1, 50)).toBe(0)
    expect(rampDelay(51, 50)).toBe(1000)
    expect(rampDelay(10, 0)).toBe(0)
  })
})

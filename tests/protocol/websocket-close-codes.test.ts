import { describe, expect, it } from 'vitest'
import { closeCodeInfo, explainCloseCode } from '../../src/protocol/closeCodes'

describe('close codes', () => {
  it('names every code RFC 6455 and the IANA registry define', () => {
    const names = Array.from({ length: 16 }, (_, i) => [1000 + i, closeCodeInfo(1000 + i).name])
    expect(names).toEqual([
      [1000, 'Normal closure'],
      [1001, 'Going away'],
      [1002, 'Protocol error'],
      [1003, 'Unsupported data'],
      [1004, 'Reserved'],
      [1005, 'No status received'],
      [1006, 'Abnormal closure'],
      [1007, 'Invalid payload data'],
      [1008, 'Policy violation'],
      [1009, 'Message too big'],
      [1010, 'Mandatory extension'],
      [1011, 'Internal server error'],
      [1012, 'Service restart'],
      [1013, 'Try again later'],
      [1014, 'Bad gateway'],
      [1015, 'TLS handshake failure'],
    ])
  })

  it('explains the ranges', () => {
    expect(closeCodeInfo(999)).toMatchObject({ name: 'Unused code' })
    expect(closeCodeInfo(1016)).toMatchObject({ name: 'Reserved code' })
    expect(closeCodeInfo(2999)).toMatchObject({ name: 'Reserved code' })
    expect(closeCodeInfo(3000).meaning).toBe('Unauthorized: the server requires authentication (IANA-registered code 3000).')
    expect(closeCodeInfo(3500).meaning).toMatch(/libraries and frameworks register with IANA/)
    expect(closeCodeInfo(4000).meaning).toMatch(/^4000 is application-defined \(4000–4999\)/)
    expect(closeCodeInfo(4999)).toMatchObject({ name: 'Application code' })
    expect(closeCodeInfo(5000)).toMatchObject({ name: 'Invalid code' })
    expect(closeCodeInfo(1000.5)).toMatchObject({ name: 'Invalid code' })
  })

  it('says what 1006 can hide and that TLS failures show as 1006', () => {
    expect(closeCodeInfo(1006).meaning).toMatch(/handshake failed \(refused, rejected, TLS or blocked\)/)
    expect(closeCodeInfo(1015).meaning).toMatch(/report this as 1006/)
  })

  it('puts the code, name, meaning and the server\'s reason in one sentence', () => {
    expect(explainCloseCode(1000)).toBe('1000 Normal closure: The connection finished its work and was closed on purpose.')
    expect(explainCloseCode(4001, 'bye')).toBe('4001 Application code: 4001 is application-defined (4000–4999): its meaning is whatever the server\'s application says. Check the reason text and the server\'s documentation. The reason given was "bye".')
  })
})

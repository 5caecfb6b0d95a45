import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { fanoutArtilleryInput } from '../../src/fanout/artillery'
import type { FanoutSettings } from '../../src/fanout/run'
import { generateScript } from '../../src/artillery/generate'

const settings: FanoutSettings = {
  type: 'socketio', clients: 200, rampPerSecond: 50, rooms: ['lobby', 'other'], joinEvent: 'joinRoom', joinPayload: 'string',
  sendEvent: 'message', sendShape: 'object', roomKey: 'room', messageKey: 'message', tag: true, senderHearsOwn: false, sender: 'first',
}

describe('a fan-out setup as an Artillery test', () => {
  it('joins the first room and sends the message in the room\'s shape, at the fan-out\'s ramp', () => {
    const input = fanoutArtilleryInput(settings, 'http://localhost:3000', 'hello', { transports: ['websocket'] })
    expect(input).toMatchObject({
      protocol: 'socketio', source: 'fanout', phases: { durationS: 4, arrivalRate: 50 },
      connection: { url: 'http://localhost:3000', transports: ['websocket'] },
      steps: [
        { kind: 'emit', namespace: '/', name: 'joinRoom', args: ['lobby'], ack: true },
        { kind: 'emit', namespace: '/', name: 'message', args: [{ room: 'lobby', message: 'hello' }], ack: false },
      ],
    })
  })

  it('writes a script the generator accepts, with the join\'s ack and the emit', async () => {
    const input = fanoutArtilleryInput({ ...settings, joinPayload: 'object' }, 'http://localhost:3000/chat', '{"text":"hi"}')
    const script = await generateScript(input, { phases: input.phases! })
    const yaml = parse(script.yaml) as { config: { target: string, phases: unknown[] }, scenarios: { engine: string, flow: unknown[] }[] }
    expect(yaml.config.target.startsWith('http://localhost:3000')).toBe(true)
    expect(yaml.scenarios[0]!.engine).toBe('socketio')
    const text = JSON.stringify(yaml.scenarios[0]!.flow)
    expect(text).toContain('joinRoom')
    expect(text).toContain('acknowledge')
    expect(text).toContain('"text":"hi"')
  })

  it('sends the frame for a raw WebSocket fan-out', () => {
    const input = fanoutArtilleryInput({ ...settings, type: 'ws', rooms: [] }, 'ws://localhost:8080/echo', 'ping')
    expect(input).toMatchObject({ protocol: 'ws', connection: { url: 'ws://localhost:8080/echo' }, steps: [{ kind: 'frame', data: 'ping' }] })
  })
})

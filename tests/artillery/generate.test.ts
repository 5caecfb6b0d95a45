/**
 * The Artillery script generator (src/artillery/generate.ts): every script is parsed back with `yaml` — as YAML 1.2
 * (core) and as YAML 1.1 (what Artillery's js-yaml 3 reads: `yes`, `on`, `0x1F`, `1:20` are not strings there) —
 * and the structure is asserted, not the text.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { generateScript } from '../../src/artillery/generate'
import { inputFromSession } from '../../src/artillery/fromTimeline'
import type { ArtilleryInput, EmitStep, GenerateOptions, SocketIoInput, WebSocketInput } from '../../src/artillery/types'
import { Timeline } from '../../src/timeline/timeline'
import { draft, frame } from '../support/events'

const PHASES = { durationS: 10, arrivalRate: 2 }
const OPTIONS: GenerateOptions = { phases: PHASES }

type Script = {
  config: { target: string, phases: Record<string, number>[], socketio?: Record<string, unknown>, ws?: Record<string, unknown>, variables?: Record<string, unknown> }
  scenarios: { name: string, engine: string, flow: Record<string, unknown>[] }[]
}

/** Parse as both YAML versions; they must agree, and the 1.1 reading is returned (Artillery's). */
function both(text: string): Script {
  const core = parse(text, { customTags: ['binary'] }) as Script
  const v11 = parse(text, { schema: 'yaml-1.1', version: '1.1' }) as Script
  expect(normalize(core)).toEqual(normalize(v11))
  return v11
}

/** Binary as plain byte arrays, so the two readings (and expectations) compare. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] }
  if (Array.isArray(value)) return value.map(normalize)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]))
  return value
}

/**
 * What an emit step sends, resolved as Artillery 2.0.21 does: `{ channel, data }` is one argument; in an array, a
 * string that is only `{{ variable }}` is that variable of `config.variables` (a list: its one element).
 */
function sent(script: Script, step: Record<string, unknown>): unknown[] {
  const emit = step.emit as { channel: string, data: unknown } | unknown[]
  if (!Array.isArray(emit)) return [emit.channel, emit.data]
  // The validator's rule (artillery/lib/util/validate-script.js): an array of strings only.
  for (const item of emit) expect(typeof item).toBe('string')
  return emit.map((item) => {
    const variable = /^{{ (\w+) }}$/.exec(item as string)?.[1]
    if (!variable) return item
    const list = script.config.variables?.[variable]
    expect(list).toHaveLength(1)
    return (list as unknown[])[0]
  })
}

function emit(name: string, args: unknown[], extra: Partial<EmitStep> = {}): EmitStep {
  return { kind: 'emit', at: 0, namespace: '/', name, args, ack: false, ...extra }
}

function sio(steps: EmitStep[], connection: Partial<SocketIoInput['connection']> = {}): SocketIoInput {
  return { protocol: 'socketio', title: 'rooms test', source: 'session', connection: { url: 'http://127.0.0.1:3000', ...connection }, steps }
}

async function run(input: ArtilleryInput, options: GenerateOptions = OPTIONS): Promise<{ script: Script, text: string, codes: string[] }> {
  const out = await generateScript(input, options)
  return { script: both(out.yaml), text: out.yaml, codes: out.omissions.map(o => o.code) }
}

describe('socketio engine', () => {
  it('writes every argument type in order, binary as !!binary', async () => {
    const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00])
    const args = ['text', 42, -1.5, true, false, null, { a: { b: [1, 'two', null] }, 'key with space': 'v' }, [1, 'x', [2]], bytes.buffer]
    const { script, text, codes } = await run(sio([emit('everything', args)]))
    expect(text).toContain('!!binary')
    const flow = script.scenarios[0]!.flow
    expect(script.scenarios[0]!.engine).toBe('socketio')
    expect(normalize(sent(script, flow[0]!))).toEqual(normalize(['everything', ...args.slice(0, -1), bytes]))
    // Several arguments of other types than string: variables the emit names (Artillery's check allows only strings).
    expect(flow[0]!.emit).toEqual(['everything', 'text', ...args.slice(1).map((_, i) => `{{ emit1_arg${i + 2} }}`)])
    expect(codes).toContain('binaryArgument')
  })

  it('puts an ack as `acknowledge` beside `emit`, never inside it', async () => {
    const { script } = await run(sio([emit('echo', ['a', 1], { ack: true, ackArgs: ['a', 1] }), emit('joinRoom', ['lobby'])]))
    const [acked, plain] = script.scenarios[0]!.flow
    expect(acked).toEqual({ emit: ['echo', 'a', '{{ emit1_arg2 }}'], acknowledge: {} })
    expect(Object.keys(acked!.emit as object)).not.toContain('acknowledge')
    expect(plain).toEqual({ emit: { channel: 'joinRoom', data: 'lobby' } })
    const matched = await run(sio([emit('echo', ['a', 1], { ack: true, ackArgs: ['a', 1] })]), { ...OPTIONS, matchAckArgs: true })
    expect(matched.script.scenarios[0]!.flow[0]).toEqual({ emit: ['echo', 'a', '{{ emit1_arg2 }}'], acknowledge: { args: ['a', 1] } })
  })

  it('names the namespace in the target when every emit uses the URL one, per step otherwise', async () => {
    const one = await run(sio([emit('stats', [], { namespace: '/admin', ack: true })], { url: 'http://127.0.0.1:3000/admin' }))
    expect(one.script.config.target).toBe('http://127.0.0.1:3000/admin')
    expect(one.script.scenarios[0]!.flow[0]).toEqual({ emit: ['stats'], acknowledge: {} })

    const mixed = await run(sio([emit('hello', []), emit('stats', [], { namespace: '/admin' })]))
    expect(mixed.script.config.target).toBe('http://127.0.0.1:3000')
    expect(mixed.script.scenarios[0]!.flow).toEqual([{ emit: ['hello'] }, { emit: ['stats'], namespace: '/admin' }])
    expect(mixed.script.config.socketio?.forceNew).toBe(true)
  })

  it('keeps path, transports and a ws:// URL as http://', async () => {
    const { script } = await run(sio([emit('x', [])], { url: 'ws://localhost:3005', path: '/realtime/io', transports: ['websocket'] }))
    expect(script.config.target).toBe('http://localhost:3005')
    expect(script.config.socketio).toMatchObject({ path: '/realtime/io', transports: ['websocket'] })
  })

  it('turns the recorded gaps into think steps, rounded and capped', async () => {
    const steps = [emit('a', [], { at: 0 }), emit('b', [], { at: 30 }), emit('c', [], { at: 1264 }), emit('d', [], { at: 3264 }), emit('e', [], { at: 63_264 })]
    const { script, codes } = await run(sio(steps), { ...OPTIONS, maxThinkS: 5 })
    expect(script.scenarios[0]!.flow).toEqual([
      { emit: ['a'] }, { emit: ['b'] }, { think: '1200ms' }, { emit: ['c'] }, { think: 2 }, { emit: ['d'] }, { think: 5 }, { emit: ['e'] },
    ])
    expect(codes).toContain('thinkCapped')
  })

  it('reads secrets from the environment unless asked to write them', async () => {
    const input = sio([emit('x', [])], {
      url: 'http://127.0.0.1:3000/admin?token=q-secret&room=lobby',
      auth: { token: 'letmein', user: { id: 7 } },
      extraHeaders: { Authorization: 'Bearer abc' },
    })
    const out = await generateScript(input, OPTIONS)
    const script = both(out.yaml)
    for (const secret of ['letmein', 'q-secret', 'Bearer abc']) expect(out.yaml).not.toContain(secret)
    expect(script.config.socketio).toMatchObject({
      auth: { token: '{{ $env.SOCKETLENS_AUTH_TOKEN }}', user: '{{ $env.SOCKETLENS_AUTH_USER }}' },
      query: { token: '{{ $env.SOCKETLENS_QUERY_TOKEN }}', room: 'lobby' },
      extraHeaders: { Authorization: '{{ $env.SOCKETLENS_HEADER_AUTHORIZATION }}' },
    })
    expect(out.secrets.map(s => s.env)).toEqual(['SOCKETLENS_QUERY_TOKEN', 'SOCKETLENS_HEADER_AUTHORIZATION', 'SOCKETLENS_AUTH_TOKEN', 'SOCKETLENS_AUTH_USER'])
    expect(out.yaml).toContain('Set first: SOCKETLENS_QUERY_TOKEN')

    const asText = await run(input, { ...OPTIONS, includeSecrets: true })
    expect(asText.script.config.socketio).toMatchObject({ auth: { token: 'letmein', user: { id: 7 } }, query: { token: 'q-secret' }, extraHeaders: { Authorization: 'Bearer abc' } })
  })

  it('writes values YAML cannot hold as plain scalars so that both YAML versions read them back exactly', async () => {
    const awkward = [
      'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', '123', '-0', '0x1F', '0o17', '017', '1:20', '1_000', '0b101', '.inf', '1e3', '+1',
      '2001-12-14', '*alias', '&anchor', '!tag', '%directive', '@at', '`tick', '#comment', '- dash', '? key', ': colon', '', ' lead', 'trail ',
      'a\u0000b\u0007c\u001b', 'tab\there', 'line1\nline2\n', '\n\nlead', 'crlf\r\n', '😀 non-BMP 𝄞', '\uD800 lone high', 'lone low \uDC00',
      '\u2028\u2029\u0085', '\uFEFFbom', 'x'.repeat(200_000), '{"json":"text"}', '[1,2]', "it's", 'say "hi"', 'back\\slash',
    ]
    const { script, codes } = await run(sio([emit('awkward', awkward)]))
    expect(sent(script, script.scenarios[0]!.flow[0]!)).toEqual(['awkward', ...awkward])
    expect(script.scenarios[0]!.flow[0]!.emit).toEqual(['awkward', ...awkward])
    expect(codes).not.toContain('templateSyntax')
  })

  it('writes numbers JSON cannot send as JSON sends them, and reports them', async () => {
    const { script, codes } = await run(sio([emit('n', [Number.NaN, Infinity, 1e300, -0, 2 ** 53 + 2])]))
    expect(sent(script, script.scenarios[0]!.flow[0]!)).toEqual(['n', null, null, 1e300, -0, 2 ** 53 + 2])
    expect(codes).toContain('notANumber')
  })

  it('reports a value Artillery would template, and an object key named __proto__ stays a key', async () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": "{{ name }}"}') as unknown
    const { script, codes } = await run(sio([emit('t', [parsed])]))
    expect(codes).toContain('templateSyntax')
    const arg = sent(script, script.scenarios[0]!.flow[0]!)
    expect(Object.keys(arg[1] as object)).toEqual(['__proto__', 'a'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('bounds the walk of a deeply nested argument', async () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 10_000; i++) deep = [deep]
    const { codes } = await run(sio([emit('deep', [deep])]))
    expect(codes).toContain('tooDeep')
  })

  it('reports a v2 session and the msgpack parser, and a session that sent nothing', async () => {
    const { script, codes } = await run(sio([], { version: 'v2', parser: 'msgpack' }))
    expect(codes).toEqual(expect.arrayContaining(['socketIoV2', 'msgpackParser', 'noSteps']))
    expect(script.scenarios[0]!.flow).toEqual([{ think: 1 }])
  })

  it('writes the phases of the form', async () => {
    const { script } = await run(sio([emit('x', [])]), { phases: { durationS: 30, arrivalRate: 1, rampTo: 10 } })
    expect(script.config.phases).toEqual([{ duration: 30, arrivalRate: 1, rampTo: 10 }])
  })
})

describe('ws engine', () => {
  const ws = (steps: WebSocketInput['steps'], url = 'ws://127.0.0.1:8080/echo', subprotocols?: string[]): WebSocketInput =>
    ({ protocol: 'ws', title: 'echo', source: 'imported', connection: { url, subprotocols }, steps })

  it('sends the text frames with think between them, and reports binary frames it cannot send', async () => {
    const { script, codes } = await run(ws([
      { kind: 'frame', at: 0, data: 'hello' },
      { kind: 'frame', at: 500, data: new Uint8Array([1, 2]).buffer, seq: 9 },
      { kind: 'frame', at: 1500, data: '{"a":1}' },
      { kind: 'frame', at: 1600, data: 'yes' },
    ], 'ws://127.0.0.1:8080/echo', ['chat.v1']))
    expect(script.config).toMatchObject({ target: 'ws://127.0.0.1:8080/echo', ws: { subprotocols: ['chat.v1'] } })
    expect(script.scenarios[0]!.engine).toBe('ws')
    expect(script.scenarios[0]!.flow).toEqual([{ send: 'hello' }, { think: '1500ms' }, { send: '{"a":1}' }, { think: '100ms' }, { send: 'yes' }])
    expect(codes).toContain('binaryFrame')
  })

  it('moves a token in the URL to a templated connect step', async () => {
    const out = await generateScript(ws([{ kind: 'frame', at: 0, data: 'x' }], 'ws://127.0.0.1:8080/echo?token=s3cret&hz=2'), OPTIONS)
    const script = both(out.yaml)
    expect(out.yaml).not.toContain('s3cret')
    expect(script.config.target).toBe('ws://127.0.0.1:8080/echo?hz=2')
    expect(script.scenarios[0]!.flow[0]).toEqual({ connect: { target: 'ws://127.0.0.1:8080/echo?hz=2&token={{ $env.SOCKETLENS_QUERY_TOKEN }}' } })
  })
})

describe('a recorded session as input', () => {
  it('takes the emits with their acks and gaps, and the form options of a live session', async () => {
    const timeline = new Timeline()
    const t0 = 1_700_000_000_000
    timeline.append(draft('lifecycle', 'connecting', { time: t0 - 100, namespace: '/', detail: { url: 'http://127.0.0.1:3000', path: '/socket.io', transports: ['websocket'] } }))
    timeline.append(draft('app', 'emit', { time: t0, name: 'joinRoom', namespace: '/', ackId: 0, detail: { args: ['lobby'], ackTimeoutMs: 5000 } }))
    timeline.append(draft('app', 'ack', { time: t0 + 5, name: 'joinRoom', namespace: '/', ackId: 0, rttMs: 5, detail: { args: [['lobby']] } }))
    timeline.append(draft('app', 'event', { time: t0 + 6, name: 'joined', namespace: '/', detail: { args: [{ room: 'lobby' }] } }))
    timeline.append(draft('app', 'emit', { time: t0 + 2000, name: 'message', namespace: '/', detail: { args: [{ room: 'lobby', message: 'hi' }, 2] } }))
    const session = {
      name: 'rooms', url: 'http://127.0.0.1:3000', type: 'socketio' as const, readOnly: false, timeline,
      sio: { path: '/socket.io', auth: '{"token":"t"}', query: '', extraHeaders: '', transports: ['websocket' as const], upgrade: true, version: 'auto', parser: 'default' },
    }
    const { input } = inputFromSession(session)
    expect(input.protocol).toBe('socketio')
    if (input.protocol !== 'socketio') return
    expect(input.steps.map(s => [s.name, s.at, s.ack, s.ackArgs])).toEqual([['joinRoom', 0, true, [['lobby']]], ['message', 2000, false, undefined]])
    expect(input.connection).toMatchObject({ transports: ['websocket'], auth: { token: 't' }, version: 'v4' })
    const { script } = await run(input)
    const flow = script.scenarios[0]!.flow
    expect(flow.map(step => Object.keys(step))).toEqual([['emit', 'acknowledge'], ['think'], ['emit']])
    expect(flow[1]).toEqual({ think: 2 })
    expect([sent(script, flow[0]!), sent(script, flow[2]!)]).toEqual([['joinRoom', 'lobby'], ['message', { room: 'lobby', message: 'hi' }, 2]])
  })

  it('writes an emit whose ack timed out in the recording without acknowledge (Artillery has no ack timeout)', async () => {
    const timeline = new Timeline()
    timeline.append(draft('app', 'emit', { time: 1, name: 'noAck', namespace: '/', ackId: 3, detail: { args: ['x'], ackTimeoutMs: 1000 } }))
    timeline.append(draft('app', 'emit', { time: 2, name: 'echo', namespace: '/', ackId: 4, detail: { args: ['y'], ackTimeoutMs: 1000 } }))
    timeline.append(draft('app', 'ack', { time: 3, name: 'echo', namespace: '/', ackId: 4, rttMs: 1, detail: { args: ['y'] } }))
    timeline.append(draft('app', 'ack_timeout', { time: 1001, name: 'noAck', namespace: '/', detail: { timeoutMs: 1000, sent: true } }))
    const { input } = inputFromSession({ name: 'acks', url: 'http://127.0.0.1:3000', type: 'socketio', readOnly: true, timeline })
    const { script, codes } = await run(input)
    expect(script.scenarios[0]!.flow).toEqual([{ emit: { channel: 'noAck', data: 'x' } }, { emit: { channel: 'echo', data: 'y' }, acknowledge: {} }])
    expect(codes).toContain('ackNeverCame')
  })

  it('takes the endpoint as the driver would use it when the session never connected ("localhost:3000")', async () => {
    const timeline = new Timeline()
    timeline.append(draft('app', 'emit', { time: 1, name: 'hello', namespace: '/', detail: { args: ['x'] } }))
    const sio = { path: '/socket.io', auth: '', query: '', extraHeaders: '', transports: ['polling' as const, 'websocket' as const], upgrade: true, version: 'auto', parser: 'default' }
    const { input } = inputFromSession({ name: 'typed', url: 'localhost:3000', type: 'socketio', readOnly: false, timeline, sio })
    const { script } = await run(input)
    expect(script.config.target).toBe('http://localhost:3000')
  })

  it('knows a Socket.IO v2 recording by its connecting event, and reads the auth from its CONNECT packet', async () => {
    const timeline = new Timeline()
    timeline.append(draft('lifecycle', 'connecting', { time: 1, namespace: '/', detail: { url: 'http://127.0.0.1:3002', path: '/socket.io', transports: ['polling', 'websocket'], client: 'socket.io-client 2.5.0' } }))
    timeline.append(draft('socketio', 'packet', { time: 2, dir: 'out', name: 'CONNECT', namespace: '/', detail: { data: { token: 'abc' } } }))
    timeline.append(draft('app', 'emit', { time: 3, name: 'hello', namespace: '/', detail: { args: [] } }))
    const { input } = inputFromSession({ name: 'v2.ndjson', url: '', type: 'socketio', readOnly: true, timeline })
    expect(input).toMatchObject({ source: 'imported', connection: { url: 'http://127.0.0.1:3002', version: 'v2', auth: { token: 'abc' } } })
    const { codes, text } = await run(input)
    expect(codes).toContain('socketIoV2')
    expect(text).not.toContain('abc')
  })

  it('reads an imported session’s connection from its events, and takes its outgoing frames', () => {
    const timeline = new Timeline()
    timeline.append(draft('lifecycle', 'connecting', { time: 1, detail: { url: 'ws://127.0.0.1:8080/', protocols: ['chat.v2'] } }))
    timeline.append(frame('one', { dir: 'out', time: 10 }))
    timeline.append(frame('echo message one', { dir: 'in', time: 11 }))
    timeline.append(frame(new Uint8Array([7]).buffer, { dir: 'out', time: 20 }))
    const { input } = inputFromSession({ name: 'f.ndjson', url: '', type: 'ws', readOnly: true, timeline })
    expect(input).toMatchObject({ protocol: 'ws', source: 'imported', connection: { url: 'ws://127.0.0.1:8080/', subprotocols: ['chat.v2'] } })
    expect(input.steps.map(s => s.at)).toEqual([0, 10])
  })
})

/**
 * The Artillery 2 script of an export (types.ts `ArtilleryInput`): `buildScript` makes the script as plain data and
 * says what it left out or changed (pure, synchronous); `generateScript` writes it as YAML with the `yaml` library,
 * imported on demand so it stays out of the initial bundle.
 *
 * What Artillery 2.0.21 reads (checked in its source, @artilleryio/int-core/lib/engine_socketio.js, engine_ws.js and
 * @artilleryio/int-commons/engine_util.js):
 * - socketio: an emit is `{ channel, data }` or an array of strings (see `emitOf`); `acknowledge` is a key of the flow STEP beside
 *   `emit` (an `acknowledge` inside `emit` is never read: the emit then asks for no ack and the user moves on);
 *   `namespace` is a key of the step too, and the engine connects to `config.target + namespace`. `config.socketio`
 *   is handed to socket.io-client (path, transports, query, extraHeaders, auth) after templating, so
 *   `{{ $env.X }}` there reads the environment. The engine has no ack timeout: a server that never answers holds the
 *   virtual user.
 * - ws: `send: <text>` sends text (an object is sent as its JSON); it cannot send binary, so binary frames are left out
 *   and said so. `config.ws.subprotocols` offers subprotocols; a first `connect: { target }` step templates the URL.
 * - `think`: a whole number is seconds; anything else goes through `ms()`, so a fraction is written as `"1500ms"`
 *   (a bare `1.5` would be read as 2 ms).
 * - Every string of a step is a template: `{{ name }}` in a recorded value would be replaced at run time. It cannot be
 *   escaped, so such values are written as they are and reported.
 * - The file is read with js-yaml 3 (YAML 1.1 types: `yes`, `on`, `0x1F`, `1:20` are not strings there), so the
 *   writer quotes for YAML 1.1 and 1.2 both (`compat: 'yaml-1.1'`); binary is `!!binary` (a Buffer for js-yaml and
 *   socket.io-client, which sends it as a binary attachment); a lone surrogate is written as its `\ud800` escape,
 *   which js-yaml reads back as the same code unit.
 */
import type {
  ArtilleryInput, EmitStep, FrameStep, GeneratedScript, GenerateOptions, Omission, OmissionCode, PhasesForm,
  SecretVariable, SocketIoInput, WebSocketInput,
} from './types'

/** Deepest nesting of an argument the generator walks (the walk is recursive, so bounded); deeper is `null`. */
export const MAX_DEPTH = 64
/** Default cap of one `think`, in seconds. */
export const DEFAULT_MAX_THINK_S = 5
/** Think times are rounded to this many ms; a gap that rounds to 0 is no think. */
export const THINK_STEP_MS = 100

/** Artillery's template expression (engine_util.js renderVariables), and its function-call form. */
const TEMPLATE_RX = /{{{?[\s$\w.[\]'"-]+}}}?|{{\s*\$[A-Za-z0-9_]+\s*\(/

/** Query parameter names that hold secrets. */
const SECRET_QUERY = /token|key|secret|pass|auth|sig|session|jwt|credential|bearer|code/i

/** The script as data, before it is YAML. */
export interface BuiltScript {
  /** The document: `config` and `scenarios`. Binary values are Uint8Arrays (written as `!!binary`). */
  script: { config: Record<string, unknown>, scenarios: Record<string, unknown>[] }
  engine: 'socketio' | 'ws'
  omissions: Omission[]
  secrets: SecretVariable[]
  steps: number
  /** Lines of the comment above the document. */
  comment: string[]
  fileName: string
}

class Report {
  private counts = new Map<OmissionCode, Omission>()

  add(code: OmissionCode, seq?: number, count = 1): void {
    const entry = this.counts.get(code)
    if (entry) entry.count += count
    else this.counts.set(code, seq === undefined ? { code, count } : { code, count, seq })
  }

  list(): Omission[] {
    return [...this.counts.values()]
  }
}

class Secrets {
  readonly list: SecretVariable[] = []
  private names = new Set<string>()

  constructor(private readonly asText: boolean) {}

  /** The value as written: itself, or a template reading a new environment variable. */
  value(field: string, prefix: string, key: string, value: unknown): unknown {
    if (this.asText) return value
    const base = `SOCKETLENS_${prefix}_${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'VALUE'}`
    let env = base
    for (let n = 2; this.names.has(env); n++) env = `${base}_${n}`
    this.names.add(env)
    this.list.push({ env, field })
    return `{{ $env.${env} }}`
  }
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value)
}

function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
}

/**
 * A value as the script holds it: what JSON would send (non-finite numbers as null, undefined in an array as null,
 * functions left out), binary as bytes; strings kept exactly (the writer quotes and escapes them). Depth-bounded.
 */
function scriptValue(value: unknown, report: Report, seq: number | undefined, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'string') {
    if (TEMPLATE_RX.test(value)) report.add('templateSyntax', seq)
    return value
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value
    report.add('notANumber', seq)
    return null
  }
  if (typeof value === 'bigint') {
    report.add('notANumber', seq)
    return value.toString()
  }
  if (typeof value !== 'object') return undefined
  if (isBinary(value)) {
    report.add('binaryArgument', seq)
    return bytesOf(value)
  }
  if (depth >= MAX_DEPTH) {
    report.add('tooDeep', seq)
    return null
  }
  if (Array.isArray(value)) return value.map(item => scriptValue(item, report, seq, depth + 1) ?? null)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const converted = scriptValue(item, report, seq, depth + 1)
    if (converted === undefined) continue
    if (TEMPLATE_RX.test(key)) report.add('templateSyntax', seq)
    // defineProperty: a key named `__proto__` stays an ordinary key, as it was in the JSON.
    Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** `think` steps for a gap: rounded to THINK_STEP_MS, capped; whole seconds as a number, else `"<n>ms"`. */
function thinkStep(gapMs: number, maxThinkS: number, report: Report, seq: number | undefined): Record<string, unknown> | undefined {
  let ms = Math.round(Math.max(0, gapMs) / THINK_STEP_MS) * THINK_STEP_MS
  const cap = Math.max(0, maxThinkS) * 1000
  if (ms > cap) {
    ms = Math.round(cap / THINK_STEP_MS) * THINK_STEP_MS
    report.add('thinkCapped', seq)
  }
  if (ms <= 0) return undefined
  return { think: ms % 1000 === 0 ? ms / 1000 : `${ms}ms` }
}

function phasesOf(form: PhasesForm): Record<string, number>[] {
  const duration = Math.max(1, Math.round(Number.isFinite(form.durationS) ? form.durationS : 1))
  const arrivalRate = Math.max(0, Number.isFinite(form.arrivalRate) ? form.arrivalRate : 1)
  const phase: Record<string, number> = { duration, arrivalRate }
  if (form.rampTo !== undefined && Number.isFinite(form.rampTo) && form.rampTo >= 0) phase.rampTo = form.rampTo
  return [phase]
}

/** A name for Download: the title's letters and digits, `socketlens` when none. */
export function scriptFileName(title: string): string {
  const base = title.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60)
  return `${base || 'socketlens'}.artillery.yml`
}

/** A line of the comment: no line breaks or control characters from a title. */
function commentLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').slice(0, 200)
}

function splitUrl(url: string): { origin: string, path: string, params: [string, string][] } | undefined {
  try {
    const parsed = new URL(url)
    const scheme = parsed.protocol === 'wss:' ? 'https:' : parsed.protocol === 'ws:' ? 'http:' : parsed.protocol
    const path = parsed.pathname.replace(/\/+$/, '')
    return { origin: `${scheme}//${parsed.host}`, path: path === '' ? '/' : path, params: [...parsed.searchParams] }
  }
  catch {
    return undefined
  }
}

/**
 * An emit as Artillery 2.0.21 accepts it. Its script check (artillery/lib/util/validate-script.js) allows `emit` only
 * as `{ channel, data }` (one argument of any type) or as an array of strings, so: no argument → `[name]`; one →
 * `{ channel, data }`; only strings → `[name, ...args]`; otherwise every argument that is not a string is a variable
 * of `config.variables` and the array names it: `"{{ emit3_arg2 }}"` alone in a string is replaced by the variable's
 * value itself, of any type (engine_util.js renderVariables). A variable is written as a list of one value, because
 * Artillery picks one element at random from a list (and would take an array argument for such a list).
 */
function emitOf(name: string, args: unknown[], index: number, variables: Record<string, unknown>): unknown {
  if (args.length === 0) return [name]
  if (args.length === 1) return { channel: name, data: args[0] }
  if (args.every(arg => typeof arg === 'string')) return [name, ...args]
  return [name, ...args.map((arg, i) => {
    if (typeof arg === 'string') return arg
    const variable = `emit${index + 1}_arg${i + 1}`
    variables[variable] = [arg]
    return `{{ ${variable} }}`
  })]
}

function buildSocketIo(input: SocketIoInput, options: GenerateOptions, report: Report, secrets: Secrets): BuiltScript['script'] & { steps: number } {
  const connection = input.connection
  const split = splitUrl(connection.url)
  const mainNamespace = split?.path ?? '/'
  if (connection.version === 'v2') report.add('socketIoV2')
  if (connection.parser === 'msgpack') report.add('msgpackParser')

  const namespaces = new Set(input.steps.map(step => step.namespace || '/'))
  const onlyMain = [...namespaces].every(ns => ns === mainNamespace)
  // One namespace: the target names it, and the engine's own first connection is that namespace. Several: the target
  // is the origin, and each step names its namespace (the engine adds it to the target).
  const target = (split?.origin ?? connection.url) + (onlyMain && mainNamespace !== '/' ? mainNamespace : '')

  const socketio: Record<string, unknown> = {}
  if (connection.path && connection.path !== '/socket.io') socketio.path = connection.path
  if (connection.transports && connection.transports.length > 0) socketio.transports = [...connection.transports]
  if (connection.upgrade === false) socketio.upgrade = false
  if (!onlyMain || namespaces.size > 1) {
    // socket.io-client shares a Manager between io() calls of one process unless told not to: without this, one
    // virtual user's second namespace could ride another user's connection.
    socketio.forceNew = true
  }

  const query: Record<string, unknown> = {}
  for (const [key, value] of [...split?.params ?? [], ...Object.entries(connection.query ?? {})]) {
    query[key] = SECRET_QUERY.test(key) ? secrets.value(`query.${key}`, 'QUERY', key, value) : value
  }
  if (Object.keys(query).length > 0) socketio.query = query

  const headers: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(connection.extraHeaders ?? {}))
    headers[key] = secrets.value(`extraHeaders.${key}`, 'HEADER', key, value)
  if (Object.keys(headers).length > 0) socketio.extraHeaders = headers

  // One auth for every namespace (the engine hands the same options to each io() call).
  const namespaceAuths = Object.entries(connection.namespaceAuth ?? {}).filter(([ns]) => namespaces.has(ns))
  let auth = connection.auth
  if ((!auth || Object.keys(auth).length === 0) && namespaceAuths.length > 0) auth = namespaceAuths[0]![1]
  const distinct = new Set(namespaceAuths.map(([, value]) => JSON.stringify(value)))
  if (connection.auth && Object.keys(connection.auth).length > 0) distinct.add(JSON.stringify(connection.auth))
  if (distinct.size > 1) report.add('namespaceAuth', undefined, distinct.size - 1)
  if (auth && Object.keys(auth).length > 0) {
    const written: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(auth)) {
      const plain = scriptValue(value, report, undefined, 1)
      Object.defineProperty(written, key, { value: secrets.value(`auth.${key}`, 'AUTH', key, plain), enumerable: true, writable: true, configurable: true })
    }
    socketio.auth = written
  }

  const flow: Record<string, unknown>[] = []
  const variables: Record<string, unknown> = {}
  let emitted = 0
  const maxThinkS = options.maxThinkS ?? DEFAULT_MAX_THINK_S
  let previous: EmitStep | undefined
  for (const step of input.steps) {
    if (previous) {
      const think = thinkStep(step.at - previous.at, maxThinkS, report, step.seq)
      if (think) flow.push(think)
    }
    previous = step
    const args = step.args.map(arg => scriptValue(arg, report, step.seq, 1) ?? null)
    if (TEMPLATE_RX.test(step.name)) report.add('templateSyntax', step.seq)
    const entry: Record<string, unknown> = { emit: emitOf(step.name, args, emitted++, variables) }
    const ns = step.namespace || '/'
    if (!onlyMain && ns !== '/') entry.namespace = ns
    if (step.ack && step.ackNeverCame) report.add('ackNeverCame', step.seq)
    else if (step.ack) {
      // Beside `emit`, never inside it: engine_socketio.js reads `requestSpec.acknowledge`.
      entry.acknowledge = options.matchAckArgs && step.ackArgs
        ? { args: step.ackArgs.map(arg => scriptValue(arg, report, step.seq, 1) ?? null) }
        : {}
    }
    flow.push(entry)
  }
  if (input.steps.length === 0) {
    report.add('noSteps')
    flow.push({ think: 1 })
  }

  const config: Record<string, unknown> = { target, phases: phasesOf(options.phases) }
  if (Object.keys(socketio).length > 0) config.socketio = socketio
  if (Object.keys(variables).length > 0) config.variables = variables
  return { config, scenarios: [{ name: input.title, engine: 'socketio', flow }], steps: input.steps.length }
}

function buildWebSocket(input: WebSocketInput, options: GenerateOptions, report: Report, secrets: Secrets): BuiltScript['script'] & { steps: number } {
  const connection = input.connection
  const flow: Record<string, unknown>[] = []
  let target = connection.url
  let templated: string | undefined
  try {
    const url = new URL(connection.url)
    const secretParams = [...url.searchParams].filter(([key]) => SECRET_QUERY.test(key))
    if (secretParams.length > 0 && !options.includeSecrets) {
      const rest = [...url.searchParams].filter(([key]) => !SECRET_QUERY.test(key))
      url.search = new URLSearchParams(rest).toString()
      target = url.href
      // The ws engine templates only a first `connect` step's target: the secrets go there.
      const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      for (const [key] of secretParams) query.push(`${encodeURIComponent(key)}=${String(secrets.value(`query.${key}`, 'QUERY', key, ''))}`)
      templated = `${url.origin}${url.pathname}?${query.join('&')}`
    }
  }
  catch {
    // Not a URL: written as it is; the run says what is wrong with it.
  }
  if (templated) flow.push({ connect: { target: templated } })

  const maxThinkS = options.maxThinkS ?? DEFAULT_MAX_THINK_S
  let previous: FrameStep | undefined
  let written = 0
  for (const step of input.steps) {
    if (typeof step.data !== 'string') {
      report.add('binaryFrame', step.seq)
      continue
    }
    if (previous) {
      const think = thinkStep(step.at - previous.at, maxThinkS, report, step.seq)
      if (think) flow.push(think)
    }
    previous = step
    if (TEMPLATE_RX.test(step.data)) report.add('templateSyntax', step.seq)
    flow.push({ send: step.data })
    written++
  }
  if (written === 0) {
    report.add('noSteps')
    flow.push({ think: 1 })
  }

  const config: Record<string, unknown> = { target, phases: phasesOf(options.phases) }
  if (connection.subprotocols && connection.subprotocols.length > 0) config.ws = { subprotocols: [...connection.subprotocols] }
  return { config, scenarios: [{ name: input.title, engine: 'ws', flow }], steps: written }
}

/** The script as data, with what it left out and the environment variables it reads. */
export function buildScript(input: ArtilleryInput, options: GenerateOptions): BuiltScript {
  const report = new Report()
  const secrets = new Secrets(options.includeSecrets === true)
  const built = input.protocol === 'socketio' ? buildSocketIo(input, options, report, secrets) : buildWebSocket(input, options, report, secrets)
  const fileName = scriptFileName(input.title)
  const comment = [
    commentLine(`Artillery 2 test exported by SocketLens from "${input.title}" (${input.source}).`),
    `Run: npx artillery@2.0.21 run ${fileName}`,
    'On many machines: npx artillery@2.0.21 run-fargate (AWS) or run-aci (Azure), with --record for Artillery Cloud.',
  ]
  if (secrets.list.length > 0) comment.push(`Set first: ${secrets.list.map(s => s.env).join(', ')}`)
  return {
    script: { config: built.config, scenarios: built.scenarios },
    engine: input.protocol === 'socketio' ? 'socketio' : 'ws',
    omissions: report.list(),
    secrets: secrets.list,
    steps: built.steps,
    comment,
    fileName,
  }
}

type YamlModule = typeof import('yaml')
let yamlModule: Promise<YamlModule> | undefined

/** The `yaml` library, loaded on first use (a chunk of its own). */
export function loadYaml(): Promise<YamlModule> {
  yamlModule ??= import('yaml')
  return yamlModule
}

/** Options the script is written and read back with: YAML 1.2 core, quoted also for YAML 1.1 readers, `!!binary`. */
export function yamlOptions(): { compat: 'yaml-1.1', customTags: ['binary'], lineWidth: number, minContentWidth: number } {
  // No folding (a line as long as the value): a binary value is one base64 line; lineWidth 0 would break !!binary.
  return { compat: 'yaml-1.1', customTags: ['binary'], lineWidth: 1_000_000_000, minContentWidth: 0 }
}

/** The YAML text of a built script. */
export function stringifyScript(yaml: YamlModule, built: BuiltScript): string {
  const doc = new yaml.Document(built.script, yamlOptions())
  doc.commentBefore = built.comment.map(line => ` ${line}`).join('\n')
  return doc.toString(yamlOptions())
}

/** The whole export: the script as YAML, what it left out, the variables to set. */
export async function generateScript(input: ArtilleryInput, options: GenerateOptions): Promise<GeneratedScript> {
  const built = buildScript(input, options)
  const yaml = await loadYaml()
  return { yaml: stringifyScript(yaml, built), engine: built.engine, fileName: built.fileName, omissions: built.omissions, secrets: built.secrets, steps: built.steps }
}

import { readFileSync } from 'node:fs'

/**
 * `npx tsx bench/traceFunctions.ts <trace.json> [thread name]`: JavaScript self time by function on one thread of a
 * trace recorded with V8's sampling profiler (`SOCKETLENS_TRACE_CPU=1 SOCKETLENS_TRACE_DIR=… bench/run.ts --profile`),
 * by default the driver Worker's ("DedicatedWorker thread"), which the page's own CPU profile cannot see. Each
 * sample counts its interval to the function on top of the stack. Not part of `npm test`.
 */
interface ProfileNode { id: number, callFrame: { functionName: string, url?: string, scriptId?: number, lineNumber?: number } }
interface Chunk { cpuProfile?: { nodes?: ProfileNode[], samples?: number[] }, timeDeltas?: number[] }
interface Event { ph: string, name: string, pid: number, tid: number, id?: string, args?: { name?: string, data?: Chunk } }

const [file, thread = 'DedicatedWorker thread'] = process.argv.slice(2)
if (!file) throw new Error('usage: traceFunctions.ts <trace.json> [thread name]')
const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Event[] }).traceEvents
const threads = new Map(events.filter(e => e.ph === 'M' && e.name === 'thread_name').map(e => [`${e.pid}:${e.tid}`, e.args?.name]))
// A profile's chunks come from V8's profiler thread; the `Profile` event that shares their id is on the profiled one.
const profiled = new Set(events.filter(e => e.name === 'Profile' && threads.get(`${e.pid}:${e.tid}`) === thread).map(e => `${e.pid}:${e.id}`))
const nodes = new Map<string, Map<number, ProfileNode>>()
const self = new Map<string, number>()
let totalUs = 0
for (const e of events) {
  const key = `${e.pid}:${e.id}`
  if (e.name !== 'ProfileChunk' || !profiled.has(key)) continue
  const known = nodes.get(key) ?? new Map<number, ProfileNode>()
  nodes.set(key, known)
  for (const node of e.args?.data?.cpuProfile?.nodes ?? []) known.set(node.id, node)
  const samples = e.args?.data?.cpuProfile?.samples ?? []
  const deltas = e.args?.data?.timeDeltas ?? []
  samples.forEach((id, i) => {
    const frame = known.get(id)?.callFrame
    const where = frame?.lineNumber === undefined ? '' : ` ${frame.url?.split('/').pop() || `script ${frame.scriptId}`}:${frame.lineNumber + 1}`
    const name = frame ? `${frame.functionName || '(anonymous)'}${where}` : `#${id}`
    const us = Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0)
    self.set(name, (self.get(name) ?? 0) + us)
    totalUs += us
  })
}
process.stdout.write(`${thread}: ${(totalUs / 1000).toFixed(0)} ms sampled\n`)
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
  process.stdout.write(`${(us / 1000).toFixed(1).padStart(9)} ms  ${name}\n`)

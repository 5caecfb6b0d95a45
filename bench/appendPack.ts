/**
 * `npx tsx bench/appendPack.ts`: what the page's `Timeline.appendPack` costs a frame in Node, for 100,000 frames of
 * 100 ASCII bytes in packs of 300 (a driver Worker's batches during a flood), into a fresh timeline (growing its ring)
 * and again into the same one (grown). Median and minimum of 30 rounds. Node's V8 is not Chromium's, and the figures
 * move with the machine's load: compare two builds by running each twice, alternating (docs/performance.md).
 */
import { COMPACT, FramePackBuilder, packCursor, type FramePack } from '../src/timeline/framePack.ts'
import { Timeline } from '../src/timeline/timeline.ts'
import type { TimelineEvent } from '../src/protocol/types.ts'

const FRAMES = 100_000
const PER_PACK = 300
const ROUNDS = 30

function packs(): FramePack[] {
  const payload = 'x'.repeat(100)
  const builder = new FramePackBuilder()
  const out: FramePack[] = []
  for (let sent = 0; sent < FRAMES; sent += PER_PACK) {
    for (let i = 0; i < PER_PACK; i++) {
      const frame = { seq: 0, time: sent + i, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: 100, data: payload }
      builder.add(frame as TimelineEvent, COMPACT)
    }
    out.push(builder.finish())
  }
  return out
}

function appendAll(timeline: Timeline, all: FramePack[]): number {
  const start = performance.now()
  for (const pack of all) timeline.appendPack(packCursor(pack), pack.n)
  return performance.now() - start
}

const all = packs()
const fresh: number[] = []
const grown: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const timeline = new Timeline()
  fresh.push(appendAll(timeline, all))
  grown.push(appendAll(timeline, all))
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!
const perFrame = (ms: number) => `${Math.round(ms * 1e6 / FRAMES)} ns`
console.log(`appendPack, ${FRAMES.toLocaleString('en-US')} frames in packs of ${PER_PACK}, ${ROUNDS} rounds: fresh timeline ${perFrame(median(fresh))} a frame (min ${perFrame(Math.min(...fresh))}), grown ${perFrame(median(grown))} (min ${perFrame(Math.min(...grown))})`)

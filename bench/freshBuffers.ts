import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../scripts/chromium.ts'

/**
 * `npx tsx bench/freshBuffers.ts`: what writing into a new ArrayBuffer costs in a Chromium dedicated Worker, against
 * writing into one already written (issue 12). A new buffer's memory is faulted in page by page as it is first
 * written; on a virtual machine each fault is expensive. This is why the driver Worker writes its packs into the
 * buffers the page gives back (src/protocol/worker/host.ts `bufferFor`) and the timeline's arena keeps its last freed
 * chunk (src/timeline/payloadArena.ts). For each size, 300 buffers: `transfer` makes each one new and transfers it to
 * the page (what the packs did), `reuse` writes one buffer again and again, `copy` makes each one new and posts a copy.
 * Not part of `npm test`.
 */
const WORKER = `
onmessage = ({ data: { size, count, mode } }) => {
  const source = new Uint8Array(size).fill(65)
  const kept = new ArrayBuffer(size)
  let made = 0, written = 0
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    const buffer = mode === 'reuse' ? kept : new ArrayBuffer(size)
    const t1 = performance.now()
    new Uint8Array(buffer).set(source)
    const t2 = performance.now()
    made += t1 - t0
    written += t2 - t1
    if (mode === 'transfer') postMessage({ buffer }, [buffer])
    else if (mode === 'copy') postMessage({ buffer })
  }
  postMessage({ done: true, made: made * 1000 / count, written: written * 1000 / count })
}`

const browser = await chromium.launch(chromiumLaunchOptions())
try {
  const page = await browser.newPage()
  await page.goto('about:blank')
  for (const size of [40_000, 280_000, 1_048_576]) {
    for (const mode of ['transfer', 'reuse', 'copy'] as const) {
      const result = await page.evaluate(({ source, size, mode }) => new Promise<{ made: number, written: number }>((resolve) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
        worker.onmessage = ({ data }) => {
          if (!data.done) return
          worker.terminate()
          resolve(data)
        }
        worker.postMessage({ size, count: 300, mode })
      }), { source: WORKER, size, mode })
      process.stdout.write(`${size.toLocaleString('en-US').padStart(9)} B  ${mode.padEnd(8)}  new buffer ${result.made.toFixed(1).padStart(6)} µs  writing it ${result.written.toFixed(1).padStart(7)} µs\n`)
    }
  }
}
finally {
  await browser.close()
}

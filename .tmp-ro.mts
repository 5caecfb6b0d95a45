import { chromium } from 'playwright-core'
import { preview } from 'vite'
import { startDevServer, FREE_PORTS } from './dev-server/index.ts'
const dist = process.argv[2]
const dev = await startDevServer({ ports: FREE_PORTS })
const app = await preview({ build: { outDir: dist }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' })
const url = `http://localhost:${(app.httpServer.address() as any).port}`
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
for (let round = 0; round < 2; round++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.addInitScript(() => {
    const log: unknown[] = []; (window as any).__ro = log
    const Orig = window.ResizeObserver
    window.ResizeObserver = class extends Orig {
      constructor(cb: ResizeObserverCallback) {
        super((entries, obs) => {
          const t0 = performance.now()
          cb(entries, obs)
          log.push({ at: Math.round(t0), ms: +(performance.now() - t0).toFixed(1), targets: entries.map(e => `${(e.target as HTMLElement).className} ${Math.round(e.contentRect.width)}x${Math.round(e.contentRect.height)}`) })
        })
      }
    }
    const st: unknown[] = []; (window as any).__st = st
    const obs = new MutationObserver(() => { const el = document.querySelector('[role=status]'); st.push([Math.round(performance.now()), el?.textContent?.slice(0, 40)]) })
    addEventListener('DOMContentLoaded', () => obs.observe(document.body, { subtree: true, characterData: true, childList: true }))
  })
  const target = `${dev.urls.ws}/flood?n=100000&size=100`
  await page.goto(`${url}/?url=${encodeURIComponent(target)}&type=ws&connect=1`)
  await page.getByRole('status').filter({ hasText: '100,000 frames' }).waitFor({ timeout: 30000 })
  const opened = await page.evaluate(() => performance.now())
  console.log(JSON.stringify(await page.evaluate(() => (window as any).__ro), null, 0), 'done at', Math.round(opened))
  const st = await page.evaluate(() => (window as any).__st) as [number, string][]
  const uniq = st.filter((x, i) => i === 0 || x[1] !== st[i - 1]![1])
  const res = await page.evaluate(() => performance.getEntriesByType('resource').map(e => `${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ${e.name.replace(/^.*\//, '').slice(0, 30)}`))
  console.log(res.join(' | '))
  console.log(uniq.slice(0, 8).map(x => x.join(' ')).join(' | '), '...', uniq.slice(-2).map(x => x.join(' ')).join(' | '))
  await page.close()
}
await browser.close(); await app.close(); await dev.close?.()
process.exit(0)

/**
 * The initial JavaScript a first visit downloads — the entry script of the built `index.html` and every module it
 * preloads — checked against the budget stated in docs/performance.md ("Initial bundle"). Everything else (the code
 * editor, the old Socket.IO client, the charts, side by side, the Korean words) is a chunk loaded on first use and is
 * not counted.
 *
 *   npx tsx scripts/bundleBudget.ts [dist]      exits 1 over budget; prints the figures either way
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The budget (bytes). Raise it only with a reason written in docs/performance.md. */
export const BUDGET = { raw: 620 * 1024, gzip: 206 * 1024 }

export function initialScripts(html: string): string[] {
  const found = new Set<string>()
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) found.add(match[1]!)
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g)) found.add(match[1]!)
  return [...found]
}

const dist = process.argv[2] ?? 'dist'
const scripts = initialScripts(readFileSync(join(dist, 'index.html'), 'utf8'))
if (scripts.length === 0) {
  console.error(`bundle budget: no script found in ${dist}/index.html`)
  process.exit(1)
}
let raw = 0
let gzip = 0
for (const src of scripts) {
  const bytes = readFileSync(join(dist, src.replace(/^\//, '')))
  raw += bytes.length
  gzip += gzipSync(bytes).length
}
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`
const over = raw > BUDGET.raw || gzip > BUDGET.gzip
console.log(`bundle budget: initial JS ${kb(raw)} (gzip ${kb(gzip)}) in ${scripts.length} files; budget ${kb(BUDGET.raw)} (gzip ${kb(BUDGET.gzip)})${over ? ' — OVER BUDGET' : ''}`)
if (over) process.exit(1)

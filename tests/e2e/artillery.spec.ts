import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { FREE_PORTS, startDevServer, type DevServer, type RecordEntry } from '../../dev-server/index'
import { ensureArtillery } from '../../scripts/artillery'
import { expect, openConnected, statusOf, test } from './fixtures'

/**
 * "Export as Artillery test" for real (issue 13): a Socket.IO session (a room join, emits with several arguments and
 * acks) and a raw WebSocket session are recorded through the app in Chromium against a dev server of this test's own
 * (so no other test's traffic is in its record), exported through the dialog (Download), and run with Artillery
 * 2.0.21 (installed on demand, scripts/artillery.ts) against that server with a few virtual users. The verdict comes
 * from the dev server's record (`server.record()`, dev-server/README.md "The record"), not from Artillery's exit
 * code: every virtual user's connection must have sent the same events, in the same order, with the same arguments,
 * as the recorded session did, and every ack it asked for must have been asked for and answered.
 */

/** Artillery's phases: 2 new users a second for 2 s → 4 virtual users per script. */
const PHASES = { duration: '2', rate: '2' }

let server: DevServer
let work: string

test.beforeAll(async () => {
  // The install takes minutes the first time (CI's .ci/run does it before the tests); then it is a no-op.
  test.setTimeout(15 * 60_000)
  await ensureArtillery()
  server = await startDevServer({ ports: FREE_PORTS, log: () => {} })
  work = await mkdtemp(join(tmpdir(), 'socketlens-artillery-'))
})

test.afterAll(async () => {
  await server?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

/** Emit through the composer; an argument `hex:…` is sent as binary (its type set to Binary, hex input). */
async function sendEvent(page: Page, name: string, args: string[], ack: boolean): Promise<void> {
  await page.getByRole('textbox', { name: 'Event name' }).fill(name)
  await page.getByRole('textbox', { name: 'Message' }).fill(args[0] ?? '')
  for (let i = 1; i < args.length; i++) {
    await page.getByRole('button', { name: '+ Add argument' }).click()
    const hex = /^hex:(.*)$/.exec(args[i]!)?.[1]
    if (hex !== undefined) await page.getByRole('combobox', { name: `Type of argument ${i + 1}` }).selectOption('binary')
    await page.getByRole('textbox', { name: `Argument ${i + 1}` }).fill(hex ?? args[i]!)
  }
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).setChecked(ack)
  await page.getByRole('button', { name: 'Send' }).click()
  if (ack) await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/Ack in/)
  for (let i = args.length; i > 1; i--) await page.getByRole('button', { name: `Remove argument ${i}` }).click()
}

/** Export the shown session through the dialog, with the test's phases, and save the file. */
async function exportScript(page: Page, engine: RegExp, file: string, leftOut: RegExp): Promise<string> {
  await page.getByRole('button', { name: 'Export as Artillery test' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export as Artillery test' })
  await expect(dialog.getByTestId('artillery-engine')).toHaveText(engine)
  await expect(dialog.getByRole('region', { name: 'Left out or changed' })).toContainText(leftOut)
  await dialog.getByRole('spinbutton', { name: 'Duration (s)' }).fill(PHASES.duration)
  await dialog.getByRole('spinbutton', { name: 'New users per second' }).fill(PHASES.rate)
  await dialog.getByRole('spinbutton', { name: 'Longest pause (s)' }).fill('1')
  await expect(dialog.getByLabel('Script preview')).toContainText(`arrivalRate: ${PHASES.rate}`)
  await expect(dialog.getByLabel('Script preview')).toContainText('npx artillery')
  await expect(dialog).toContainText('run-fargate')
  const download = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Download .yml' }).click()
  const path = join(work, file)
  await (await download).saveAs(path)
  await dialog.getByRole('button', { name: 'Close' }).click()
  return path
}

interface Run { code: number | null, output: string, created: number, completed: number, failed: number }

/** `artillery run` with a JSON report; the counters say how many virtual users ran (not whether they did it right). */
async function runArtillery(bin: string, script: string): Promise<Run> {
  const report = `${script}.report.json`
  const { code, output } = await new Promise<{ code: number | null, output: string }>((done, fail) => {
    const child = spawn(bin, ['run', '--output', report, script], {
      cwd: work,
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ARTILLERY_TELEMETRY_DEFAULTS: '{}', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.on('error', fail)
    child.on('close', exit => done({ code: exit, output: text }))
  })
  let counters: Record<string, number>
  try {
    counters = (JSON.parse(await readFile(report, 'utf8')) as { aggregate: { counters: Record<string, number> } }).aggregate.counters
  }
  catch (error) {
    throw new Error(`artillery run ${script} wrote no report (exit ${code}): ${(error as Error).message}\n${output.slice(-4000)}`, { cause: error })
  }
  return { code, output, created: counters['vusers.created'] ?? 0, completed: counters['vusers.completed'] ?? 0, failed: counters['vusers.failed'] ?? 0 }
}

type SioEvent = Extract<RecordEntry, { type: 'event' }>
type WsFrame = Extract<RecordEntry, { type: 'frame' }>

/** What one Socket.IO socket sent, in order: joins and events (name, arguments, ack asked). */
function sioSequences(entries: RecordEntry[]): Map<string, { what: string, args?: unknown[], ack?: boolean }[]> {
  const bySocket = new Map<string, { what: string, args?: unknown[], ack?: boolean }[]>()
  for (const entry of entries) {
    if (!('socket' in entry) || entry.server !== 'socketio' || entry.namespace !== '/') continue
    const list = bySocket.get(entry.socket) ?? []
    bySocket.set(entry.socket, list)
    if (entry.type === 'event') list.push({ what: `event ${entry.event}`, args: entry.args, ack: entry.ack })
    else if (entry.type === 'join') list.push({ what: `join ${entry.room}` })
  }
  return bySocket
}

test('a recorded Socket.IO session and a raw WebSocket session, exported and run by Artillery, reach the dev server the same for every virtual user', async ({ page, appUrl }) => {
  test.setTimeout(120_000)
  const { bin } = await ensureArtillery()
  const room = 'artillery-room'

  // ---- record a Socket.IO session: a join (acked by the server), emits with several arguments, acks
  const status = await openConnected(page, appUrl, server.urls.socketio, { type: 'socketio' })
  await page.getByRole('textbox', { name: 'Room' }).fill(room)
  await page.getByRole('button', { name: 'Join room' }).click()
  await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
  await sendEvent(page, 'echo', ['{"n":1,"tags":["a","b"],"nested":{"ok":true}}', '42', 'yes', 'null', 'hex:de ad be ef'], true)
  await sendEvent(page, 'roomMessage', [`{"room":"${room}","message":"hi all"}`], false)
  await sendEvent(page, 'store', ['[1,"two",3.5]'], true)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toContainText('closed')
  const sioScript = await exportScript(page, /^socketio/, 'socketio.yml', /1 binary argument\(s\) written as !!binary/)
  const sioYaml = await readFile(sioScript, 'utf8')
  expect(sioYaml).toContain('acknowledge')

  // ---- record a raw WebSocket session on /echo
  const wsStatus = await openConnected(page, appUrl, `${server.urls.ws}/echo`, { type: 'ws' })
  const frames = ['hello', 'yes', '{"a":1}', 'line one\nline two']
  for (const text of frames) {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await page.getByRole('button', { name: 'Send' }).click()
  }
  // A binary frame too: Artillery's ws engine cannot send it, so the dialog must say it is left out.
  await page.getByRole('combobox', { name: 'Payload format' }).selectOption('binary')
  await page.getByRole('textbox', { name: 'Message' }).fill('ca fe')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(wsStatus).toContainText(`${frames.length + 1} frames`)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(statusOf(page)).toContainText('closed')
  const wsScript = await exportScript(page, /^ws/, 'ws.yml', /1 binary frame\(s\) left out/)

  // ---- what the recorded sessions sent, from the server's own record
  const before = server.record()
  const recordedSio = [...sioSequences(before.entries).values()].filter(list => list.length > 0)
  expect(recordedSio).toHaveLength(1)
  const reference = recordedSio[0]!
  expect(reference.map(step => step.what)).toEqual(['event joinRoom', `join ${room}`, 'event echo', 'event roomMessage', 'event store'])
  expect(reference.find(step => step.what === 'event echo')).toEqual({ what: 'event echo', args: [{ n: 1, tags: ['a', 'b'], nested: { ok: true } }, 42, 'yes', null, { base64: '3q2+7w==' }], ack: true })
  const referenceFrames = before.entries.filter((e): e is WsFrame => e.type === 'frame' && e.path === '/echo').map(e => `${e.kind}:${e.data}`)
  expect(referenceFrames).toEqual([...frames.map(text => `text:${text}`), 'binary:yv4='])

  // ---- run both scripts with Artillery against the dev server
  const [sioRun, wsRun] = await Promise.all([runArtillery(bin, sioScript), runArtillery(bin, wsScript)])
  const after = server.record(before.last)
  const log = `socketio run:\n${sioRun.output.slice(-3000)}\nws run:\n${wsRun.output.slice(-3000)}`
  expect(sioRun.created, log).toBeGreaterThanOrEqual(2)
  expect(wsRun.created, log).toBeGreaterThanOrEqual(2)

  // Every virtual user's socket: the same joins and events, in the same order, with the same arguments and acks asked.
  const users = [...sioSequences(after.entries).entries()]
  expect(users.length, log).toBe(sioRun.created)
  for (const [socket, sequence] of users) expect(sequence, `socket ${socket}\n${log}`).toEqual(reference)
  // ... and every ack asked for was answered by the server.
  const events = after.entries.filter((e): e is SioEvent => e.type === 'event')
  expect(events.filter(e => e.ack).length).toBe(users.length * reference.filter(step => step.ack).length)
  expect(events.filter(e => e.ack && !e.acked)).toEqual([])

  // Every virtual user's WebSocket connection: the same text frames, in order.
  const byConnection = new Map<number, string[]>()
  for (const entry of after.entries) {
    if (entry.type === 'open' && entry.path === '/echo') byConnection.set(entry.connection, [])
    if (entry.type === 'frame' && entry.path === '/echo') byConnection.get(entry.connection)?.push(`${entry.kind}:${entry.data}`)
  }
  expect(byConnection.size, log).toBe(wsRun.created)
  for (const [connection, sent] of byConnection) expect(sent, `connection ${connection}\n${log}`).toEqual(frames.map(text => `text:${text}`))
})

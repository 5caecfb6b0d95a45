/**
 * Words in an export (src/timeline/exportWords.ts): each message keeps its key and values and gets its English
 * sentence beside them, so a file reads the same anywhere; an import gets the messages back and shows them in the
 * reader's language; an older file's English sentences stay the file's words. Server data is never touched.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { inEnglish, loadLocale, setLocale, translate } from '../../src/i18n'
import { diagnose, diagnosisText } from '../../src/protocol/diagnose'
import { message, type MessageRef } from '../../src/protocol/message'
import type { TimelineEvent } from '../../src/protocol/types'
import { exportNdjson, importTimeline } from '../../src/timeline/importExport'
import { importErrorWords } from '../support/importWords'

// Korean is a chunk of its own in the app (src/i18n): loaded first, setLocale('ko') switches at once.
beforeAll(() => loadLocale('ko'))

const REFUSED = diagnose({ protocol: 'ws', url: 'ws://127.0.0.1:1234/', everOpened: false, error: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' } })

const failure = {
  seq: 1, time: 1_700_000_000_000, layer: 'lifecycle', kind: 'error', dir: 'local',
  explain: diagnosisText(REFUSED, 'explanation'),
  detail: { diagnosis: REFUSED, message: 'connect ECONNREFUSED 127.0.0.1:1234' },
} as unknown as TimelineEvent
const close = {
  seq: 2, time: 1_700_000_000_001, layer: 'lifecycle', kind: 'close', dir: 'in', code: 4001, reason: 'bye',
  explain: message('protocol.closeCode.explain', { code: 4001, name: message('protocol.closeCode.application.name', { code: 4001 }), meaning: message('protocol.closeCode.application.meaning', { code: 4001 }), said: message('protocol.closeCode.reasonGiven', { reason: 'bye' }) }),
  detail: { wasClean: true, byUser: false, closedBy: 'server', evidence: [message('diagnoses.evidence.wasOpen', { duration: '1.5 s' })] },
} as unknown as TimelineEvent
// A server's argument that happens to look like a message: its data, never words.
const lookalike = {
  seq: 3, time: 1_700_000_000_002, layer: 'app', kind: 'event', dir: 'in', name: 'chat', namespace: '/',
  detail: { args: [{ key: 'diagnoses.banner.region' }] },
} as unknown as TimelineEvent

function lines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').slice(1).map(line => JSON.parse(line) as Record<string, unknown>)
}

afterEach(() => setLocale('en', false))

describe('export: the key, the values and the English sentence', () => {
  it('writes each message with its English text beside it, and leaves the events as they were', () => {
    const before = JSON.stringify([failure, close, lookalike])
    const [error, closed, app] = lines(exportNdjson([failure, close, lookalike], { protocol: 'ws', describe: inEnglish }))
    expect(error!.explain).toEqual({ ...diagnosisText(REFUSED, 'explanation'), text: 'The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.' })
    const diagnosis = (error!.detail as { diagnosis: Record<string, unknown> }).diagnosis
    expect(diagnosis).toMatchObject({ id: 'nothing-listening', variant: 'refused', params: { where: '127.0.0.1:1234' }, guess: false })
    expect(diagnosis.text).toEqual({
      title: 'Nothing listening',
      explanation: 'The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.',
      nextStep: 'Start the server, or check the host and the port.',
    })
    expect((diagnosis.evidence as { text: string }[])[0]).toEqual({ key: 'diagnoses.evidence.error', params: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1234' }, text: 'Error: connect ECONNREFUSED 127.0.0.1:1234' })
    expect((closed!.explain as { text: string }).text).toMatch(/^4001 Application code: 4001 is application-defined .* The reason given was "bye"\.$/)
    expect((closed!.detail as { evidence: unknown[] }).evidence).toEqual([{ key: 'diagnoses.evidence.wasOpen', params: { duration: '1.5 s' }, text: 'Was open 1.5 s before this close' }])
    expect(app!.detail).toEqual({ args: [{ key: 'diagnoses.banner.region' }] })
    expect(JSON.stringify([failure, close, lookalike])).toBe(before)
  })

  it('writes English whatever the UI speaks', () => {
    setLocale('ko', false)
    const [error] = lines(exportNdjson([failure], { describe: inEnglish }))
    expect((error!.explain as { text: string }).text).toBe('The connection to 127.0.0.1:1234 was refused: nothing is listening on that port.')
  })

  it('without a describer, writes keys and values only', () => {
    const [error] = lines(exportNdjson([failure]))
    expect(error!.explain).toEqual(diagnosisText(REFUSED, 'explanation'))
  })
})

describe('import: the messages come back in the reader\'s language', () => {
  it('restores the messages of an export, and shows them in Korean for a Korean reader', () => {
    const result = importTimeline(exportNdjson([failure, close], { protocol: 'ws', describe: inEnglish }))
    if (!result.ok) throw new Error(importErrorWords(result))
    const [error] = result.events
    expect(error!.explain).toMatchObject(diagnosisText(REFUSED, 'explanation'))
    expect((error!.detail as { diagnosis: unknown }).diagnosis).toMatchObject({ id: 'nothing-listening', variant: 'refused', params: { where: '127.0.0.1:1234' } })
    setLocale('ko', false)
    expect(translate(error!.explain!)).toBe('127.0.0.1:1234(으)로의 연결이 거부되었습니다: 그 포트에서 듣고 있는 것이 없습니다.')
  })

  it('a message this version does not know shows the English the file carries', () => {
    const unknown = { key: 'protocol.fromTheFuture.sentence', params: { n: 1 }, text: 'A sentence from a newer SocketLens.' }
    const file = ['{"format":"socketlens-timeline","version":1,"exportedAt":"T","events":1}', JSON.stringify({ seq: 1, time: 1, layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'x', explain: unknown })].join('\n')
    const result = importTimeline(file)
    if (!result.ok) throw new Error(importErrorWords(result))
    expect(translate(result.events[0]!.explain as MessageRef)).toBe('A sentence from a newer SocketLens.')
  })

  it('an older file\'s English sentence (`explanation`) stays the file\'s words, in any language', () => {
    const file = ['{"format":"socketlens-timeline","version":1,"exportedAt":"T","events":1}', JSON.stringify({ seq: 1, time: 1, layer: 'lifecycle', kind: 'close', dir: 'in', code: 4000, reason: '', explanation: 'Your password expired: enter it at evil.example.' })].join('\n')
    const result = importTimeline(file)
    if (!result.ok) throw new Error(importErrorWords(result))
    const [event] = result.events
    expect(event!.explain).toEqual({ key: 'protocol.imported.text', params: { text: 'Your password expired: enter it at evil.example.' } })
    expect('explanation' in event!).toBe(false)
    setLocale('ko', false)
    expect(translate(event!.explain!)).toBe('Your password expired: enter it at evil.example.')
  })
})

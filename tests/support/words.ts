/**
 * What a person reads, for tests that check it: events and diagnoses carry messages (src/protocol/message.ts), and
 * these put them into English (the catalogues, src/i18n). Prefer asserting ids, keys and values; use these where
 * the words themselves are the point (a hedge, a server's text shown as it came).
 */
import { inEnglish } from '../../src/i18n'
import { diagnosisText, isDiagnosis, type DiagnosisPart } from '../../src/protocol/diagnose'
import { isMessageRef } from '../../src/protocol/message'

/** An event's explanation (`explain`) in English; '' when it has none. */
export function explained(event: { explain?: unknown } | undefined): string {
  return event && isMessageRef(event.explain) ? inEnglish(event.explain) : ''
}

/** A part of the event's diagnosis (`detail.diagnosis`) in English; '' when it has none. */
export function diagnosisWords(event: { detail?: unknown } | undefined, part: DiagnosisPart = 'title'): string {
  const diagnosis = (event?.detail as { diagnosis?: unknown } | undefined)?.diagnosis
  return isDiagnosis(diagnosis) ? inEnglish(diagnosisText(diagnosis, part)) : ''
}

/** Evidence lines (messages) in English. */
export function evidenceWords(lines: unknown): string[] {
  return Array.isArray(lines) ? lines.map(line => isMessageRef(line) ? inEnglish(line) : String(line)) : []
}

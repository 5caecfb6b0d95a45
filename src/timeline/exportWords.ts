/**
 * Words in an export: a file keeps each message's key and values, and its English sentence beside them (`text`), so it
 * reads the same anywhere (in a text editor, in an older SocketLens) while an import gets the messages back and puts
 * them into the reader's language. Pure: the UI hands in the describer (`inEnglish`, src/i18n/index.ts); this layer
 * never imports vue-i18n.
 *
 * Only the places that hold messages get a `text`: the event's `explain`, `detail.diagnosis` (its title, explanation
 * and next step, and its evidence), `detail.evidence` and `detail.offer.evidence`. Server data elsewhere in `detail`
 * (Socket.IO arguments) is never touched, whatever it looks like.
 */
import { diagnosisText, isDiagnosis } from '../protocol/diagnose'
import { IMPORTED_TEXT_KEY, isMessageRef, message, type MessageRef } from '../protocol/message'

/** Puts a message into words (the UI passes `inEnglish`). */
export type Describe = (ref: MessageRef) => string

/** A message with its sentence beside it: a copy, the event's own object stays as it is. */
function described(ref: MessageRef, describe: Describe): MessageRef & { text: string } {
  return { key: ref.key, ...(ref.params ? { params: ref.params } : {}), text: describe(ref) }
}

function describedList(value: unknown, describe: Describe): unknown {
  if (!Array.isArray(value)) return value
  return value.map(item => isMessageRef(item) ? described(item, describe) : item)
}

/** The English sentence beside `explain` in an export record (a copy; the event is not changed). */
export function explainWithText(record: Record<string, unknown>, describe: Describe): void {
  if (isMessageRef(record.explain)) record.explain = described(record.explain, describe)
}

/**
 * The English sentences beside the messages of an export record's `detail`. The detail is replaced by a shallow copy
 * along the changed path: it may be the event's own object (the deep-detail path of the export).
 */
export function detailWithText(record: Record<string, unknown>, describe: Describe): void {
  const detail = record.detail
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return
  const source = detail as Record<string, unknown>
  const copy: Record<string, unknown> = { ...source }
  let changed = false
  if (isDiagnosis(source.diagnosis)) {
    const d = source.diagnosis
    copy.diagnosis = {
      ...d,
      evidence: describedList(d.evidence, describe),
      text: {
        title: describe(diagnosisText(d, 'title')),
        explanation: describe(diagnosisText(d, 'explanation')),
        nextStep: describe(diagnosisText(d, 'nextStep')),
      },
    }
    changed = true
  }
  if (Array.isArray(source.evidence)) {
    copy.evidence = describedList(source.evidence, describe)
    changed = true
  }
  const offer = source.offer
  if (offer && typeof offer === 'object' && !Array.isArray(offer) && Array.isArray((offer as { evidence?: unknown }).evidence)) {
    copy.offer = { ...offer, evidence: describedList((offer as { evidence: unknown[] }).evidence, describe) }
    changed = true
  }
  if (changed) record.detail = copy
}

/**
 * An older file's English sentence (`explanation`, before messages) as a message that shows it as it is, in any
 * language: the words are the file's.
 */
export function importedExplanation(text: string): MessageRef {
  return message(IMPORTED_TEXT_KEY, { text })
}

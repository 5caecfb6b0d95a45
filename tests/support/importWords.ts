/**
 * An import's error and warnings (messages, `timeline.import.*`) in English: for tests where the sentence a person
 * reads is the point (it names the line, the field and the value found).
 */
import { inEnglish } from '../../src/i18n'
import type { MessageRef } from '../../src/protocol/message'
import type { ImportResult } from '../../src/timeline/importCommon'

/** The error of a failed import, in English; throws when the import succeeded. */
export function importErrorWords(result: { ok: true } | { ok: false, error: MessageRef }): string {
  if (result.ok) throw new Error('expected the import to fail')
  return inEnglish(result.error)
}

/** A successful import's warnings in English (`undefined` when it has none); throws, in English, when it failed. */
export function importWarningWords(result: ImportResult): string[] | undefined {
  if (!result.ok) throw new Error(inEnglish(result.error))
  return result.warnings?.map(warning => inEnglish(warning))
}

/** The import's value when it succeeded; throws with its error in English when it did not. */
export function imported<R extends ImportResult>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) throw new Error(inEnglish(result.error))
  return result as Extract<R, { ok: true }>
}

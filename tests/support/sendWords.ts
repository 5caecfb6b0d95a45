/**
 * A send's outcome with its error (a message, `protocol.send.*`) in English: for tests where the sentence a person
 * reads is the point.
 */
import { inEnglish } from '../../src/i18n'
import type { SendResult } from '../../src/protocol/types'

export type SendResultInWords = Omit<SendResult, 'error'> & { error?: string }

export function inWords(result: SendResult): SendResultInWords {
  return result.error === undefined ? result as SendResultInWords : { ...result, error: inEnglish(result.error) }
}

/** The same, once the promise settles. */
export async function sentInWords(result: Promise<SendResult>): Promise<SendResultInWords> {
  return inWords(await result)
}

/**
 * Words as data. The protocol layer never writes a sentence: it says which message applies and with which values
 * (`{ key: 'diagnosis.tls-untrusted.explanation', params: { origin } }`), and the UI puts it into words in the
 * person's language (src/i18n/). An export keeps the key, the parameters and the English sentence, so a file stays
 * readable anywhere.
 */

/** Values a message is filled with: plain, already formatted where formatting matters (durations, sizes). */
export type MessageParams = Readonly<Record<string, string | number>>

/** A catalogue key (src/i18n/messages/en/*) and the values it is filled with. */
export interface MessageRef {
  readonly key: string
  readonly params?: MessageParams
}

/** A message reference; `params` only when there are some, so events stay small. */
export function message(key: string, params?: MessageParams): MessageRef {
  return params === undefined ? { key } : { key, params }
}

/**
 * Words as data. The protocol layer never writes a sentence: it says which message applies and with which values
 * (`{ key: 'diagnoses.tls-untrusted.likely.explanation', params: { host, … } }`), and the UI puts it into words in the
 * person's language (src/i18n/). An export keeps the key, the parameters and the English sentence, so a file stays
 * readable anywhere.
 */

/**
 * Values a message is filled with: plain, already formatted where formatting matters (durations, sizes), or another
 * message (a clause that is there or not, a sentence inside a sentence). `count` picks the plural form.
 */
export type MessageParam = string | number | MessageRef
export type MessageParams = Readonly<Record<string, MessageParam>>

/** A catalogue key (src/i18n/messages/en/*) and the values it is filled with. */
export interface MessageRef {
  readonly key: string
  readonly params?: MessageParams
}

/** A message reference; `params` only when there are some, so events stay small. */
export function message(key: string, params?: MessageParams): MessageRef {
  return params === undefined ? { key } : { key, params }
}

/** No clause: an empty parameter (a message's optional part left out). */
export const NOTHING = ''

/** How the UI looks a key up: vue-i18n's `t(key, named)` or `t(key, named, plural)`. */
export type MessageLookup = (key: string, named: Record<string, string | number>, plural?: number) => string

/** Messages inside messages are at most this deep (a file's refs are untrusted: the walk is bounded). */
const MAX_DEPTH = 4

/**
 * A message in words: nested messages first, then the message itself, through `lookup` (the UI's i18n). `count`
 * (a number) chooses the plural form. Depth-bounded.
 */
export function renderMessage(ref: MessageRef, lookup: MessageLookup, depth = 0): string {
  const named: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(ref.params ?? {})) {
    named[name] = typeof value === 'object' && value !== null
      ? (depth < MAX_DEPTH && isMessageRef(value) ? renderMessage(value, lookup, depth + 1) : '')
      : value
  }
  const count = named.count
  return typeof count === 'number' ? lookup(ref.key, named, count) : lookup(ref.key, named)
}

/** A value read from a file or a detail is a MessageRef (key a string; params plain values or refs, bounded). */
export function isMessageRef(value: unknown, depth = 0): value is MessageRef {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false
  const { key, params } = value as { key?: unknown, params?: unknown }
  if (typeof key !== 'string' || key === '') return false
  if (params === undefined) return true
  if (!params || typeof params !== 'object' || Array.isArray(params)) return false
  for (const item of Object.values(params)) {
    if (typeof item === 'string' || typeof item === 'number') continue
    if (depth >= MAX_DEPTH || !isMessageRef(item, depth + 1)) return false
  }
  return true
}

/** Same message, same values (deep, bounded): to tell a repeated diagnosis from a new one. */
export function sameMessage(a: MessageRef | undefined, b: MessageRef | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return messageIdentity(a) === messageIdentity(b)
}

/** A message's key and values as one string (bounded by the depth of refs). */
export function messageIdentity(ref: MessageRef, depth = 0): string {
  const params = Object.entries(ref.params ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
  const values = params.map(([name, value]) => `${name}=${typeof value === 'object'
    ? (depth < MAX_DEPTH ? `(${messageIdentity(value, depth + 1)})` : '…')
    : JSON.stringify(value)}`)
  return `${ref.key}{${values.join(',')}}`
}

/**
 * How the layers below the UI put a message into words when they must (a timeline row's preview, the search text):
 * the UI installs its `translate` at start-up (src/i18n/index.ts); until then, and in Node tests, the key.
 */
let installed: ((ref: MessageRef) => string) | undefined

export function setMessageDescriber(describe: ((ref: MessageRef) => string) | undefined): void {
  installed = describe
}

/** The message that shows a file's own sentence as it is, in any language (timeline/exportWords.ts). */
export const IMPORTED_TEXT_KEY = 'protocol.imported.text'

/**
 * A message in the UI's language; when no UI installed a describer (Node), the key, or a file's own sentence as it
 * is (it needs no catalogue).
 */
export function describeMessage(ref: MessageRef): string {
  if (installed) return installed(ref)
  const text = ref.params?.text
  return ref.key === IMPORTED_TEXT_KEY && typeof text === 'string' ? text : ref.key
}

/**
 * How a received event is matched to the send it came from. Each sent message carries a tag the receivers can see:
 * text gets ` [fanout <run>#<seq>]` appended, a JSON object gains a key `fanout: { id: <run>, seq }`. A receiver
 * looks for the tag anywhere in the event's arguments (a bounded walk: server data is untrusted). Untagged sends are
 * matched on equality of the payload instead (payloadKey): two equal payloads cannot be told apart, so the oldest send
 * this client has not yet received is taken.
 */

export interface FanoutTag {
  /** The fan-out run's id: tags of another run (or another tab) are not ours. */
  run: string
  seq: number
}

/** The object key a tagged JSON object carries. */
export const TAG_KEY = 'fanout'

const TEXT_TAG = /\[fanout ([\w-]{1,32})#(\d{1,9})\]/

/** ` [fanout abc#12]`, the text form of a tag. */
export function tagText(tag: FanoutTag): string {
  return `[fanout ${tag.run}#${tag.seq}]`
}

/** A message with its tag: text gets the tag appended, a plain object a `fanout` key; other values become text. */
export function tagMessage(value: unknown, tag: FanoutTag): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return { ...(value as Record<string, unknown>), [TAG_KEY]: { id: tag.run, seq: tag.seq } }
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text === '' ? tagText(tag) : `${text} ${tagText(tag)}`
}

const MAX_NODES = 64
const MAX_DEPTH = 4

/**
 * The seq of this run's tag in a received event's arguments, or undefined. Walks at most 64 values, 4 levels deep,
 * iteratively; looks at strings (the text tag) and at objects' `fanout` key.
 */
export function findTag(args: readonly unknown[], run: string): number | undefined {
  const stack: { value: unknown, depth: number }[] = []
  for (let i = args.length - 1; i >= 0; i--) stack.push({ value: args[i], depth: 0 })
  let visited = 0
  while (stack.length > 0 && visited < MAX_NODES) {
    const { value, depth } = stack.pop()!
    visited++
    if (typeof value === 'string') {
      const found = TEXT_TAG.exec(value)
      if (found && found[1] === run) return Number(found[2])
      continue
    }
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) continue
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) continue
    if (!Array.isArray(value)) {
      const tag = (value as Record<string, unknown>)[TAG_KEY]
      if (tag !== null && typeof tag === 'object' && !Array.isArray(tag)) {
        const { id, seq } = tag as { id?: unknown, seq?: unknown }
        if (id === run && typeof seq === 'number' && Number.isSafeInteger(seq)) return seq
      }
    }
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)
    for (let i = Math.min(children.length, MAX_NODES) - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 })
  }
  return undefined
}

const MAX_KEY_LENGTH = 4096

/** A payload as a comparable string (JSON), or undefined when it cannot be one or is too long to compare cheaply. */
export function payloadKey(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function') return undefined
  try {
    const key = JSON.stringify(value)
    return key.length <= MAX_KEY_LENGTH ? key : undefined
  }
  catch {
    return undefined
  }
}

/**
 * The keys a received event offers for matching by equality: each argument, and an object argument's `message`
 * (a server that forwards `{ room, message, from }`).
 */
export function receivedKeys(args: readonly unknown[]): string[] {
  const keys: string[] = []
  for (const arg of args.slice(0, 4)) {
    const key = payloadKey(arg)
    if (key !== undefined) keys.push(key)
    if (arg !== null && typeof arg === 'object' && !Array.isArray(arg) && 'message' in arg) {
      const inner = payloadKey((arg as { message?: unknown }).message)
      if (inner !== undefined) keys.push(inner)
    }
  }
  return keys
}

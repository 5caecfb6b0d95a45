/**
 * JSON text of values a server sent, written without recursion.
 *
 * V8's `JSON.stringify` recurses once per nesting level and throws `RangeError: Maximum call stack size exceeded`
 * somewhere past ~5,000 levels (fewer inside a deep Vue render), and so do recursive walkers; a Socket.IO server can
 * send any depth (`JSON.parse` itself is iterative in V8 since 7.6, so such a value arrives intact). This writer
 * keeps its own stack, so any depth is written, and it can stop after a character budget, so a preview of a
 * 64 MiB value costs what the preview shows, not the value.
 */

/**
 * Levels a view shows as structure (tree nodes, indented text); deeper levels are shown as compact text. A person
 * does not open a hundred levels by hand, and a Vue render that deep is still far from the stack's end.
 */
export const NESTING_LIMIT = 100

export interface JsonTextOptions {
  /** Pretty-print with this many spaces a level, as `JSON.stringify(value, null, indent)`. @default 0 (compact) */
  indent?: number
  /** Levels indented; deeper ones are written compact, so indentation cannot grow with the depth. @default NESTING_LIMIT */
  indentDepth?: number
  /** Stop after about this many characters (strings are cut to fit): `complete` is then false. @default Infinity */
  maxChars?: number
  /**
   * Called for every value before it is written (like a `JSON.stringify` replacer, without the key): turn binary,
   * bigint, errors into something JSON can hold. Its result is written as is, not passed through it again.
   */
  replace?: (value: unknown) => unknown
}

export interface JsonText {
  text: string
  /** False when `maxChars` cut the text short. */
  complete: boolean
  /** Deepest nesting level met (0 for a scalar, 1 for `[]`): for a cut text, the deepest met before the cut. */
  depth: number
}

interface Frame {
  value: object
  /** Own enumerable keys of an object; undefined for an array. */
  keys: string[] | undefined
  /** Next key or index to write. */
  next: number
  /** Nesting level of this container's members (1 for the top container's). */
  level: number
  /** The members are written on their own indented lines. */
  pretty: boolean
  /** Something was written in this container already (a comma goes before the next member). */
  wrote: boolean
}

/** What JSON.stringify does with a value that has `toJSON` (Date, and any class that asks for it). */
function applyToJson(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return (value as { toJSON: (key: string) => unknown }).toJSON(key)
  return value
}

/** Characters JSON.stringify escapes (and lone surrogates): without any, a string is quoted as is, much faster. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001F\uD800-\uDFFF]/

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

/** Values JSON has no text for: skipped as members of an object, `null` in an array. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}

/**
 * `JSON.stringify(value, null, indent)` without recursion, with `replace` and a budget. Differences by design:
 * a cycle is written `"[Circular]"` instead of throwing, a bigint `"123"` (as text), and the top-level
 * `undefined` is the text `undefined`.
 */
export function jsonText(value: unknown, options: JsonTextOptions = {}): JsonText {
  const indent = options.indent ?? 0
  const indentDepth = options.indentDepth ?? NESTING_LIMIT
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY
  const replace = options.replace
  const prepare = (v: unknown, key: string): unknown => {
    const json = applyToJson(v, key)
    return replace ? replace(json) : json
  }

  let out = ''
  let depth = 0
  const stack: Frame[] = []
  /** Containers being written: a value that is one of them again is a cycle. */
  const open = new Set<object>()

  const newline = (level: number): string => `\n${' '.repeat(indent * level)}`

  /** Write a scalar, or open a container (pushed on the stack). Returns false once the budget is spent. */
  const write = (v: unknown, level: number): boolean => {
    if (v === null || isSkipped(v)) {
      out += v === null || level > 0 ? 'null' : 'undefined'
    }
    else if (typeof v === 'string') {
      const room = maxChars - out.length
      if (v.length + 2 > room) {
        // Cut before escaping: escaping 64 MiB to show 160 characters would cost the whole string.
        out += quote(v.slice(0, Math.max(0, room - 1))).slice(0, -1)
        return false
      }
      out += quote(v)
    }
    else if (typeof v === 'number') {
      out += Number.isFinite(v) ? String(v) : 'null'
    }
    else if (typeof v === 'boolean') {
      out += v ? 'true' : 'false'
    }
    else if (typeof v === 'bigint') {
      out += `"${v.toString()}"`
    }
    else {
      const object = v as object
      if (open.has(object)) {
        out += '"[Circular]"'
      }
      else {
        const isArray = Array.isArray(object)
        out += isArray ? '[' : '{'
        open.add(object)
        depth = Math.max(depth, level + 1)
        stack.push({ value: object, keys: isArray ? undefined : Object.keys(object), next: 0, level: level + 1, pretty: indent > 0 && level < indentDepth, wrote: false })
      }
    }
    return out.length <= maxChars
  }

  if (!write(prepare(value, ''), 0)) return { text: out, complete: false, depth }
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const { value: container, keys } = frame
    const length = keys ? keys.length : (container as unknown[]).length
    let member: unknown
    let key: string | undefined
    // Find the next member that is written (objects skip undefined, functions, symbols).
    if (keys) {
      while (frame.next < length) {
        key = keys[frame.next++]!
        member = prepare((container as Record<string, unknown>)[key], key)
        if (!isSkipped(member)) break
        key = undefined
      }
    }
    else if (frame.next < length) {
      const index = frame.next++
      // toJSON gets the index as a string, as JSON.stringify gives it; only made when there is a toJSON to call.
      const item = (container as unknown[])[index]
      member = replace || (item !== null && typeof item === 'object') ? prepare(item, String(index)) : item
      key = ''
    }
    if (key === undefined) {
      // Done with this container: close it.
      stack.pop()
      open.delete(container)
      if (frame.pretty && frame.wrote) out += newline(frame.level - 1)
      out += keys ? '}' : ']'
      if (out.length > maxChars) return { text: out, complete: false, depth }
      continue
    }
    if (frame.wrote) out += ','
    frame.wrote = true
    if (frame.pretty) out += newline(frame.level)
    if (keys) out += frame.pretty ? `${quote(key)}: ` : `${quote(key)}:`
    if (!write(member, frame.level)) return { text: out, complete: false, depth }
  }
  return { text: out, complete: true, depth }
}

/**
 * True when `value` nests deeper than `limit` levels (`[]` is one level). Walks without recursion and stops at the
 * first path deeper than the limit, or after `maxNodes` containers (then false: not found deeper so far).
 */
export function nestsDeeperThan(value: unknown, limit: number, maxNodes = 200_000): boolean {
  if (value === null || typeof value !== 'object') return false
  const stack: [object, number][] = [[value, 1]]
  const seen = new Set<object>()
  let visited = 0
  while (stack.length > 0) {
    const [node, level] = stack.pop()!
    if (level > limit) return true
    if (seen.has(node) || ++visited > maxNodes) continue
    seen.add(node)
    if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer) continue
    for (const item of Array.isArray(node) ? node : Object.values(node)) {
      if (item !== null && typeof item === 'object') stack.push([item as object, level + 1])
    }
  }
  return false
}

/**
 * Variables in what the composer sends: `{{name}}` is replaced, once per send, by the variable's value. Pure (no Vue):
 * src/stores/sending.ts calls it right before a send and for the preview.
 *
 * - Built-in: `now` (epoch ms), `iso` (ISO 8601 time, UTC), `uuid` (crypto.randomUUID), `counter` (the session's send
 *   number: 1 for its first send, one more per send), `random` (an integer from 0 to 2^31 − 1, from
 *   crypto.getRandomValues). A send takes one value of each: every `{{uuid}}` of one send is the same uuid, every
 *   `{{now}}` the same time, so the parts of a message agree with each other.
 * - The person's own: per session and for all sessions; the session's value wins over the global one of the same
 *   name. A built-in name cannot be redefined (`isValidVariableName`).
 * - `\{{` writes a literal `{{` (the backslash goes, nothing after it is read as a variable).
 * - Names are letters, digits, `_`, `-` and `.`, not starting with a digit; spaces inside the braces are allowed
 *   (`{{ now }}`). An unknown name, or `{{` without a name and a closing `}}`, is reported (`unknown`, `malformed`)
 *   and the store refuses to send: nothing half-expanded goes out.
 * - One pass from left to right, no recursion: a value is inserted as it is, even when it contains `{{…}}`.
 *   Cost is linear in the text: each `{{` and `}}` is looked for once, and the scan stops at a `{{` no `}}` follows.
 */

export const BUILT_IN_VARIABLES = ['now', 'iso', 'uuid', 'counter', 'random'] as const
export type BuiltInVariable = typeof BUILT_IN_VARIABLES[number]

/** A person's variable, as the editors and the saved tab hold it. */
export interface UserVariable { name: string, value: string }

const NAME = /^[A-Z_][\w.-]*$/i

/** A name a person may define: the syntax above, and not a built-in one. */
export function isValidVariableName(name: string): boolean {
  return NAME.test(name) && !(BUILT_IN_VARIABLES as readonly string[]).includes(name)
}

/** What one send's variables are worth. Built-ins are computed on first use and then kept for the rest of the send. */
export interface VariableScope {
  /** This send's number (the session's counter). */
  counter: number
  /** Epoch ms for `now` and `iso`. */
  now: () => number
  uuid: () => string
  /** An integer in [0, 2^31 − 1]. */
  random: () => number
  /** Global first, then the session's: later lists win. */
  user: readonly (readonly UserVariable[])[]
}

/** Where the text was wrong: unknown names, and `{{` that start no variable (its text, shortened). */
export interface ExpansionProblems { unknown: string[], malformed: string[] }

export interface Expansion extends ExpansionProblems { text: string }

/** crypto.getRandomValues: an unsigned 32-bit value shifted to [0, 2^31 − 1]. */
export function randomInt31(): number {
  const buffer = new Uint32Array(1)
  globalThis.crypto.getRandomValues(buffer)
  return buffer[0]! >>> 1
}

export function randomUuid(): string {
  return globalThis.crypto.randomUUID()
}

/** The scope of a send made now with the session's counter and the given variables (global, then session). */
export function sendScope(counter: number, user: readonly (readonly UserVariable[])[]): VariableScope {
  return { counter, now: () => Date.now(), uuid: randomUuid, random: randomInt31, user }
}

/** A lookup that gives each name one value for the whole send (see the module comment). */
export function createResolver(scope: VariableScope): (name: string) => string | undefined {
  const values = new Map<string, string>()
  const user = new Map<string, string>()
  for (const list of scope.user) for (const v of list) user.set(v.name, v.value)
  let time: number | undefined
  const at = (): number => (time ??= scope.now())
  return (name) => {
    const known = values.get(name)
    if (known !== undefined) return known
    let value: string | undefined
    switch (name) {
      case 'now': value = String(at()); break
      case 'iso': value = new Date(at()).toISOString(); break
      case 'uuid': value = scope.uuid(); break
      case 'counter': value = String(scope.counter); break
      case 'random': value = String(scope.random()); break
      default: value = user.get(name)
    }
    if (value !== undefined) values.set(name, value)
    return value
  }
}

const SHOWN_MALFORMED = 24

/**
 * Expand one text. `resolve` is shared by every text of one send (createResolver). Problems are added to
 * `problems` (one list for the whole send, each name once).
 */
export function expandText(text: string, resolve: (name: string) => string | undefined, problems: ExpansionProblems = { unknown: [], malformed: [] }): Expansion {
  let out = ''
  let from = 0
  for (;;) {
    const open = text.indexOf('{{', from)
    if (open < 0) break
    if (open > 0 && text[open - 1] === '\\') {
      out += text.slice(from, open - 1) + '{{'
      from = open + 2
      continue
    }
    const close = text.indexOf('}}', open + 2)
    if (close < 0) {
      // No `}}` after this one: the rest is text (and the send is refused), whatever `{{` it holds.
      const shown = text.slice(open, open + SHOWN_MALFORMED)
      if (!problems.malformed.includes(shown)) problems.malformed.push(shown)
      break
    }
    const name = text.slice(open + 2, close).trim()
    const value = NAME.test(name) ? resolve(name) : undefined
    if (value === undefined) {
      const list = NAME.test(name) ? problems.unknown : problems.malformed
      const shown = NAME.test(name) ? name : text.slice(open, Math.min(close + 2, open + SHOWN_MALFORMED))
      if (!list.includes(shown)) list.push(shown)
      out += text.slice(from, close + 2)
    }
    else {
      out += text.slice(from, open) + value
    }
    from = close + 2
  }
  out += text.slice(from)
  return { text: out, unknown: problems.unknown, malformed: problems.malformed }
}

/** Whether a text uses variables or the escape at all (the preview is shown only then). */
export function hasTemplate(text: string): boolean {
  return text.includes('{{')
}

/**
 * The catalogues are complete and well-formed: Korean has every English key and no other, every message compiles
 * (vue-i18n's syntax gives `{`, `}`, `@`, `$` and `|` meanings), both languages fill in the same named values, and
 * every key the code names literally exists. The compiler checks the shapes too (../../src/i18n/catalogue.ts); this
 * test also catches placeholders and keys, which types do not see.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createParser } from '@intlify/message-compiler'
import { describe, expect, it } from 'vitest'
import en from '../../src/i18n/messages/en'
import ko from '../../src/i18n/messages/ko'

type Tree = { readonly [key: string]: string | Tree }

/** Every message of a catalogue by its dotted key (iterative: no recursion over the tree). */
function flatten(tree: Tree): Map<string, string> {
  const out = new Map<string, string>()
  const stack: Array<[string, Tree]> = [['', tree]]
  while (stack.length > 0) {
    const [prefix, node] = stack.pop()!
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key
      if (typeof value === 'string') out.set(path, value)
      else stack.push([path, value])
    }
  }
  return out
}

interface AstNode { type: number, key?: unknown, [child: string]: unknown }

/** The named values (`{origin}`) a message uses, or the compile errors it has. */
function analyse(message: string): { named: string[], errors: string[] } {
  const errors: string[] = []
  const parser = createParser({ onError: error => errors.push(error.message) })
  const ast = parser.parse(message) as unknown as AstNode
  const named = new Set<string>()
  const stack: unknown[] = [ast]
  while (stack.length > 0) {
    const node = stack.pop()
    if (Array.isArray(node)) {
      stack.push(...node)
      continue
    }
    if (typeof node !== 'object' || node === null) continue
    const n = node as AstNode
    if (n.type === 4 && typeof n.key === 'string') named.add(n.key) // NodeTypes.Named
    for (const value of Object.values(n)) if (typeof value === 'object') stack.push(value)
  }
  return { named: [...named].sort(), errors }
}

const english = flatten(en as unknown as Tree)
const korean = flatten(ko as unknown as Tree)

describe('message catalogues', () => {
  it('Korean has every English key and no other', () => {
    const missing = [...english.keys()].filter(key => !korean.has(key))
    const extra = [...korean.keys()].filter(key => !english.has(key))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  it.each([['en', english], ['ko', korean]] as const)('every %s message compiles', (_locale, messages) => {
    const broken = [...messages].flatMap(([key, message]) => analyse(message).errors.map(error => `${key}: ${error}`))
    expect(broken).toEqual([])
  })

  it('both languages fill in the same named values', () => {
    const differ: string[] = []
    for (const [key, message] of english) {
      const other = korean.get(key)
      if (other === undefined) continue
      const a = analyse(message).named.join(','), b = analyse(other).named.join(',')
      if (a !== b) differ.push(`${key}: en {${a}} ko {${b}}`)
    }
    expect(differ).toEqual([])
  })

  it('no Korean message is left in English', () => {
    // A message with Latin words only and no Hangul is a copy of the English one, unless it is a protocol word
    // kept on purpose (frame, Engine.IO, close codes): those are short, so only sentences are checked.
    const untranslated = [...korean].filter(([key, message]) =>
      !/[\u3131-\uD79D]/.test(message) && /[a-z]{3,}(?: [a-z]{3,}){3,}/i.test(message) && message === english.get(key))
      .map(([key]) => key)
    expect(untranslated).toEqual([])
  })
})

describe('keys named in the code', () => {
  const root = fileURLToPath(new URL('../../src', import.meta.url))
  const files: string[] = []
  const dirs = [root]
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        if (!path.endsWith(join('src', 'i18n', 'messages'))) dirs.push(path)
      }
      else if (/\.(?:ts|vue)$/.test(name)) files.push(path)
    }
  }
  const areas = new Set(Object.keys(en))
  // t('area.key'), $t("area.key"), message('area.key'), i18n-t keypath="area.key", key: 'area.key'
  const literal = /(?:\$?\bt\(|\bmessage\(|\btc\(|\bte\(|keypath=|\bkey:)\s*['"]([A-Za-z][\w-]*(?:\.[\w-]+)+)['"]/g

  it('exist in the English catalogue', () => {
    const unknown: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(literal)) {
        const key = match[1]
        if (!areas.has(key.split('.')[0])) continue // not a catalogue key (an object path, a file name)
        if (!english.has(key)) unknown.push(`${relative(root, file)}: ${key}`)
      }
    }
    expect(unknown).toEqual([])
  })
})

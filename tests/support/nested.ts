/** Values nested as deep as a hostile server makes them, built without recursion (as a server would: `v = [v]`). */

/** `[[[…]]]` nested `levels` deep. */
export function nestedArray(levels: number): unknown[] {
  let v: unknown[] = []
  for (let i = 1; i < levels; i++) v = [v]
  return v
}

/** `{"a":{"a":…}}` nested `levels` deep. */
export function nestedObject(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = {}
  for (let i = 1; i < levels; i++) v = { a: v }
  return v
}

/**
 * How many of a timeline row's columns a list shows, by the width its rows have: the payload is what a row is read
 * for, so a narrow row gives it the layer column's room (the kind says most of it, and the detail shows it), and a
 * tight one the delta's too. The classes are styled in styles.css (`.narrow`, `.tight` around `.timeline-row`).
 */

/** Below this row width (px) the layer column is dropped. */
export const NARROW_ROW_PX = 720
/** Below this one the delta column is dropped too. */
export const TIGHT_ROW_PX = 520

export type RowColumns = 'narrow' | 'tight' | undefined

/** The class for rows `width` px wide; none for an unmeasured list (0) or a wide one. */
export function rowColumns(width: number): RowColumns {
  if (width <= 0 || width >= NARROW_ROW_PX) return undefined
  return width < TIGHT_ROW_PX ? 'tight' : 'narrow'
}

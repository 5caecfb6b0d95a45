import { describe, expect, it } from 'vitest'
import { NARROW_ROW_PX, rowColumns, TIGHT_ROW_PX } from '../../src/components/timeline/rowColumns'

describe('a row\'s columns by its width', () => {
  it('keeps every column in a wide or unmeasured list, drops the layer when narrow and the delta too when tight', () => {
    expect(rowColumns(0)).toBeUndefined()
    expect(rowColumns(1280)).toBeUndefined()
    expect(rowColumns(NARROW_ROW_PX)).toBeUndefined()
    expect(rowColumns(NARROW_ROW_PX - 1)).toBe('narrow')
    expect(rowColumns(TIGHT_ROW_PX)).toBe('narrow')
    expect(rowColumns(TIGHT_ROW_PX - 1)).toBe('tight')
    expect(rowColumns(1)).toBe('tight')
  })
})

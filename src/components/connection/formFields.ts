/**
 * Reading the options forms' fields into settings changes. A number field that is emptied gives NaN (the driver
 * factory then keeps the default); one that holds no number yet (`1e` while typing) gives nothing, so the field is
 * not rewritten under the person's fingers.
 */
export function numberOf(event: Event): number | undefined {
  const input = event.target as HTMLInputElement
  if (input.value === '') return input.validity.badInput ? undefined : Number.NaN
  const value = input.valueAsNumber
  return Number.isFinite(value) ? value : undefined
}

/** What a number field shows for a setting: nothing for NaN (emptied). */
export function shown(value: number): number | '' {
  return Number.isFinite(value) ? value : ''
}

export function checkedOf(event: Event): boolean {
  return (event.target as HTMLInputElement).checked
}

export function textOf(event: Event): string {
  return (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value
}

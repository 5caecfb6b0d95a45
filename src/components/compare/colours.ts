/**
 * One colour per compared session, by its place in the comparison: distinct hues that read on both themes
 * (`light-dark`). Colour is never the only sign: every row also names its session in text.
 */
const PALETTE = [
  'light-dark(#2563eb, #60a5fa)',
  'light-dark(#c2410c, #fb923c)',
  'light-dark(#15803d, #4ade80)',
  'light-dark(#9333ea, #c084fc)',
  'light-dark(#be123c, #fb7185)',
  'light-dark(#0e7490, #22d3ee)',
  'light-dark(#a16207, #facc15)',
  'light-dark(#4d7c0f, #a3e635)',
] as const

export function sessionColour(position: number): string {
  return PALETTE[position % PALETTE.length]!
}

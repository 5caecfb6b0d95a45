/** English: library. The shape every other language must match (see ../ko/library.ts). */
export default {
} as const

/** English: timeline. The shape every other language must match (see ../ko/timeline.ts). */
export default {
} as const

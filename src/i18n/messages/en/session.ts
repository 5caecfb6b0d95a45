/** English: session. The shape every other language must match (see ../ko/session.ts). */
export default {
} as const

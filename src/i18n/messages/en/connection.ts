/** English: connection. The shape every other language must match (see ../ko/connection.ts). */
export default {
} as const

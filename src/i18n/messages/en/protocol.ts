/** English: protocol. The shape every other language must match (see ../ko/protocol.ts). */
export default {
} as const

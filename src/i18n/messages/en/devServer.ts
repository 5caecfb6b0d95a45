/** English: devServer. The shape every other language must match (see ../ko/devServer.ts). */
export default {
} as const

/** English: common. The shape every other language must match (see ../ko/common.ts). */
export default {
} as const

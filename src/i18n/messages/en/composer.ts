/** English: composer. The shape every other language must match (see ../ko/composer.ts). */
export default {
} as const

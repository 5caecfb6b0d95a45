/** English: diagnoses. The shape every other language must match (see ../ko/diagnoses.ts). */
export default {
} as const

/**
 * English: artillery. The shape every other language must match (see ../ko/artillery.ts).
 */
export default {
}

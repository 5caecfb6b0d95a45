/**
 * English: fanout. The shape every other language must match (see ../ko/fanout.ts).
 */
export default {
}

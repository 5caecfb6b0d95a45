/**
 * English: compare. The shape every other language must match (see ../ko/compare.ts).
 *
 * Side by side: several sessions on one time axis (src/components/compare/).
 */
export default {
}

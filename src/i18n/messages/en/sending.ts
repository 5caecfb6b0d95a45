/**
 * English: sending. The shape every other language must match (see ../ko/sending.ts).
 *
 * Variables, repeat and history of sent messages (src/components/sending/, src/composer/).
 */
export default {
}

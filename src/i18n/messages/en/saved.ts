/**
 * English: saved. The shape every other language must match (see ../ko/saved.ts).
 *
 * Saved timelines and Replay (src/components/saved/, src/stores/savedTimelines.ts, src/stores/replay.ts).
 */
export default {
}

/** English: socketio. The shape every other language must match (see ../ko/socketio.ts). */
export default {
} as const

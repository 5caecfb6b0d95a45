import type en from '../en/socketio'
import type { Translation } from '../../catalogue'

/** 한국어: socketio. */
export default {
} satisfies Translation<typeof en>

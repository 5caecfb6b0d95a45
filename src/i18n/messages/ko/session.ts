import type en from '../en/session'
import type { Translation } from '../../catalogue'

/** 한국어: session. */
export default {
} satisfies Translation<typeof en>

import type en from '../en/saved'
import type { Translation } from '../../catalogue'

/** 한국어: saved. */
export default {
} satisfies Translation<typeof en>

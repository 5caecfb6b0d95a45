import type en from '../en/timeline'
import type { Translation } from '../../catalogue'

/** 한국어: timeline. */
export default {
} satisfies Translation<typeof en>

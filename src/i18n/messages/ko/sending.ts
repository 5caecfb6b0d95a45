import type en from '../en/sending'
import type { Translation } from '../../catalogue'

/** 한국어: sending. */
export default {
} satisfies Translation<typeof en>

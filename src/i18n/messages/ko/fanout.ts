import type en from '../en/fanout'
import type { Translation } from '../../catalogue'

/** 한국어: fanout. */
export default {
} satisfies Translation<typeof en>

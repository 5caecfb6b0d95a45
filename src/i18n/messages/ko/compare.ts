import type en from '../en/compare'
import type { Translation } from '../../catalogue'

/** 한국어: compare. */
export default {
} satisfies Translation<typeof en>

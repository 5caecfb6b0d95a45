import type en from '../en/library'
import type { Translation } from '../../catalogue'

/** 한국어: library. */
export default {
} satisfies Translation<typeof en>

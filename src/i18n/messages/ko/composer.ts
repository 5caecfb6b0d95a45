import type en from '../en/composer'
import type { Translation } from '../../catalogue'

/** 한국어: composer. */
export default {
} satisfies Translation<typeof en>

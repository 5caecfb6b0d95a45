import type en from '../en/common'
import type { Translation } from '../../catalogue'

/** 한국어: common. */
export default {
} satisfies Translation<typeof en>

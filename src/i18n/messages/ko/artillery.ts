import type en from '../en/artillery'
import type { Translation } from '../../catalogue'

/** 한국어: artillery. */
export default {
} satisfies Translation<typeof en>

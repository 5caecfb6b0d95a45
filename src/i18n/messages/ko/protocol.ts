import type en from '../en/protocol'
import type { Translation } from '../../catalogue'

/** 한국어: protocol. */
export default {
} satisfies Translation<typeof en>

import type en from '../en/connection'
import type { Translation } from '../../catalogue'

/** 한국어: connection. */
export default {
} satisfies Translation<typeof en>

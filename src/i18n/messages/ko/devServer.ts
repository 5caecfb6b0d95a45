import type en from '../en/devServer'
import type { Translation } from '../../catalogue'

/** 한국어: devServer. */
export default {
} satisfies Translation<typeof en>

import type en from '../en/diagnoses'
import type { Translation } from '../../catalogue'

/** 한국어: diagnoses. */
export default {
} satisfies Translation<typeof en>

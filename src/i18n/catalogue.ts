/**
 * The shape of a translation: the same keys as the English catalogue, every message a string. A catalogue written
 * as `{ … } satisfies Translation<typeof en>` fails to compile when it misses a key or has one English lacks.
 */
export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> }

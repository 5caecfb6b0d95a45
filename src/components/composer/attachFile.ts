import type { MessageRef } from '@/protocol/message'
import { message } from '@/protocol/message'
import { i18n } from '@/i18n'
import { fileTooBig, MAX_BINARY_BYTES } from '@/stores/composerPayload'
import { AttachedFile } from '@/stores/session'

/** A size in words: "1,234 bytes", the number written the way of the language in use. */
export function bytesWords(size: number): MessageRef {
  return message('composer.binary.bytes', { n: new Intl.NumberFormat(i18n.global.locale.value).format(size), count: size })
}

/**
 * A file picked or dropped, read into memory for sending as binary. Refused before reading when it is over
 * MAX_BINARY_BYTES (64 MiB), so a huge file never fills the tab.
 */
export async function attachFile(file: File): Promise<{ ok: true, file: AttachedFile } | { ok: false, error: MessageRef }> {
  if (fileTooBig(file.size))
    return { ok: false, error: message('composer.binary.tooBig', { name: file.name, size: bytesWords(file.size), max: bytesWords(MAX_BINARY_BYTES) }) }
  try {
    return { ok: true, file: new AttachedFile(file.name, new Uint8Array(await file.arrayBuffer())) }
  }
  catch (error) {
    return { ok: false, error: message('composer.binary.readFailed', { name: file.name, detail: (error as Error).message }) }
  }
}

/** The first file of a drag (a drop event's or a file input's list), if it carries one. */
export function firstFile(list: FileList | null | undefined): File | undefined {
  return list && list.length > 0 ? list[0] ?? undefined : undefined
}

/** True when a drag carries files (not text or a link), so the composer may take it. */
export function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files')
}

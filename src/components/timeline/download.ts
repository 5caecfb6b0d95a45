/** Hand text to the browser as a file download; the chunks go into a Blob so no giant string is built. */
export function downloadText(chunks: BlobPart[], fileName: string, type = 'application/x-ndjson'): void {
  const url = URL.createObjectURL(new Blob(chunks, { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** `name-2024-05-01T12-00-00.ndjson`, safe on every file system. */
export function exportFileName(sessionName: string | undefined, suffix = ''): string {
  const base = (sessionName || 'timeline').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'timeline'
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-')
  return `${base}${suffix}-${stamp}.ndjson`
}

/**
 * Where the timeline keeps the payloads of its compact frames: UTF-8 text and binary bytes laid end to end in
 * 1 MiB chunks outside the JavaScript heap.
 *
 * Why: a million retained frames held as a million objects and a million strings are a million things for V8's
 * garbage collector to mark, move and remember on every collection, and on a slow two-core machine those
 * collections were the long tasks left during floods, soaks and scrolls (docs/performance.md). Bytes in a few
 * large `Uint8Array`s are nothing for it to walk.
 *
 * A payload never spans two chunks. Frames leave the timeline oldest first, so chunks are freed from the front:
 * each chunk counts the payloads it still holds, and the oldest chunks with none left (and not being written) go.
 * A position is `chunk number × CHUNK_BYTES + offset`, a safe integer for any session length.
 *
 * The last chunk freed is kept as the next one to write, so a stream past the cap (a chunk freed at the front for
 * each one filled at the back) stops allocating: a new `Uint8Array`'s memory is faulted in page by page as it is
 * first written, which on the two-core machine this is measured on costs ~4 ms per MiB (bench/freshBuffers.ts),
 * against ~40 µs to fill a chunk already touched.
 */

export const CHUNK_BYTES = 1 << 20
/**
 * Longest text (UTF-16 code units) or binary (bytes) kept here; longer payloads stay objects. A third of a chunk,
 * since a code unit takes up to 3 bytes in UTF-8, so a payload this long always fits an empty chunk.
 */
export const MAX_ARENA_UNITS = Math.floor(CHUNK_BYTES / 3)
/** Most bytes `readAscii` turns into a string in one call (its arguments go on the stack). */
export const MAX_ASCII_READ = 8192

const encoder = new TextEncoder()
// ignoreBOM: a text that starts with U+FEFF comes back with it (the default decoder drops a leading BOM).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

type MaybeWellFormed = { isWellFormed?: () => boolean }

/**
 * Whether `text` survives UTF-8 and back unchanged: no lone surrogate (a frame the browser received never has one;
 * a typed or imported text may). Without `isWellFormed` (engines before 2023) nothing is taken as safe.
 */
export function roundTripsUtf8(text: string): boolean {
  const check = (text as MaybeWellFormed).isWellFormed
  return check !== undefined && check.call(text)
}

/**
 * Copy `text` into `bytes` at `at` when it is all ASCII (a byte a code unit): true when it was. A plain loop, since a
 * `TextEncoder.encodeInto` call costs more in Chromium than copying a short frame; `bytes` has room for `text`.
 */
export function copyAscii(text: string, bytes: Uint8Array, at: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit > 0x7F) return false
    bytes[at + i] = unit
  }
  return true
}

/**
 * A text filter's needle as the arena searches it (`PayloadArena.includes`): UTF-8 bytes, or with `foldCase` the
 * lowercased needle, whose bytes are compared with the payload's ASCII letters folded to lower case.
 */
export interface ByteNeedle {
  readonly bytes: Uint8Array
  /** Compare case-insensitively: `bytes` are the lowercased needle; only exact on ASCII payloads. */
  readonly foldCase: boolean
  /** The (lowercased) needle is all ASCII. */
  readonly ascii: boolean
}

/**
 * `text` as a needle to search payload bytes for (lowercased first with `foldCase`), or undefined when its bytes
 * would not stand for it: a case-sensitive needle with a lone surrogate (its UTF-8 would be U+FFFD's).
 */
export function byteNeedle(text: string, foldCase: boolean): ByteNeedle | undefined {
  const wanted = foldCase ? text.toLowerCase() : text
  let ascii = true
  for (let i = 0; i < wanted.length && ascii; i++) ascii = wanted.charCodeAt(i) <= 0x7F
  if (!ascii && !foldCase && !roundTripsUtf8(wanted)) return undefined
  return { bytes: encoder.encode(wanted), foldCase, ascii }
}

/**
 * Whether `bytes[start, end)` contains `needle` (with `foldCase`, bytes A–Z are compared as a–z: `needle` must then
 * be lowercase). A scan for the first byte, then a compare: needles are short and payloads a few dozen bytes.
 */
export function includesBytes(bytes: Uint8Array, start: number, end: number, needle: Uint8Array, foldCase: boolean): boolean {
  const n = needle.length
  if (n === 0) return true
  const first = needle[0]!
  const last = end - n
  if (foldCase) {
    for (let i = start; i <= last; i++) {
      let b = bytes[i]!
      if (b >= 0x41 && b <= 0x5A) b |= 0x20
      if (b !== first) continue
      let j = 1
      for (; j < n; j++) {
        let c = bytes[i + j]!
        if (c >= 0x41 && c <= 0x5A) c |= 0x20
        if (c !== needle[j]) break
      }
      if (j === n) return true
    }
    return false
  }
  for (let i = start; i <= last; i++) {
    if (bytes[i] !== first) continue
    let j = 1
    while (j < n && bytes[i + j] === needle[j]) j++
    if (j === n) return true
  }
  return false
}

export class PayloadArena {
  /** Chunks not yet freed; `chunks[0]` is chunk number `base`. */
  private chunks: Uint8Array[] = []
  /** Payloads each chunk still holds (same indexes as `chunks`). */
  private live: number[] = []
  private base = 0
  /** Next free byte in the last chunk. */
  private offset = CHUNK_BYTES
  /** A freed chunk kept for the next one (its old bytes are never read: no position points there any more). */
  private spare: Uint8Array | undefined
  /** Bytes `writeLater` has yet to copy: `source[from, to)` to `chunk` at `at`. */
  private run: { source: Uint8Array, from: number, to: number, chunk: Uint8Array, at: number } | undefined
  /** Bytes the last write took (read right after `writeText` / `writeBytes`). */
  written = 0
  /** The last `writeText` was all ASCII. */
  ascii = false

  /** Bytes held in chunks (allocated, whether used or not; the spare included). */
  get allocated(): number {
    return (this.chunks.length + (this.spare ? 1 : 0)) * CHUNK_BYTES
  }

  /**
   * Store `text` (at most MAX_ARENA_UNITS code units, well-formed): its position; `written` is its UTF-8 length and
   * `ascii` says whether it was all ASCII (then bytes and code units are one to one). ASCII is copied by a plain
   * loop: a `TextEncoder.encodeInto` call costs microseconds in Chromium, more than the copy of a short frame.
   */
  writeText(text: string): number {
    const units = text.length
    this.ascii = false
    if (units === 0) return this.none()
    if (CHUNK_BYTES - this.offset < units) this.nextChunk()
    const chunk = this.last()
    const at = this.offset
    if (copyAscii(text, chunk, at)) {
      this.ascii = true
      return this.took(units)
    }
    let result = encoder.encodeInto(text, chunk.subarray(at))
    if (result.read < units) {
      this.nextChunk()
      result = encoder.encodeInto(text, this.last())
    }
    return this.took(result.written)
  }

  /** Store a copy of `bytes` (at most MAX_ARENA_UNITS): its position. */
  writeBytes(bytes: Uint8Array): number {
    const length = bytes.byteLength
    if (length === 0) return this.none()
    if (CHUNK_BYTES - this.offset < length) this.nextChunk()
    this.last().set(bytes, this.offset)
    return this.took(length)
  }

  /**
   * Store the `length` bytes of `source` at `from`, as `writeBytes(source.subarray(from, from + length))` would, but
   * copy them later (`flush`), in one `set` with the writes before it when both lie end to end in `source` and in the
   * chunk. A driver Worker's pack holds its frames' bytes end to end: a view and a copy per frame cost more than the
   * bytes (Timeline.appendPack, issue 12). Reads flush first.
   */
  writeLater(source: Uint8Array, from: number, length: number): number {
    if (length === 0) return this.none()
    if (CHUNK_BYTES - this.offset < length) this.nextChunk()
    const chunk = this.last()
    const run = this.run
    if (run !== undefined && run.source === source && run.to === from && run.chunk === chunk && run.at + (run.to - run.from) === this.offset) run.to += length
    else {
      this.flush()
      this.run = { source, from, to: from + length, chunk, at: this.offset }
    }
    return this.took(length)
  }

  /** Copy what `writeLater` left to copy. */
  flush(): void {
    const run = this.run
    if (run === undefined) return
    this.run = undefined
    run.chunk.set(run.source.subarray(run.from, run.to), run.at)
  }

  /** The UTF-8 text of `length` bytes at `position` (several payloads at once when they lie end to end in a chunk). */
  readText(position: number, length: number): string {
    if (position < 0) return ''
    return decoder.decode(this.view(position, length))
  }

  /**
   * ASCII bytes at `position` as a string made by V8 itself (`String.fromCharCode`), at most MAX_ASCII_READ bytes.
   * Not `TextDecoder`: in Chromium its strings are external strings, each with a handle the garbage collector must
   * process when it dies, and a million of them made full collections of 280–735 ms (measured reading 1,000,000
   * frames, then forcing a GC); V8's own strings cost nothing of the kind.
   */
  readAscii(position: number, length: number): string {
    if (position < 0) return ''
    return String.fromCharCode.apply(null, this.view(position, length) as unknown as number[])
  }

  /** The text of `length` bytes at `position`: by `readAscii` when they are `ascii` and few enough, else `readText`. */
  readString(position: number, length: number, ascii: boolean): string {
    return ascii && length <= MAX_ASCII_READ ? this.readAscii(position, length) : this.readText(position, length)
  }

  /** A new `ArrayBuffer` with the bytes (callers may keep or transfer it). */
  readBytes(position: number, length: number): ArrayBuffer {
    if (position < 0) return new ArrayBuffer(0)
    return this.view(position, length).slice().buffer
  }

  /**
   * Whether the `length` bytes at `position` contain `needle`, searched in place (no string made). What the answer
   * means for the payload's text is the caller's to know (Timeline.matchCompactText).
   */
  includes(position: number, length: number, needle: ByteNeedle): boolean {
    if (position < 0) return needle.bytes.length === 0
    this.flush()
    const chunk = Math.floor(position / CHUNK_BYTES)
    const start = position - chunk * CHUNK_BYTES
    return includesBytes(this.chunks[chunk - this.base]!, start, start + length, needle.bytes, needle.foldCase)
  }

  /** The payload at `position` has left the timeline: free the oldest chunks that hold nothing any more. */
  release(position: number): void {
    if (position < 0) return
    const index = Math.floor(position / CHUNK_BYTES) - this.base
    if (index < 0 || index >= this.live.length) return
    this.live[index]!--
    // The chunk being written stays, even when empty: the next payload goes there.
    while (this.live.length > 1 && this.live[0] === 0) {
      this.spare = this.chunks.shift()
      this.live.shift()
      this.base++
    }
  }

  /** Whether the payloads at these two positions are in the same chunk. */
  sameChunk(a: number, b: number): boolean {
    return Math.floor(a / CHUNK_BYTES) === Math.floor(b / CHUNK_BYTES)
  }

  /** Forget everything (the timeline was cleared), and give the memory back. */
  clear(): void {
    this.run = undefined
    this.base += this.chunks.length
    this.chunks = []
    this.spare = undefined
    this.live = []
    this.offset = CHUNK_BYTES
  }

  private view(position: number, length: number): Uint8Array {
    this.flush()
    const chunk = Math.floor(position / CHUNK_BYTES)
    const start = position - chunk * CHUNK_BYTES
    return this.chunks[chunk - this.base]!.subarray(start, start + length)
  }

  private last(): Uint8Array {
    if (this.chunks.length === 0) this.nextChunk()
    return this.chunks[this.chunks.length - 1]!
  }

  private nextChunk(): void {
    // The chunk a run is left to be copied to may be freed, and reused, once it is no longer the last.
    this.flush()
    // A chunk nothing was written to is reused rather than followed by another.
    if (this.chunks.length > 0 && this.live[this.live.length - 1] === 0 && this.offset === 0) return
    this.chunks.push(this.spare ?? new Uint8Array(CHUNK_BYTES))
    this.spare = undefined
    this.live.push(0)
    this.offset = 0
  }

  /** An empty payload takes no bytes: position -1, which every read and release knows. */
  private none(): number {
    this.written = 0
    return -1
  }

  private took(length: number): number {
    const index = this.chunks.length - 1
    const position = (this.base + index) * CHUNK_BYTES + this.offset
    this.offset += length
    this.live[index]!++
    this.written = length
    return position
  }
}

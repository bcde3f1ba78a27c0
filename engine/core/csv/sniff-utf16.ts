import type { CsvEncoding } from './decode-bytes.ts'

/** Bytes looked at: enough for a header line and a few rows. */
const SNIFF = 4096

/**
 * Recognises UTF-16 saved without a byte order mark (some exports and
 * PowerShell's `Out-File` write it). Each ASCII character there is a zero
 * byte and its code, so most odd bytes (little-endian) or even bytes
 * (big-endian) are zero, and the other half hardly ever is. CSV text in UTF-8
 * or a single-byte encoding has no zero bytes at all.
 *
 * TODO(#4): UTF-16 text made mostly of characters above U+00FF (Chinese,
 * Japanese) has few zero bytes and is not recognised; it then fails as invalid
 * UTF-8 or reads as Windows-1252.
 */
export function utf16WithoutBom(head: Uint8Array): Extract<CsvEncoding, 'utf-16le' | 'utf-16be'> | undefined {
  const length = Math.min(head.length, SNIFF) & ~1
  if (length < 4) return undefined
  let even = 0
  let odd = 0
  for (let index = 0; index < length; index += 2) {
    if (head[index] === 0) even++
    if (head[index + 1] === 0) odd++
  }
  const pairs = length / 2
  if (odd >= pairs * 0.3 && even <= odd / 20) return 'utf-16le'
  if (even >= pairs * 0.3 && odd <= even / 20) return 'utf-16be'

  return undefined
}

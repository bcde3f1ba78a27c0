/**
 * Checks UTF-8 across chunk borders and counts lines, so an invalid byte can
 * be reported by its line number. Overlong forms and surrogates are invalid.
 *
 * TODO(#4): only \n counts as a line break here, so in a file whose rows end
 * in a lone \r every invalid byte is reported on line 1.
 */
export class Utf8Scanner {
  /** 1-based line of the first invalid byte, once one was found. */
  invalidLine: number | undefined
  /** True once a valid multi-byte sequence was seen. */
  multiByte = false
  line = 1
  #needed = 0
  #lower = 0x80
  #upper = 0xbf

  push(bytes: Uint8Array): void {
    if (this.invalidLine !== undefined) return
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index]
      if (this.#needed === 0) {
        if (byte < 0x80) {
          if (byte === 0x0a) this.line++
          continue
        }
        if (!this.#start(byte)) return this.#fail()
        continue
      }
      if (byte < this.#lower || byte > this.#upper) return this.#fail()
      this.#lower = 0x80
      this.#upper = 0xbf
      this.#needed--
      if (this.#needed === 0) this.multiByte = true
    }
  }

  /** Marks a sequence cut off by the end of the file as invalid. */
  end(): void {
    if (this.#needed > 0 && this.invalidLine === undefined) this.#fail()
  }

  #start(byte: number): boolean {
    if (byte >= 0xc2 && byte <= 0xdf) this.#needed = 1
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.#needed = 2
      if (byte === 0xe0) this.#lower = 0xa0
      if (byte === 0xed) this.#upper = 0x9f
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.#needed = 3
      if (byte === 0xf0) this.#lower = 0x90
      if (byte === 0xf4) this.#upper = 0x8f
    } else return false

    return true
  }

  #fail(): void {
    this.invalidLine = this.line
    this.#needed = 0
  }
}

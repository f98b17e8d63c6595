// Minimal protobuf encoder (varints, length-delimited fields): enough to write ONNX models.

/** Accumulates one protobuf message. */
export class Pb {
  private readonly parts: Uint8Array[] = []
  private size = 0

  private push(b: Uint8Array): void {
    this.parts.push(b)
    this.size += b.length
  }

  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v))
    const out: number[] = []
    do {
      let byte = Number(x & 0x7fn)
      x >>= 7n
      if (x) byte |= 0x80
      out.push(byte)
    } while (x)
    this.push(Uint8Array.from(out))
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire)
  }

  /** int32/int64/enum/bool field (varint). */
  int(field: number, v: number | bigint): this {
    this.tag(field, 0)
    this.varint(v)
    return this
  }

  /** float field (fixed32). */
  float(field: number, v: number): this {
    this.tag(field, 5)
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, v, true)
    this.push(b)
    return this
  }

  /** bytes field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2)
    this.varint(b.length)
    this.push(b)
    return this
  }

  /** string field (UTF-8). */
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s))
  }

  /** embedded message field. */
  msg(field: number, m: Pb): this {
    return this.bytes(field, m.finish())
  }

  /** The encoded message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let o = 0
    for (const p of this.parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }
}

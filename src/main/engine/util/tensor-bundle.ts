// One-file container for named float32 arrays plus JSON metadata (model weights, checkpoints).
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from './atomic-write'

const MAGIC = 'PBASBNDL'

/** A named array with its shape. */
export interface NamedArray {
  shape: number[]
  data: Float32Array
}

/** Encodes metadata and arrays: magic, uint32 header length, JSON header, 4-byte aligned float32 data. */
export function encodeBundle(meta: unknown, arrays: Record<string, NamedArray>): Buffer {
  const index: Record<string, { shape: number[]; offset: number; length: number }> = {}
  let offset = 0
  for (const [name, a] of Object.entries(arrays)) {
    if (a.data.length !== a.shape.reduce((x, y) => x * y, 1)) throw new Error(`array ${name}: ${a.data.length} values for shape [${a.shape}]`)
    index[name] = { shape: a.shape, offset, length: a.data.length }
    offset += a.data.length
  }
  let header = Buffer.from(JSON.stringify({ meta, arrays: index }), 'utf8')
  const pad = (4 - ((8 + 4 + header.length) % 4)) % 4
  header = Buffer.concat([header, Buffer.alloc(pad, 0x20)])
  const out = Buffer.alloc(8 + 4 + header.length + offset * 4)
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(header.length, 8)
  header.copy(out, 12)
  const body = new Float32Array(out.buffer, out.byteOffset + 12 + header.length, offset)
  for (const [name, a] of Object.entries(arrays)) body.set(a.data, index[name].offset)
  return out
}

/** Decodes a bundle; throws a clear error for foreign or truncated files. */
export function decodeBundle<M = unknown>(buf: Buffer, file: string): { meta: M; arrays: Record<string, NamedArray> } {
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file} is not a PBAS Inspect weights file`)
  const len = buf.readUInt32LE(8)
  if (12 + len > buf.length) throw new Error(`${file} is truncated (header)`)
  const { meta, arrays: index } = JSON.parse(buf.toString('utf8', 12, 12 + len)) as { meta: M; arrays: Record<string, { shape: number[]; offset: number; length: number }> }
  const start = 12 + len
  const arrays: Record<string, NamedArray> = {}
  for (const [name, e] of Object.entries(index)) {
    const from = start + e.offset * 4
    if (from + e.length * 4 > buf.length) throw new Error(`${file} is truncated (array ${name}); the file is damaged`)
    const copy = new Uint8Array(e.length * 4)
    copy.set(buf.subarray(from, from + e.length * 4))
    arrays[name] = { shape: e.shape, data: new Float32Array(copy.buffer) }
  }
  return { meta, arrays }
}

/** Writes a bundle atomically. */
export function writeBundle(path: string, meta: unknown, arrays: Record<string, NamedArray>): Promise<void> {
  return writeFileAtomic(path, encodeBundle(meta, arrays))
}

/** Reads a bundle from disk. */
export async function readBundle<M = unknown>(path: string): Promise<{ meta: M; arrays: Record<string, NamedArray> }> {
  return decodeBundle<M>(await readFile(path), path)
}

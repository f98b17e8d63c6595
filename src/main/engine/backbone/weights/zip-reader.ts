// Minimal ZIP reader (stored and deflated entries, ZIP64) for PyTorch's zip checkpoint format.
import { inflateRawSync } from 'node:zlib'

/** One file inside a zip archive. */
export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  localHeaderOffset: number
}

const EOCD = 0x06054b50
const EOCD64_LOCATOR = 0x07064b50
const EOCD64 = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** True when the buffer starts like a zip archive. */
export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04
}

function u64(view: DataView, at: number): number {
  return Number(view.getBigUint64(at, true))
}

/** Lists the entries of a zip archive held in memory; throws on a damaged archive. */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a complete zip archive (no end-of-directory record; the file may be truncated)')
  let count = view.getUint16(eocd + 10, true)
  let dirOffset = view.getUint32(eocd + 16, true)
  const loc = eocd - 20
  if (loc >= 0 && view.getUint32(loc, true) === EOCD64_LOCATOR) {
    const at = u64(view, loc + 8)
    if (view.getUint32(at, true) !== EOCD64) throw new Error('damaged ZIP64 end-of-directory record')
    count = u64(view, at + 32)
    dirOffset = u64(view, at + 48)
  }
  const entries = new Map<string, ZipEntry>()
  let p = dirOffset
  for (let n = 0; n < count; n++) {
    if (view.getUint32(p, true) !== CENTRAL) throw new Error('damaged zip central directory')
    const method = view.getUint16(p + 10, true)
    let compressedSize = view.getUint32(p + 20, true)
    let size = view.getUint32(p + 24, true)
    const nameLen = view.getUint16(p + 28, true)
    const extraLen = view.getUint16(p + 30, true)
    const commentLen = view.getUint16(p + 32, true)
    let localHeaderOffset = view.getUint32(p + 42, true)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    // ZIP64 extra field: present values replace the 0xFFFFFFFF placeholders in this order.
    let e = p + 46 + nameLen
    const end = e + extraLen
    while (e + 4 <= end) {
      const id = view.getUint16(e, true)
      const len = view.getUint16(e + 2, true)
      if (id === 0x0001) {
        let q = e + 4
        if (size === 0xffffffff) (size = u64(view, q)), (q += 8)
        if (compressedSize === 0xffffffff) (compressedSize = u64(view, q)), (q += 8)
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(view, q)
      }
      e += 4 + len
    }
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset })
    p = end + commentLen
  }
  return entries
}

/** Returns an entry's bytes (a view into `buf` for stored entries). */
export function readZipEntry(buf: Buffer, entry: ZipEntry): Buffer {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const p = entry.localHeaderOffset
  if (view.getUint32(p, true) !== LOCAL) throw new Error(`damaged zip entry ${entry.name}`)
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true)
  const raw = buf.subarray(start, start + entry.compressedSize)
  if (raw.length !== entry.compressedSize) throw new Error(`zip entry ${entry.name} is truncated`)
  if (entry.method === 0) return raw
  if (entry.method === 8) return inflateRawSync(raw)
  throw new Error(`zip entry ${entry.name} uses unsupported compression method ${entry.method}`)
}

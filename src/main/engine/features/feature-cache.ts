// Caches frozen E_phi features per image so training extracts them once, not once per epoch.
import { FEATURE_FILE_HEADER_BYTES } from '../../../shared/pbas/feature-file'
import { createHash } from 'node:crypto'
import { closeSync, openSync, readv, statSync } from 'node:fs'
import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { writeFileAtomic } from '../util/atomic-write'

/** Stores [patches, D] float32 feature blocks by key. */
export interface FeatureCache {
  get(key: string): Promise<Float32Array | undefined>
  set(key: string, features: Float32Array): Promise<void>
  /** true when an entry is stored (for a disk cache: a complete file; its checksum is verified on read) */
  has?(key: string): Promise<boolean>
  /** bytes currently held (memory cache) or written in this session (disk cache) */
  readonly bytes: number
}

/** Keeps features in process memory (fast; ~6 MB per 256 px image at D=1536, so memory grows with the data set). */
export class MemoryFeatureCache implements FeatureCache {
  private readonly map = new Map<string, Float32Array>()
  bytes = 0
  async get(key: string) {
    return this.map.get(key)
  }
  async set(key: string, f: Float32Array) {
    this.bytes += f.byteLength - (this.map.get(key)?.byteLength ?? 0)
    this.map.set(key, f)
  }
}

const MAGIC = 0x31464250 // 'PBF1' little-endian
const HEADER_BYTES = FEATURE_FILE_HEADER_BYTES
const EXT = '.pbasf'

/** What reading one entry found. */
export type ReadStatus = 'ok' | 'missing' | 'corrupt'

function readvAsync(fd: number, buffers: NodeJS.ArrayBufferView[], position: number): Promise<number> {
  return new Promise((resolve, reject) => readv(fd, buffers, position, (err, n) => (err ? reject(err) : resolve(n))))
}

/**
 * Keeps features on disk, one file per image: a 16-byte header (magic, value count, CRC-32 of the values)
 * and the raw float32 values. Training streams them per batch, so memory is set by the batch, not by the
 * data set. A file whose checksum or size does not match is reported corrupt and deleted, so it is rebuilt.
 */
export class DiskFeatureCache implements FeatureCache {
  bytes = 0
  /** files found corrupt (and removed) by this instance */
  readonly corrupt: string[] = []

  constructor(readonly dir: string) {}

  file(key: string): string {
    return join(this.dir, key + EXT)
  }

  async has(key: string): Promise<boolean> {
    try {
      const s = await stat(this.file(key))
      return s.size > HEADER_BYTES && (s.size - HEADER_BYTES) % 4 === 0
    } catch {
      return false
    }
  }

  /**
   * Reads an entry's values into `into` at element offset `at` and verifies its checksum. The file is
   * opened synchronously (microseconds) so the read itself is one request for the thread pool, which
   * completes even while onnxruntime holds the main thread for a training step.
   */
  async readInto(key: string, into: Float32Array, at: number, count: number): Promise<ReadStatus> {
    const path = this.file(key)
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return 'missing'
    }
    const header = Buffer.alloc(HEADER_BYTES)
    const view = new Uint8Array(into.buffer, into.byteOffset + at * 4, count * 4)
    let n: number
    try {
      n = await readvAsync(fd, [header, view], 0)
    } finally {
      closeSync(fd)
    }
    const trailing = n === HEADER_BYTES + count * 4 && statSync(path).size !== n
    const intact = n === HEADER_BYTES + count * 4 && !trailing && header.readUInt32LE(0) === MAGIC && header.readUInt32LE(4) === count
    if (!intact || header.readUInt32LE(8) !== crc32(view) >>> 0) {
      await this.discard(path)
      return 'corrupt'
    }
    return 'ok'
  }

  async get(key: string): Promise<Float32Array | undefined> {
    let size: number
    try {
      size = (await stat(this.file(key))).size
    } catch {
      return undefined
    }
    const count = Math.max(0, Math.floor((size - HEADER_BYTES) / 4))
    const out = new Float32Array(count)
    return (await this.readInto(key, out, 0, count)) === 'ok' ? out : undefined
  }

  async set(key: string, f: Float32Array): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const header = Buffer.alloc(HEADER_BYTES)
    const values = new Uint8Array(f.buffer, f.byteOffset, f.byteLength)
    header.writeUInt32LE(MAGIC, 0)
    header.writeUInt32LE(f.length, 4)
    header.writeUInt32LE(crc32(values) >>> 0, 8)
    header.writeUInt32LE(0, 12)
    // Written from the caller's array itself: an entry is megabytes, and copying it into one buffer cost more than the write.
    await writeFileAtomic(this.file(key), [header, values])
    this.bytes += HEADER_BYTES + f.byteLength
  }

  /** Total bytes of the entries in the folder (for progress messages). */
  async size(): Promise<{ files: number; bytes: number }> {
    let files = 0
    let bytes = 0
    for (const name of await readdir(this.dir).catch(() => [] as string[]))
      if (name.endsWith(EXT)) {
        files++
        bytes += (await stat(join(this.dir, name)).catch(() => ({ size: 0 }))).size
      }
    return { files, bytes }
  }

  /** Deletes the folder and everything in it. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
  }

  private async discard(path: string): Promise<void> {
    this.corrupt.push(path)
    await unlink(path).catch(() => {})
  }
}

/**
 * Cache key for one image under one extractor configuration: any change to the file (size, mtime),
 * backbone weights, taps, embedding or preprocessing gives a new key.
 */
export async function featureKey(path: string, config: unknown): Promise<string> {
  const s = await stat(path)
  return createHash('sha256')
    .update(JSON.stringify({ path, size: s.size, mtime: s.mtimeMs, config }))
    .digest('hex')
    .slice(0, 32)
}

// Test helper: a user's own copy of the built-in ResNet18 weights (same tensors, another file, so another sha256), standing in for ../shared's .pth.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILT_IN_RESNET18 } from './shared'

/** Writes the built-in ResNet18 tensors to `path` as a .safetensors file whose header carries a note, and returns the path. */
export function writeUserResnet18(path: string): string {
  const buf = readFileSync(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'))
  const n = Number(buf.readBigUInt64LE(0))
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>
  let text = JSON.stringify({ __metadata__: { format: 'pt', note: 'a user copy for tests' }, ...header })
  text += ' '.repeat((8 - (text.length % 8)) % 8)
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(text)))
  writeFileSync(path, Buffer.concat([len, Buffer.from(text), buf.subarray(8 + n)]))
  return path
}

// Test helper: locates the read-only ../shared folder (data sets, weights, reference fixtures).
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const ROOT = resolve(__dirname, '..', '..')

/** Absolute path inside ../shared (override the folder with PBAS_SHARED_DIR). */
export function sharedPath(...parts: string[]): string {
  const base = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
  const p = resolve(base, ...parts)
  if (!existsSync(p)) throw new Error(`test fixture missing: ${p} (set PBAS_SHARED_DIR to the shared folder)`)
  return p
}

/** Reads a JSON fixture from ../shared/reference. */
export function readReference<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(sharedPath('reference', name), 'utf8')) as T
}

/** Reads one tensor of the ResNet18 bottle fixture as float32. */
export function readBackboneFixture(name: 'input' | 'layer2' | 'layer3' | 'embedding'): { shape: number[]; data: Float32Array } {
  const index = readReference<{ tensors: Record<string, { shape: number[]; offset: number; bytes: number }> }>(
    'backbone/resnet18_bottle.json',
  )
  const t = index.tensors[name]
  const buf = readFileSync(sharedPath('reference', 'backbone', 'resnet18_bottle.bin'))
  const copy = new Uint8Array(buf.subarray(t.offset, t.offset + t.bytes))
  return { shape: t.shape, data: new Float32Array(copy.buffer) }
}

/** Repository root, for tests that scan sources. */
export const REPO_ROOT = ROOT

// Atomic writes: a file written in parts holds exactly the parts, in order, and leaves no temp file behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { writeFileAtomic } from './atomic-write'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

test('parts are written back to back, over an older file, with no temp file left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pbas-atomic-'))
  dirs.push(dir)
  const target = join(dir, 'entry.bin')
  await writeFileAtomic(target, 'an older, longer file that must not leave a tail behind')
  const values = new Float32Array([1.5, -2, 3.25, 1e-3])
  // A view into the middle of a larger array, as the feature cache passes it.
  const big = new Uint8Array(64).fill(7)
  await writeFileAtomic(target, [Uint8Array.from([1, 2, 3]), new Uint8Array(values.buffer), big.subarray(10, 14)])
  const got = readFileSync(target)
  expect([...got.subarray(0, 3)]).toEqual([1, 2, 3])
  expect([...new Float32Array(got.buffer.slice(got.byteOffset + 3, got.byteOffset + 19))]).toEqual([...values])
  expect([...got.subarray(19)]).toEqual([7, 7, 7, 7])
  expect(readdirSync(dir)).toEqual(['entry.bin'])
})

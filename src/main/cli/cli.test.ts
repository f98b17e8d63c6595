import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT, sharedPath } from '../../test-support/shared'

const run = promisify(execFile)
const BIN = join(REPO_ROOT, 'bin/pbas.js')

async function pbas(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, PBAS_BACKEND: 'wasm' } })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('the built pbas command', () => {
  it('is built (npm test runs `npm run build` first)', () => {
    expect(existsSync(join(REPO_ROOT, 'out/main/cli.js'))).toBe(true)
  })

  it('dataset check prints the counts for mvtec_bottle', async () => {
    const r = await pbas('dataset', 'check', sharedPath('datasets/mvtec_bottle'))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('train good: 209   test good: 20   test defective: 63 in 3 type(s): broken_large, broken_small, contamination')
    const j = await pbas('dataset', 'check', sharedPath('datasets/bsdata_pitting'), '--json')
    expect(JSON.parse(j.stdout)).toMatchObject({ trainGood: 553, testGood: 117, testDefect: 167, ok: true })
  })

  it('info reports the chosen backend', async () => {
    const r = await pbas('info', '--json')
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'wasm', tfBackend: 'wasm', backendReason: 'PBAS_BACKEND=wasm' })
  })

  it('fails clearly: unknown command (2), bad option (2), missing folder (1)', async () => {
    expect((await pbas('frobnicate')).code).toBe(2)
    const bad = await pbas('dataset', 'check', '.', '--catgory', 'x')
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'pbas dataset: unknown option --catgory'])
    const missing = await pbas('dataset', 'check', '/no/such/dir')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('/no/such/dir is not a folder')
  })
})

// Real-data checks (npm run test:real): `pbas dataset check` on MVTec bottle and BSData pitting; cli.test.ts checks the same on a generated product.
import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { HAS_SHARED, REPO_ROOT, sharedPath } from '../../test-support/shared'

const run = promisify(execFile)
const pbas = async (...args: string[]) => run(process.execPath, [join(REPO_ROOT, 'bin/pbas.js'), ...args], { env: { ...process.env, PBAS_BACKEND: 'wasm' } })

describe.skipIf(!HAS_SHARED)('the built pbas command on real data sets', () => {
  it('dataset check prints the counts for mvtec_bottle', async () => {
    const r = await pbas('dataset', 'check', sharedPath('datasets/mvtec_bottle'))
    expect(r.stdout).toContain('train good: 209   test good: 20   test defective: 63 in 3 type(s): broken_large, broken_small, contamination')
    const j = await pbas('dataset', 'check', sharedPath('datasets/bsdata_pitting'), '--json')
    expect(JSON.parse(j.stdout)).toMatchObject({ trainGood: 553, testGood: 117, testDefect: 167, ok: true })
  })
})

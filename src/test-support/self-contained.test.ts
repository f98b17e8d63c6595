// Guards `npm test` against needing ../shared: only *.real.test.ts files (npm run test:real) may read it.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { REPO_ROOT } from './shared'

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? (e.name === 'node_modules' || e.name === 'artifacts' ? [] : files(p, keep)) : keep(p) ? [p] : []
  })
}

describe('the self-contained suite', () => {
  it('reads nothing from ../shared outside *.real.test.ts files and the helpers that serve them', () => {
    const tests = [...files(join(REPO_ROOT, 'src'), (f) => f.endsWith('.test.ts') && !f.endsWith('.real.test.ts')), ...files(join(REPO_ROOT, 'e2e'), (f) => f.endsWith('.ts'))]
    const offenders = tests.filter((f) => f !== __filename && /sharedPath\(|PBAS_SHARED_DIR|'\.\.', 'shared'|source: 'bottle'|readBackboneFixture\([^)]*'bottle'/.test(readFileSync(f, 'utf8')))
    expect(offenders.map((f) => relative(REPO_ROOT, f))).toEqual([])
    expect(tests.length).toBeGreaterThan(40)
  })
})

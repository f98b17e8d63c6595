import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { realTestFiles } from './test-real'

const ROOT = resolve(__dirname, '..')
/** npm's own range logic (semver is in every npm install's tree; it ships no types of its own). */
const semver = createRequire(join(ROOT, 'package.json'))('semver') as { subset(a: string, b: string): boolean; satisfies(v: string, r: string): boolean }
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string }; os?: string[]; cpu?: string[] }> }

describe('what a fresh clone meets', () => {
  it("one Node range: package.json's engines lies inside every dependency's engines that installs on this platform (no EBADENGINE)", () => {
    const here = (list: string[] | undefined, value: string) => !list || list.some((x) => (x.startsWith('!') ? x.slice(1) !== value : x === value))
    const narrower = Object.entries(lock.packages)
      .filter(([k, p]) => k && p.engines?.node && here(p.os, process.platform) && here(p.cpu, process.arch))
      .filter(([, p]) => !semver.subset(pkg.engines.node, p.engines!.node!))
      .map(([k, p]) => `${k.replace(/^.*node_modules\//, '')} wants ${p.engines!.node}`)
    expect(narrower).toEqual([])
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true)
  })

  it('npm run test:real without ../shared lists every real-data test it skips, and exits 0', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/test-real.ts')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PBAS_SHARED_DIR: '/nonexistent/shared' } })
    const files = realTestFiles()
    expect(files.length).toBeGreaterThan(5)
    expect(out).toContain(`SKIPPED ${files.length} real-data test files`)
    for (const f of files) expect(out).toContain(`skipped ${f.file}: ${f.what}`)
    // Each says which self-contained test checks the same behaviour.
    for (const f of files) expect(f.what, f.file).toMatch(/[\w-]+\.test\.ts checks the same/)
  })
})

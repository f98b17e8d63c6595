// `npm run test:real`: the tests that need the real data sets and weights in ../shared (or PBAS_SHARED_DIR); where there is none, it lists what it skipped and why, and exits 0.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { REPO_ROOT, sharedDir } from '../src/test-support/shared'

/** Every *.real.test.ts under src/, with its one-line header (what it checks on real data). */
export function realTestFiles(root = REPO_ROOT): { file: string; what: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.real.test.ts') ? [join(dir, e.name)] : []))
  return walk(join(root, 'src'))
    .sort()
    .map((f) => ({ file: relative(root, f), what: /^\/\/ (?:Real-data checks? \(npm run test:real\): )?(.*)$/m.exec(readFileSync(f, 'utf8'))?.[1] ?? '' }))
}

if (require.main === module) {
  const shared = sharedDir()
  if (!shared) {
    const files = realTestFiles()
    console.log(`npm run test:real: SKIPPED ${files.length} real-data test files: no ../shared folder beside this checkout and no PBAS_SHARED_DIR.`)
    console.log('They need MVTec bottle, BSData pitting, the MobileNet weights and the ResNet18 .pth (not redistributable here); `npm test` checks the same behaviour on generated and committed data.')
    for (const f of files) console.log(`  skipped ${f.file}: ${f.what}`)
    console.log('To run them: PBAS_SHARED_DIR=/path/to/shared npm run test:real')
  } else {
    console.log(`npm run test:real: real data from ${shared}`)
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '-c', 'vitest.real.config.mts'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, PBAS_SHARED_DIR: shared } })
    process.exitCode = r.status ?? 1
  }
}

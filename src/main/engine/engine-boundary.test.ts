import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { REPO_ROOT } from '../../test-support/shared'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g

describe('engine boundary', () => {
  const engine = join(REPO_ROOT, 'src/main/engine')
  const files = walk(engine).filter((f) => !f.endsWith('.test.ts'))

  it('finds the engine sources (guards against the scan silently matching nothing)', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it('never imports electron, and reaches outside itself only into src/shared', () => {
    const offences: string[] = []
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3]
        if (spec === 'electron' || spec.startsWith('electron/')) offences.push(`${relative(REPO_ROOT, f)} imports ${spec}`)
        if (spec.startsWith('.')) {
          const target = relative(REPO_ROOT, join(f, '..', spec))
          if (!target.startsWith('src/main/engine') && !target.startsWith('src/shared')) offences.push(`${relative(REPO_ROOT, f)} imports ${target}`)
        }
      }
    }
    expect(offences).toEqual([])
  })
})

// Test helper: the runtime import graph of src/ (type-only imports left out), for the layer and cycle tests.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { REPO_ROOT } from './shared'

/** Every .ts and .vue source below `dir` (repository-relative), tests left out. */
export function sourceFiles(dir = 'src'): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = join(d, n)
      if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : walk(p)
      return /\.(ts|vue)$/.test(n) && !/\.test\.ts$|\.d\.ts$/.test(n) ? [relative(REPO_ROOT, p)] : []
    })
  return walk(join(REPO_ROOT, dir))
}

// import/export ... from '...', bare import '...', dynamic import('...'), require('...'); type-only forms are dropped below.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g

/** One import: who imports what (repository-relative paths), and whether it is only for types. */
export interface ImportEdge {
  from: string
  to: string
  typeOnly: boolean
}

function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = resolve(REPO_ROOT, dirname(from), spec)
  for (const ext of ['', '.ts', '.vue', '/index.ts']) {
    const p = base + ext
    if (existsSync(p) && statSync(p).isFile()) return relative(REPO_ROOT, p)
  }
  return null
}

/** Relative imports of the given files; `import { type A, type B }` counts as type-only like `import type`. */
export function importEdges(files: readonly string[]): ImportEdge[] {
  const out: ImportEdge[] = []
  for (const from of files) {
    let text = readFileSync(join(REPO_ROOT, from), 'utf8')
    if (from.endsWith('.vue')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
    // import('x').T in type positions is a type reference, not a runtime import.
    text = text.replace(/import\(\s*['"][^'"]+['"]\s*\)\s*\./g, '')
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[4] ?? m[5] ?? m[6] ?? m[7]
      const to = resolveSpec(from, spec)
      if (!to) continue
      const names = m[3] ?? ''
      const typeOnly = !!m[2] || (/^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type')))
      out.push({ from, to, typeOnly })
    }
  }
  return out
}

/** Cycles among runtime imports: each strongly connected group of two or more files (or a file importing itself). */
export function runtimeCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  // Tarjan's strongly connected components.
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const groups: string[][] = []
  const visit = (v: string) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const g: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        g.push(w)
      } while (w !== v)
      if (g.length > 1 || (next.get(v) ?? []).includes(v)) groups.push(g.sort())
    }
  }
  for (const v of next.keys()) if (!idx.has(v)) visit(v)
  return groups
}

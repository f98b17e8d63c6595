// README figures tied to results files: each quoted figure is a link to bench/results/*.json#path, checked by readme-figures.test.ts.
//
// Syntax in README.md (the link target is the results file, so a reader can click through to it):
//   inline      I-AUROC [99.60](bench/results/bottle-resnet18.json#metrics.image_auroc*100)
//   reference   I-AUROC [99.60][bottle.iauroc]   ...   [bottle.iauroc]: bench/results/bottle-resnet18.json#metrics.image_auroc*100
// The fragment is a JSON path: keys and array indices separated by dots; a segment `k=v,k2=v2` picks the array
// element whose fields match (`results.runtime=onnxruntime,D=1536.msPerStep`); an optional `*N` or `/N` at
// the end scales the number (fractions quoted as percentages, ms quoted as s). The quoted text must equal the
// scaled value rounded to as many decimals as it shows. A string value must contain the quoted text.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One quoted figure and where it says it comes from. */
export interface Figure {
  text: string
  file: string
  path: string
  /** 1-based README line, for messages */
  line: number
}

const FIGURE = /^-?\d[\d,]*(\.\d+)?$|^\d+:\d\d$/
const TARGET = /^(bench\/results\/[\w.-]+\.json)#(\S+)$/

/** README without fenced code blocks (they hold commands, not quoted figures), lines kept for numbering. */
export function proseOf(markdown: string): string {
  let inFence = false
  return markdown
    .split('\n')
    .map((l) => {
      if (/^\s*```/.test(l)) {
        inFence = !inFence
        return ''
      }
      return inFence ? '' : l
    })
    .join('\n')
}

/** Every figure link in `markdown`, inline or by reference. */
export function findFigures(markdown: string): Figure[] {
  const prose = proseOf(markdown)
  const refs = new Map<string, string>()
  for (const m of prose.matchAll(/^\[([^\]]+)\]:\s*(\S+)\s*$/gm)) refs.set(m[1].toLowerCase(), m[2])
  const out: Figure[] = []
  const lineOf = (index: number) => prose.slice(0, index).split('\n').length
  for (const m of prose.matchAll(/\[([^\]\n]+)\](?:\(([^)\s]+)\)|\[([^\]\n]+)\])/g)) {
    const target = m[2] ?? refs.get(m[3].toLowerCase())
    const t = target && TARGET.exec(target)
    if (!t || !FIGURE.test(m[1])) continue
    out.push({ text: m[1], file: t[1], path: t[2], line: lineOf(m.index) })
  }
  return out
}

/** Follows a figure path through parsed JSON; throws naming the segment that does not resolve. */
export function resolvePath(json: unknown, path: string): { value: unknown; scale: number } {
  const sc = /([*/])(\d+(?:\.\d+)?)$/.exec(path)
  const scale = sc ? (sc[1] === '*' ? Number(sc[2]) : 1 / Number(sc[2])) : 1
  let node = json
  for (const seg of (sc ? path.slice(0, sc.index) : path).split('.')) {
    if (seg.includes('=')) {
      if (!Array.isArray(node)) throw new Error(`'${seg}' selects from an array, but the value there is not one`)
      const want = seg.split(',').map((kv) => kv.split('='))
      const hits = node.filter((el) => want.every(([k, v]) => el && String((el as Record<string, unknown>)[k]) === v))
      if (hits.length !== 1) throw new Error(`'${seg}' matches ${hits.length} elements, not exactly one`)
      node = hits[0]
    } else {
      if (node === null || typeof node !== 'object' || !(seg in node)) throw new Error(`no '${seg}' there`)
      node = (node as Record<string, unknown>)[seg]
    }
  }
  return { value: node, scale }
}

/** Null when the figure agrees with its results file, else what is wrong. */
export function checkFigure(f: Figure, json: unknown): string | null {
  let r: { value: unknown; scale: number }
  try {
    r = resolvePath(json, f.path)
  } catch (err) {
    return `${f.file}#${f.path}: ${(err as Error).message}`
  }
  if (typeof r.value === 'string') {
    const token = new RegExp(`(^|[^\\d.])${f.text.replace(/[.]/g, '\\.')}(?![\\d]|\\.\\d)`)
    return token.test(r.value) ? null : `${f.file}#${f.path} is '${r.value}', which does not contain ${f.text}`
  }
  if (typeof r.value !== 'number') return `${f.file}#${f.path} is ${JSON.stringify(r.value)}, not a number or text`
  const decimals = f.text.split('.')[1]?.length ?? 0
  const expected = (r.value * r.scale).toFixed(decimals)
  return expected === f.text.replace(/,/g, '') ? null : `README says ${f.text}, ${f.file}#${f.path} gives ${expected}`
}

/** Reads and checks every figure of the README at `root`; returns one message per disagreeing figure. */
export function checkReadme(root: string, markdown = readFileSync(join(root, 'README.md'), 'utf8')): string[] {
  const cache = new Map<string, unknown>()
  const load = (file: string) => {
    if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(join(root, file), 'utf8')))
    return cache.get(file)
  }
  const problems: string[] = []
  for (const f of findFigures(markdown)) {
    let json: unknown
    try {
      json = load(f.file)
    } catch (err) {
      problems.push(`README.md:${f.line}: ${f.text} cites ${f.file}, which cannot be read (${(err as Error).message})`)
      continue
    }
    const p = checkFigure(f, json)
    if (p) problems.push(`README.md:${f.line}: ${p}`)
  }
  return problems
}

/** Collapses a shell command the way README shows it (line continuations, `npx `) for comparison. */
export function normaliseCommand(s: string): string {
  return s.replace(/\\\n/g, ' ').replace(/\bnpx /g, '').replace(/\s+/g, ' ').trim()
}

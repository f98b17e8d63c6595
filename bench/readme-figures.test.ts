import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkFigure, checkReadme, findFigures, normaliseCommand, proseOf } from './readme-figures'
import { REPO_ROOT } from '../src/test-support/shared'

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

/**
 * Decimal numbers README may show without a results file: settings and tolerances, not measurements. Each
 * entry is the exact phrase around the number; a phrase that leaves README must leave this list too.
 */
const SETTINGS = [
  'p < 0.01', "python3-torch 1.13", "test's 0.02 mean absolute", 'beta 0.1', 'alpha 0.25', 'says 0.3)', 'sigma 0.015', 'LeakyReLU(0.2)', 'AdamW (2e-4, 0.01)', 'legacy pre-1.6 format', '`stopTolerance` (0.2)', '(Quick: 0.25;',
  // versions of what the GPU section compares
  'CUDA 11.2', 'cuDNN 8.1', 'onnxruntime-node 1.30', 'Mesa 22.3',
  // a difference of two linked figures
  'Within 0.3 points',
]

/** Decimal numbers in README prose that are neither figure links nor listed above. */
function unlinkedDecimals(markdown: string): string[] {
  const prose = proseOf(markdown).replace(/\[[^\]\n]+\](\(bench\/results\/[^)]+\)|\[[^\]\n]+\])/g, (m) => ' '.repeat(m.length))
  const covered = new Array<boolean>(prose.length).fill(false)
  for (const phrase of SETTINGS) for (let i = prose.indexOf(phrase); i >= 0; i = prose.indexOf(phrase, i + 1)) covered.fill(true, i, i + phrase.length)
  return [...prose.matchAll(/(?<![\w.])\d+\.\d+(?![\w.]*\d)/g)].filter((m) => !covered[m.index]).map((m) => `README.md:${prose.slice(0, m.index).split('\n').length}: ${prose.slice(Math.max(0, m.index - 30), m.index + 10).replace(/\n/g, ' ')}`)
}

describe('README figures stay true to bench/results', () => {
  it('every figure linked to a results file agrees with it', () => {
    expect(findFigures(README).length).toBeGreaterThan(40)
    expect(checkReadme(REPO_ROOT)).toEqual([])
  })

  it('every results file README cites was written by a command README names', () => {
    const readme = normaliseCommand(README.replace(/`/g, ' '))
    for (const file of new Set(findFigures(README).map((f) => f.file))) {
      const { command } = JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as { command?: string }
      expect(command, `${file} has no "command"`).toEqual(expect.any(String))
      for (const part of command!.split('&&')) expect(readme, `${file}: README does not name \`${part.trim()}\``).toContain(normaliseCommand(part))
    }
  })

  it('no measured decimal figure in README goes without a link (settings aside)', () => {
    expect(unlinkedDecimals(README)).toEqual([])
    for (const phrase of SETTINGS) expect(README, 'stale entry in SETTINGS').toContain(phrase)
  })

  it('an edited figure fails: one digit changed, a wrong path, a stale string', () => {
    const first = findFigures(README).find((f) => f.text.includes('.'))!
    const edited = README.split('\n')
    const bumped = first.text.replace(/\d$/, (d) => String((Number(d) + 1) % 10))
    edited[first.line - 1] = edited[first.line - 1].replace(`[${first.text}]`, `[${bumped}]`)
    expect(checkReadme(REPO_ROOT, edited.join('\n'))).toEqual([expect.stringContaining(`README.md:${first.line}: README says ${bumped}, ${first.file}#${first.path} gives ${first.text}`)])
    const json = { results: [{ runtime: 'ort', ms: 2193 }, { runtime: 'tfjs', ms: 14620 }], note: 'epoch 12: 99.9 / 97.3' }
    const fig = (text: string, path: string) => ({ text, file: 'x.json', path, line: 1 })
    expect(checkFigure(fig('2.19', 'results.runtime=ort.ms/1000'), json)).toBeNull()
    expect(checkFigure(fig('14.6', 'results.runtime=tfjs.ms/1000'), json)).toBeNull()
    expect(checkFigure(fig('2.20', 'results.runtime=ort.ms/1000'), json)).toMatch(/README says 2.20, x.json#results.runtime=ort.ms\/1000 gives 2.19/)
    expect(checkFigure(fig('2.19', 'results.runtime=gpu.ms/1000'), json)).toMatch(/matches 0 elements/)
    expect(checkFigure(fig('2.19', 'results.0.msPerStep'), json)).toMatch(/no 'msPerStep' there/)
    expect(checkFigure(fig('99.9', 'note'), json)).toBeNull()
    expect(checkFigure(fig('99.84', 'note'), json)).toMatch(/does not contain 99.84/)
    expect(checkFigure(fig('9', 'note'), json)).toMatch(/does not contain 9$/)
  })

  it('reads inline and reference-style figure links, and ignores code blocks and other links', () => {
    const md = [
      'I-AUROC [95.0](bench/results/demo.json#image_auroc*100), [14][flagged], [docs](https://example.org)',
      '```bash',
      '[1.0](bench/results/demo.json#x)',
      '```',
      '[flagged]: bench/results/demo.json#counts.flagged',
    ].join('\n')
    expect(findFigures(md)).toEqual([
      { text: '95.0', file: 'bench/results/demo.json', path: 'image_auroc*100', line: 1 },
      { text: '14', file: 'bench/results/demo.json', path: 'counts.flagged', line: 1 },
    ])
  })
})

// PCA against numpy's eigen-decomposition and against a hand-built case with a known answer.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fitPca, projectPca, symmetricEigen } from './pca'

interface Fixture { n: number; d: number; x: number[]; mean: number[]; components: number[][]; variances: number[]; explained: number[]; projections: number[][] }
const fx: Fixture = JSON.parse(readFileSync(join(__dirname, 'pca.fixture.json'), 'utf8'))

describe('fitPca', () => {
  it('matches numpy (eigh of the sample covariance) on a 200 x 12 fixture, up to each component sign', () => {
    const rows = Float32Array.from(fx.x)
    const pca = fitPca(rows, fx.n, fx.d)
    fx.mean.forEach((m, t) => expect(pca.mean[t]).toBeCloseTo(m, 5))
    for (let c = 0; c < 2; c++) {
      const sign = Math.sign(pca.components[c].reduce((s, x, t) => s + x * fx.components[c][t], 0))
      expect(Math.abs(sign)).toBe(1)
      fx.components[c].forEach((x, t) => expect(sign * pca.components[c][t]).toBeCloseTo(x, 5))
      expect(pca.variances[c]).toBeCloseTo(fx.variances[c], 4)
      expect(pca.explained[c]).toBeCloseTo(fx.explained[c], 6)
    }
    const proj = projectPca(pca, rows, fx.n)
    const signs = [0, 1].map((c) => Math.sign(pca.components[c].reduce((s, x, t) => s + x * fx.components[c][t], 0)))
    for (let r = 0; r < fx.n; r += 17) for (let c = 0; c < 2; c++) expect(signs[c] * proj[r * 2 + c]).toBeCloseTo(fx.projections[r][c], 3)
  })

  it('recovers the axes of a hand-built, rotated point set with known variances', () => {
    // Points at +-3 along u and +-1 along v (u, v orthonormal in 3-D), so the variances are 9*2/3 and 1*2/3.
    const s = Math.SQRT1_2
    const u = [s, s, 0]
    const v = [0, 0, 1]
    const pts = [[3, 0], [-3, 0], [0, 1], [0, -1]].map(([a, b]) => u.map((x, t) => 5 + a * x + b * v[t]))
    const pca = fitPca(Float32Array.from(pts.flat()), 4, 3, { oversample: 1 })
    expect(pca.variances[0]).toBeCloseTo(18 / 3, 5)
    expect(pca.variances[1]).toBeCloseTo(2 / 3, 5)
    expect(pca.explained[0]).toBeCloseTo(0.9, 6)
    expect(pca.explained[1]).toBeCloseTo(0.1, 6)
    expect(Math.abs(pca.components[0][0])).toBeCloseTo(s, 5)
    expect(Math.abs(pca.components[1][2])).toBeCloseTo(1, 5)
    expect(Array.from(projectPca(pca, Float32Array.from(pts[0]), 1)).map(Math.abs)).toEqual([expect.closeTo(3, 4), expect.closeTo(0, 4)])
  })

  it('rejects too few rows and mis-sized input', () => {
    expect(() => fitPca(new Float32Array(3), 1, 3)).toThrow(/two rows/)
    expect(() => fitPca(new Float32Array(5), 2, 3)).toThrow(/expected 2 x 3/)
  })
})

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix (A v = lambda v), eigenvalues descending', () => {
    const A = [[4, 1, 2], [1, 3, 0], [2, 0, 1]]
    const { values, vectors } = symmetricEigen(A)
    expect(values[0]).toBeGreaterThan(values[1])
    expect(values[1]).toBeGreaterThan(values[2])
    expect(values.reduce((a, b) => a + b)).toBeCloseTo(8, 10)
    vectors.forEach((vec, i) => A.forEach((row, r) => expect(row.reduce((s, a, c) => s + a * vec[c], 0)).toBeCloseTo(values[i] * vec[r], 10)))
  })
})

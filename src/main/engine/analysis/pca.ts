// Principal component analysis of feature rows (randomised subspace iteration; no D x D covariance needed).
import { mulberry32 } from '../util/random'

/** A fitted PCA: the mean, the top-k unit components (k x D, row-major) and what they explain. */
export interface Pca {
  dim: number
  mean: Float64Array
  components: Float64Array[]
  /** variance along each component (sample covariance, n - 1) */
  variances: number[]
  /** share of the total variance each component explains */
  explained: number[]
  totalVariance: number
}

/** Options of {@link fitPca}. */
export interface PcaOptions {
  k?: number
  /** extra search directions: more makes the top-k converge in fewer iterations */
  oversample?: number
  iterations?: number
  seed?: number
}

/** Orthonormalises the columns of Q (D x b, column-major) in place with modified Gram-Schmidt. */
function orthonormalise(Q: Float64Array[], D: number): void {
  const project = (q: Float64Array, j: number) => {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0
        for (let t = 0; t < D; t++) dot += q[t] * Q[i][t]
        for (let t = 0; t < D; t++) q[t] -= dot * Q[i][t]
      }
    }
    let norm = 0
    for (let t = 0; t < D; t++) norm += q[t] * q[t]
    return Math.sqrt(norm)
  }
  for (let j = 0; j < Q.length; j++) {
    const before = Math.sqrt(Q[j].reduce((s, x) => s + x * x, 0))
    let norm = project(Q[j], j)
    // A direction the data does not span collapses to rounding noise; swap in a unit vector so Q stays orthonormal.
    for (let e = 0; !(norm > 1e-8 * before) || before === 0; e++) {
      if (e >= D) throw new Error('PCA block is larger than the feature dimension')
      Q[j].fill(0)
      Q[j][(j + e) % D] = 1
      norm = project(Q[j], j)
      if (norm > 0.5) break
    }
    for (let t = 0; t < D; t++) Q[j][t] /= norm
  }
}

/** C Q for the sample covariance C of the centred rows, without forming C: X^T (X Q) / (n - 1). */
function covTimes(rows: Float32Array, n: number, D: number, mean: Float64Array, Q: Float64Array[]): Float64Array[] {
  const b = Q.length
  const out = Q.map(() => new Float64Array(D))
  const xq = new Float64Array(b)
  for (let r = 0; r < n; r++) {
    const o = r * D
    xq.fill(0)
    for (let t = 0; t < D; t++) {
      const x = rows[o + t] - mean[t]
      for (let j = 0; j < b; j++) xq[j] += x * Q[j][t]
    }
    for (let t = 0; t < D; t++) {
      const x = rows[o + t] - mean[t]
      for (let j = 0; j < b; j++) out[j][t] += x * xq[j]
    }
  }
  for (const v of out) for (let t = 0; t < D; t++) v[t] /= Math.max(1, n - 1)
  return out
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations; eigenvalues descending. */
export function symmetricEigen(A: number[][]): { values: number[]; vectors: number[][] } {
  const m = A.length
  const a = A.map((r) => [...r])
  const v: number[][] = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p][q] ** 2
    if (off < 1e-30) break
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < m; k++) {
          const akp = a[k][p]
          const akq = a[k][q]
          a[k][p] = c * akp - s * akq
          a[k][q] = s * akp + c * akq
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p][k]
          const aqk = a[q][k]
          a[p][k] = c * apk - s * aqk
          a[q][k] = s * apk + c * aqk
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k][p]
          const vkq = v[k][q]
          v[k][p] = c * vkp - s * vkq
          v[k][q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = a.map((_, i) => i).sort((i, j) => a[j][j] - a[i][i])
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) }
}

/**
 * Top-k principal components of n rows of D features (row-major float32). Randomised subspace iteration
 * with a Rayleigh-Ritz step (Halko et al. 2011): exact to rounding once the block has converged, and it
 * costs O(n D (k + oversample)) per iteration instead of the O(n D^2) of a covariance matrix. Each
 * component's sign is fixed so that its largest-magnitude entry is positive (plots do not flip between runs).
 */
export function fitPca(rows: Float32Array, n: number, D: number, opts: PcaOptions = {}): Pca {
  const k = opts.k ?? 2
  if (n < 2) throw new Error('PCA needs at least two rows')
  if (rows.length !== n * D) throw new Error(`PCA input holds ${rows.length} values, expected ${n} x ${D}`)
  const b = Math.min(D, k + (opts.oversample ?? 8))
  const mean = new Float64Array(D)
  for (let r = 0; r < n; r++) for (let t = 0; t < D; t++) mean[t] += rows[r * D + t]
  for (let t = 0; t < D; t++) mean[t] /= n
  let total = 0
  for (let r = 0; r < n; r++) for (let t = 0; t < D; t++) total += (rows[r * D + t] - mean[t]) ** 2
  total /= n - 1
  const rand = mulberry32(opts.seed ?? 0)
  let Q: Float64Array[] = Array.from({ length: b }, () => Float64Array.from({ length: D }, () => rand() - 0.5))
  orthonormalise(Q, D)
  for (let it = 0; it < (opts.iterations ?? 12); it++) {
    Q = covTimes(rows, n, D, mean, Q)
    orthonormalise(Q, D)
  }
  // Rayleigh-Ritz: the best k directions inside the converged block.
  const CQ = covTimes(rows, n, D, mean, Q)
  const B = Q.map((qi) => CQ.map((cj) => qi.reduce((s, x, t) => s + x * cj[t], 0)))
  const eig = symmetricEigen(B.map((r, i) => r.map((x, j) => (x + B[j][i]) / 2)))
  const components: Float64Array[] = []
  for (let c = 0; c < k; c++) {
    const w = eig.vectors[c]
    const comp = new Float64Array(D)
    for (let j = 0; j < b; j++) for (let t = 0; t < D; t++) comp[t] += w[j] * Q[j][t]
    let big = 0
    for (let t = 0; t < D; t++) if (Math.abs(comp[t]) > Math.abs(big)) big = comp[t]
    if (big < 0) for (let t = 0; t < D; t++) comp[t] = -comp[t]
    components.push(comp)
  }
  const variances = eig.values.slice(0, k).map((x) => Math.max(0, x))
  return { dim: D, mean, components, variances, explained: variances.map((x) => (total > 0 ? x / total : 0)), totalVariance: total }
}

/** Coordinates of rows in the PCA's components (n x k, row-major). */
export function projectPca(pca: Pca, rows: Float32Array, n: number): Float32Array {
  const D = pca.dim
  const k = pca.components.length
  const out = new Float32Array(n * k)
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0
      const comp = pca.components[c]
      for (let t = 0; t < D; t++) s += (rows[r * D + t] - pca.mean[t]) * comp[t]
      out[r * k + c] = s
    }
  }
  return out
}

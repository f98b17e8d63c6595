// Composes PBAS' two adaptive average poolings into one sparse linear map per feature level.

/** Bin [start, end) of output `i` when adaptive-average-pooling length `L` to `O` (PyTorch's rule). */
export function adaptiveBin(i: number, L: number, O: number): [number, number] {
  return [Math.floor((i * L) / O), Math.ceil(((i + 1) * L) / O)]
}

/**
 * For one level: output columns [first, first+count) of the final embedding that this level feeds,
 * and for each of them up to `k` (input index, weight) pairs (padded with weight 0).
 */
export interface LevelMap {
  first: number
  count: number
  k: number
  /** [count * k] indices into the level's flattened C*p*p patch vector */
  index: Int32Array
  /** [count * k] weights */
  weight: Float32Array
}

/**
 * Builds the composed map of: per-level pool (C_l*p*p -> pretrainDim), stack, pool (levels*pretrainDim ->
 * targetDim). Both poolings are linear, so each output is a fixed weighted sum of a few inputs; computing
 * that sum directly avoids materialising the intermediate [N, levels, pretrainDim] tensor.
 */
export function composePoolingMaps(levelLengths: readonly number[], pretrainDim: number, targetDim: number): LevelMap[] {
  const P = pretrainDim
  const total = levelLengths.length * P
  const perLevel = levelLengths.map(() => new Map<number, Map<number, number>>())
  for (let j = 0; j < targetDim; j++) {
    const [s2, e2] = adaptiveBin(j, total, targetDim)
    const w2 = 1 / (e2 - s2)
    for (let m = s2; m < e2; m++) {
      const l = Math.floor(m / P)
      const L = levelLengths[l]
      const [s1, e1] = adaptiveBin(m % P, L, P)
      const w1 = 1 / (e1 - s1)
      let row = perLevel[l].get(j)
      if (!row) perLevel[l].set(j, (row = new Map()))
      for (let e = s1; e < e1; e++) row.set(e, (row.get(e) ?? 0) + w1 * w2)
    }
  }
  return perLevel.map((rows) => {
    const js = [...rows.keys()].sort((a, b) => a - b)
    const first = js[0]
    const count = js[js.length - 1] - first + 1
    const k = Math.max(...[...rows.values()].map((r) => r.size))
    const index = new Int32Array(count * k)
    const weight = new Float32Array(count * k)
    for (const [j, row] of rows) {
      let n = 0
      for (const [e, w] of row) {
        index[(j - first) * k + n] = e
        weight[(j - first) * k + n] = w
        n++
      }
    }
    return { first, count, k, index, weight }
  })
}

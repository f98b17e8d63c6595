// "Did you mean ...?" for mistyped option and command names: the closest known name by edit distance.

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps, so 'epcohs' is one edit from 'epochs'). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  return d[a.length][b.length]
}

/**
 * The known name closest to `name`, or null when none is plausibly meant: within a third of the name's length
 * in edits (at least 1, at most 3), or one starts with the other ('--val' for '--validation-share').
 */
export function closest(name: string, known: readonly string[]): string | null {
  let best: string | null = null
  let bestD = Infinity
  for (const k of known) {
    const dist = editDistance(name.toLowerCase(), k.toLowerCase())
    if (dist < bestD) [best, bestD] = [k, dist]
  }
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)))
  if (best !== null && bestD <= limit) return best
  const prefixed = known.filter((k) => name.length >= 3 && (k.startsWith(name) || name.startsWith(k)))
  return prefixed.length === 1 ? prefixed[0] : null
}

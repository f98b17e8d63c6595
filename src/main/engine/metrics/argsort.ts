// O(n) argsort of float32 scores (LSD radix on their bit patterns): exact metrics over millions of pixels.

/** Maps a float32's bits to a uint32 that sorts in the same order as the float (NaN last). */
function sortableBits(bits: Uint32Array, out: Uint32Array): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]
    out[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0
  }
}

/** Indices that order `scores` descending (stable for ties, in index order). */
export function argsortDescending(scores: Float32Array): Uint32Array {
  const n = scores.length
  const keys = new Uint32Array(n)
  sortableBits(new Uint32Array(scores.buffer, scores.byteOffset, n), keys)
  // Descending = ascending on the complemented key.
  for (let i = 0; i < n; i++) keys[i] = ~keys[i] >>> 0
  let idx = new Uint32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  let tmp = new Uint32Array(n)
  const count = new Uint32Array(256)
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0)
    for (let i = 0; i < n; i++) count[(keys[idx[i]] >>> shift) & 255]++
    let sum = 0
    for (let b = 0; b < 256; b++) {
      const c = count[b]
      count[b] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const id = idx[i]
      tmp[count[(keys[id] >>> shift) & 255]++] = id
    }
    const t = idx
    idx = tmp
    tmp = t
  }
  return idx
}

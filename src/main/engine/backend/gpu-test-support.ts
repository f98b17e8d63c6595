// Helpers for the GPU-path tests: why they skip (or, with PBAS_REQUIRE_GPU_TESTS=1, that they must not), and relative error.

/**
 * The reason the GPU-path tests skip when no WebGPU adapter starts, or null when they must run anyway
 * (PBAS_REQUIRE_GPU_TESTS=1, as CI sets: there a missing software device is a set-up fault, not a skip).
 */
export function gpuTestSkipReason(err: Error): string | null {
  if (process.env.PBAS_REQUIRE_GPU_TESTS === '1') return null
  return `${err.message.split('\n')[0]}; \`npm run test:tools\` as root installs Mesa's software Vulkan device (mesa-vulkan-drivers from bookworm-backports on Debian 12)`
}

/** max |a - b| over max |b|: one number for a whole tensor, insensitive to entries near zero. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`)
  let err = 0
  let scale = 0
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return scale === 0 ? err : err / scale
}

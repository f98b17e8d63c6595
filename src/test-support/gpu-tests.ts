// Why the GPU-path tests skip (or, with PBAS_REQUIRE_GPU_TESTS=1, that they must not).

/**
 * The reason the GPU-path tests skip when no WebGPU adapter starts, or null when they must run anyway
 * (PBAS_REQUIRE_GPU_TESTS=1, as CI sets: there a missing software device is a set-up fault, not a skip).
 */
export function gpuTestSkipReason(err: Error): string | null {
  if (process.env.PBAS_REQUIRE_GPU_TESTS === '1') return null
  return `${err.message.split('\n')[0]}; \`npm run test:tools\` as root installs Mesa's software Vulkan device (mesa-vulkan-drivers from bookworm-backports on Debian 12)`
}

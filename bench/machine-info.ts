// Machine and build facts stamped into every benchmark result, so numbers can be compared honestly.
import os from 'node:os'
import { execSync } from 'node:child_process'
import type { BackendInfo } from '../src/main/engine/backend/select-backend'

/** Who ran the benchmark, where, on which backend and commit. */
export function machineInfo(backend: BackendInfo): Record<string, unknown> {
  let commit = 'unknown'
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString(),
    commit,
    cpuModel: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    backend: backend.name,
    backendReason: backend.reason,
  }
}

/** Samples resident memory every 50 ms; call stop() for the peak in MiB. */
export function trackPeakMemory(): { stop: () => number } {
  let peak = process.memoryUsage().rss
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  return {
    stop() {
      clearInterval(t)
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20)
    },
  }
}

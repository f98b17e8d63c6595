// Machine and build facts stamped into every benchmark and results file, so numbers can be compared honestly.
import os from 'node:os'
import { execSync } from 'node:child_process'
import type { BackendInfo } from '../backend/select-backend'

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
    device: backend.device,
    skippedBackends: backend.skipped,
    // 1/5/15-minute load averages when the measurement started: above ~0.5 per core, other jobs shared the CPU.
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
  }
}

/** Peak resident memory of this process (the kernel's high-water mark, so short spikes count), in MiB. */
export function trackPeakMemory(): { stop: () => number } {
  return { stop: () => Math.round(process.resourceUsage().maxRSS / 1024) }
}

/**
 * `{ draft: ... }` when the 1-minute load average at the start exceeded half the cores (other jobs shared the CPU,
 * so the timings are drafts to be taken again on a quiet machine), else `{}`. Spread into a results file.
 */
export function draftMark(machine: Record<string, unknown>): { draft?: string } {
  const load = (machine.loadAverage as number[] | undefined)?.[0] ?? 0
  const cores = Number(machine.cores) || 1
  return load > 0.5 * cores ? { draft: `measured while other jobs ran (1-minute load average ${load} at the start on ${cores} cores)` } : {}
}

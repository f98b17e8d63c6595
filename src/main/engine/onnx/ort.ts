// Optional onnxruntime (multi-threaded CPU kernels): loaded lazily; the engine falls back to tfjs without it.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import os from 'node:os'
import type * as Ort from 'onnxruntime-node'

const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))
let cached: typeof Ort | null | undefined

/** onnxruntime-node, or null when absent, broken, or disabled with PBAS_ORT=0. */
export function loadOrt(): typeof Ort | null {
  if (process.env.PBAS_ORT === '0') return null
  if (cached !== undefined) return cached
  try {
    cached = req('onnxruntime-node') as typeof Ort
  } catch {
    cached = null
  }
  return cached
}

/**
 * Creates a session on all cores (PBAS_THREADS overrides). The memory arena keeps freed buffers for the
 * next run: without it every large intermediate is a fresh mmap whose pages fault in again on each run
 * (~10 ms per 32 MB here, a fifth of the training step). The memory pattern stays off: it preallocates one
 * block for the whole plan and doubled the step's peak (0.75 -> 1.5 GB, maxRSS). PBAS_ORT_ARENA=0: no arena.
 */
export async function createSession(ort: typeof Ort, model: Uint8Array): Promise<Ort.InferenceSession> {
  const threads = Number(process.env.PBAS_THREADS) || os.cpus().length
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: process.env.PBAS_ORT_ARENA !== '0',
    enableMemPattern: false,
  })
}

// Chooses the TensorFlow.js compute backend once per process: CUDA, native CPU, wasm, then plain JS.
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Backends in the order we try them. */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_ORDER)[number]

/** What was chosen and why, for `pbas info`, logs and model metadata. */
export interface BackendInfo {
  name: BackendName
  /** tfjs' own backend id ('tensorflow', 'wasm', 'cpu'). */
  tfBackend: string
  gpu: boolean
  /** One line per backend that was tried and skipped, with the reason. */
  skipped: string[]
  reason: string
}

// __filename exists in the CJS bundle; under vitest (ESM) fall back to import.meta.url.
const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))
let chosen: Promise<BackendInfo> | null = null

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      // Both packages register the 'tensorflow' backend on import; a missing libtensorflow throws here.
      req(`@tensorflow/${name}`)
      if (!(await tf.setBackend('tensorflow'))) throw new Error('backend did not initialise')
      return 'tensorflow'
    case 'wasm': {
      const wasm = req('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')
      // Bundlers move our code away from node_modules, so point tfjs at its own .wasm files explicitly.
      const dir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'))
      wasm.setWasmPaths(join(dir, 'dist') + '/')
      if (!(await tf.setBackend('wasm'))) throw new Error('backend did not initialise')
      return 'wasm'
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('backend did not initialise')
      return 'cpu'
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.split('\n')[0].slice(0, 200)
}

async function choose(preferred: string | undefined): Promise<BackendInfo> {
  const skipped: string[] = []
  let order: readonly BackendName[] = BACKEND_ORDER
  let reason = 'first available in order ' + BACKEND_ORDER.join(' > ')
  if (preferred) {
    if (!(BACKEND_ORDER as readonly string[]).includes(preferred)) {
      throw new Error(`PBAS_BACKEND=${preferred} is not a backend; use one of ${BACKEND_ORDER.join(', ')}`)
    }
    order = [preferred as BackendName]
    reason = `PBAS_BACKEND=${preferred}`
  }
  for (const name of order) {
    try {
      const tfBackend = await tryBackend(name)
      await tf.ready()
      return { name, tfBackend, gpu: name === 'tfjs-node-gpu', skipped, reason }
    } catch (err) {
      skipped.push(`${name}: ${firstLine(err)}`)
    }
  }
  throw new Error(`no TensorFlow.js backend could start:\n  ${skipped.join('\n  ')}`)
}

/**
 * Initialises the backend once per process (later calls return the same promise).
 * `PBAS_BACKEND` (or `preferred`) forces one backend and fails clearly if it cannot start.
 */
export function initBackend(preferred: string | undefined = process.env.PBAS_BACKEND || undefined): Promise<BackendInfo> {
  if (!chosen) chosen = choose(preferred)
  return chosen
}

// Chooses the TensorFlow.js compute backend once per process: a WebGPU device, CUDA, native CPU, wasm, then plain JS.
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as Ort from 'onnxruntime-node'
import { loadOrt } from '../onnx/ort'
import { registerWebGpu, webGpuDeviceName } from './webgpu'

/** Backends in the order we try them. */
export const BACKEND_ORDER = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_ORDER)[number]

/** What was chosen and why, for `pbas info`, logs and model metadata. */
export interface BackendInfo {
  name: BackendName
  /** tfjs' own backend id ('tensorflow', 'wasm', 'cpu'). */
  tfBackend: string
  gpu: boolean
  /** the device that computes: the WebGPU adapter's name, or 'CPU' */
  device: string
  /** One line per backend that was tried and skipped, with the reason. */
  skipped: string[]
  reason: string
}

// __filename exists in the CJS bundle; under vitest (ESM) fall back to import.meta.url.
const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))
let chosen: Promise<BackendInfo> | null = null
let settled: BackendInfo | null = null
let nodeGpu = false

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'webgpu': {
      const adapter = await registerWebGpu()
      if (!(await tf.setBackend('webgpu'))) throw new Error(`backend did not initialise on ${adapter.name}`)
      return 'webgpu'
    }
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
      nodeGpu = name === 'tfjs-node-gpu'
      const gpu = name === 'webgpu' || nodeGpu
      return { name, tfBackend, gpu, device: name === 'webgpu' ? webGpuDeviceName()! : nodeGpu ? 'CUDA GPU' : 'CPU', skipped, reason }
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
  if (!chosen) chosen = choose(preferred).then((info) => (settled = info))
  return chosen
}

/** True when the active tfjs backend computes on a GPU (then tfjs runs every operation, not onnxruntime's CPU kernels). */
export function computesOnGpu(): boolean {
  const b = tf.getBackend()
  return b === 'webgpu' || (b === 'tensorflow' && nodeGpu)
}

/**
 * onnxruntime for the engine's compute (backbone, training step, scoring), or null when a GPU backend does it:
 * one code path per operation on the GPU (tfjs), the multi-threaded CPU kernels otherwise.
 */
export function computeOrt(): typeof Ort | null {
  return computesOnGpu() ? null : loadOrt()
}

/** Which device computes and why the backends before it were skipped, as model.json and results files record it. */
export interface ComputeDevice {
  backend: string
  device: string
  gpu: boolean
  reason: string
  skipped: string[]
}

/** The device of the backend initBackend() chose, or of tfjs' active backend when none was chosen (tests, benches). */
export function computeDevice(): ComputeDevice {
  if (settled && settled.tfBackend === tf.getBackend()) return { backend: settled.name, device: settled.device, gpu: settled.gpu, reason: settled.reason, skipped: settled.skipped }
  const b = tf.getBackend()
  return { backend: b, device: b === 'webgpu' ? (webGpuDeviceName() ?? 'WebGPU') : 'CPU', gpu: computesOnGpu(), reason: `tfjs backend '${b}' set directly`, skipped: [] }
}

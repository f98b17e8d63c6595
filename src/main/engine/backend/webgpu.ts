// The WebGPU backend: Dawn (npm `webgpu`: Vulkan, D3D12 or Metal, any vendor, no CUDA) under tfjs-backend-webgpu.
import * as tf from '@tensorflow/tfjs'
// Imported before navigator.gpu exists (set below), so the package does not register its own 'webgpu' backend
// (priority 3, any adapter, software included); bundled with the rest so it shares tfjs' one engine.
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))

/** The adapter the backend runs on, as Dawn describes it. */
export interface WebGpuAdapter {
  /** Dawn's device id, then the driver's description: 'llvmpipe-llvm-15-0-6-256-bits (llvmpipe: Mesa 25.0.7 ...)' */
  name: string
  vendor: string
  architecture: string
  /** a CPU rasteriser (Mesa's llvmpipe/lavapipe, SwiftShader): correct, but slower than the CPU path */
  software: boolean
}

/** Set to 1 to accept a software adapter (tests and the software device check); a real run never wants one. */
export const SOFTWARE_ENV = 'PBAS_WEBGPU_SOFTWARE'

type Dawn = { create(flags: string[]): GPU; globals: Record<string, unknown> }
let registered: Promise<WebGpuAdapter> | null = null
let active: WebGpuAdapter | null = null

/** Dawn's binding: the package is ESM with a CommonJS-loadable entry (Node >= 20.19 requires ESM synchronously). */
function loadDawn(): Dawn {
  return req('webgpu') as Dawn
}

function describe(info: GPUAdapterInfo & { isFallbackAdapter?: boolean }): WebGpuAdapter {
  // Vulkan's description is the driver's ('NVIDIA: 580.x', 'llvmpipe: Mesa 25.0.7'); the device id names the chip.
  const device = (info.device ?? '').replace(/-+$/, '')
  const name = (device && info.description ? `${device} (${info.description})` : device || info.description) || `${info.vendor || 'unnamed'} adapter`
  const software = info.isFallbackAdapter === true || info.architecture === 'software' || /llvmpipe|lavapipe|swiftshader/i.test(name)
  return { name, vendor: info.vendor, architecture: info.architecture, software }
}

async function register(allowSoftware: boolean): Promise<WebGpuAdapter> {
  const dawn = loadDawn()
  // tfjs-backend-webgpu refers to GPUBufferUsage, GPUTexture... as globals, as a browser has them.
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v })
  const gpu = dawn.create([])
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) throw new Error('no WebGPU adapter: no Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver for a GPU here')
  // `info` is newer than the GPUAdapter type tfjs-backend-webgpu pins (@webgpu/types 0.1.38).
  const info = (adapter as GPUAdapter & { info: GPUAdapterInfo }).info
  const found = describe(info)
  if (found.software && !allowSoftware) throw new Error(`only a software adapter (${found.name}), slower than the CPU path; ${SOFTWARE_ENV}=1 uses it anyway`)
  const limits = adapter.limits
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    // The defaults cap storage buffers at 128 MiB; a WideResNet batch needs the adapter's real limits.
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  })
  // The backend refuses to start without navigator.gpu (Node 20 has no navigator; Node 22's has no gpu).
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GPU }
  try {
    if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true })
  } catch (err) {
    throw new Error(`cannot give tfjs navigator.gpu here (${(err as Error).message})`)
  }
  // Priority 0: registering must never make tfjs pick this backend by itself; select-backend decides.
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info), 0)
  active = found
  return found
}

/**
 * Finds a WebGPU adapter and registers tfjs' 'webgpu' backend on it (once per process). Rejects with one line
 * saying why when there is none, or only a software one and `allowSoftware` is false.
 */
export function registerWebGpu(allowSoftware = process.env[SOFTWARE_ENV] === '1'): Promise<WebGpuAdapter> {
  registered ??= register(allowSoftware)
  // A refused software adapter may be asked for again explicitly (tests): forget failures.
  registered.catch(() => (registered = null))
  return registered
}

/** The registered adapter's name ('(software)' appended for a software one), or null before registration. */
export function webGpuDeviceName(): string | null {
  return active && (active.software ? `${active.name} (software)` : active.name)
}

/** Bytes the webgpu backend holds on the device (its buffer pool included: the high-water mark of what it needed). */
export function webGpuBytes(): number {
  const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number }
  return m.numBytesAllocatedInGPU ?? 0
}

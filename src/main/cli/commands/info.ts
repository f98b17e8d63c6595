// `pbas info`: engine version, compute backend (and why), machine, data folder, stored weights.
import os from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../../engine/backend/select-backend'
import { describeWeights, listAvailableWeights } from '../../engine/backbone/available-weights'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { ENGINE_VERSION } from '../../engine/version'
import { loadOrt } from '../../engine/onnx/ort'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'

/** Runs `pbas info`. */
async function runInfo(args: ParsedArgs): Promise<number> {
  const backend = await initBackend()
  const dataDir = defaultDataDir()
  const info = {
    engineVersion: ENGINE_VERSION,
    backend: backend.name,
    tfBackend: backend.tfBackend,
    gpu: backend.gpu,
    device: backend.device,
    backendReason: backend.reason,
    skippedBackends: backend.skipped,
    wasmSimd: backend.name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined,
    onnxruntime: backend.gpu ? 'not used for compute: the GPU backend runs backbone, training and scoring' : loadOrt() ? `available: ResNet backbones, training and scoring run on it with ${Number(process.env.PBAS_THREADS) || os.cpus().length} threads` : 'not available (PBAS_ORT=0 or not installed): everything runs on the tfjs backend',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    dataDir,
    // Store first, then built in: the order in which a new run picks weights for an architecture.
    weights: (await listAvailableWeights(dataDir, defaultResourcesDir())).map((w) => ({ arch: w.arch, origin: w.origin, path: w.path, sha256: w.sha256, layers: w.layers })),
  }
  if (flagBool(args, 'json')) {
    console.log(JSON.stringify(info, null, 2))
    return 0
  }
  console.log(`PBAS Inspect engine ${info.engineVersion}`)
  console.log(`backend:   ${info.backend} (tfjs '${info.tfBackend}', ${info.gpu ? `GPU: ${info.device}` : 'CPU'}${info.wasmSimd ? ', SIMD' : ''}) — ${info.backendReason}`)
  for (const s of info.skippedBackends) console.log(`  skipped ${s}`)
  console.log(`onnxruntime: ${info.onnxruntime}`)
  console.log(`machine:   ${info.platform}, ${info.cpus} cores (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}`)
  console.log(`data dir:  ${info.dataDir}`)
  console.log(`weights:   ${info.weights.length ? info.weights.map((w) => `${describeWeights(w)}, to layer${w.layers}`).join('; ') : 'none (pbas backbone fetch|import)'}`)
  return 0
}

export const INFO_COMMAND = defineCommand({
  name: 'info',
  summary: 'engine version, compute backend (and why), machine, data folder, backbone weights (built in and stored)',
  options: { json: { type: 'boolean', description: 'print one JSON object instead of text' } },
  examples: ['pbas info', 'pbas info --json'],
  notes: ['Environment: PBAS_BACKEND (webgpu|tfjs-node-gpu|tfjs-node|wasm|cpu), PBAS_WEBGPU_SOFTWARE=1 (accept a software WebGPU adapter), PBAS_ORT=0 (no onnxruntime), PBAS_THREADS, PBAS_DATA_DIR.'],
  run: runInfo,
})

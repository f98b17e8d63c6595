// `pbas info`: engine version, compute backend (and why), machine, data folder, stored weights.
import os from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../../engine/backend/select-backend'
import { listStoredWeights } from '../../engine/backbone/weight-store'
import { ENGINE_VERSION } from '../../engine/version'
import { loadOrt } from '../../engine/onnx/ort'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, type ParsedArgs } from '../args'

export const INFO_HELP = 'pbas info [--json]   engine version, compute backend, machine and stored backbone weights'

/** Runs `pbas info`. */
export async function runInfo(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['json'])
  const backend = await initBackend()
  const dataDir = defaultDataDir()
  const info = {
    engineVersion: ENGINE_VERSION,
    backend: backend.name,
    tfBackend: backend.tfBackend,
    gpu: backend.gpu,
    backendReason: backend.reason,
    skippedBackends: backend.skipped,
    wasmSimd: backend.name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined,
    onnxruntime: loadOrt() ? `available: ResNet backbones, training and scoring run on it with ${Number(process.env.PBAS_THREADS) || os.cpus().length} threads` : 'not available (PBAS_ORT=0 or not installed): everything runs on the tfjs backend',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    dataDir,
    storedWeights: (await listStoredWeights(dataDir)).map((w) => ({ arch: w.arch, file: w.file, sha256: w.sha256, layers: w.layers })),
  }
  if (flagBool(args, 'json')) {
    console.log(JSON.stringify(info, null, 2))
    return 0
  }
  console.log(`PBAS Inspect engine ${info.engineVersion}`)
  console.log(`backend:   ${info.backend} (tfjs '${info.tfBackend}', ${info.gpu ? 'GPU' : 'CPU'}${info.wasmSimd ? ', SIMD' : ''}) — ${info.backendReason}`)
  for (const s of info.skippedBackends) console.log(`  skipped ${s}`)
  console.log(`onnxruntime: ${info.onnxruntime}`)
  console.log(`machine:   ${info.platform}, ${info.cpus} cores (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}`)
  console.log(`data dir:  ${info.dataDir}`)
  console.log(`weights:   ${info.storedWeights.length ? info.storedWeights.map((w) => `${w.arch} (${w.sha256.slice(0, 8)}, to layer${w.layers})`).join(', ') : 'none stored (pbas backbone fetch|import)'}`)
  return 0
}

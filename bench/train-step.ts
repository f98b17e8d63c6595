// Benchmark: ms per PBAS training step (batch 8 images of 256 px -> 8192 patch vectors), per runtime and width.
// Run with `npm run bench:train`; writes bench/results/train-step.json.
import { initBackend } from '../src/main/engine/backend/select-backend'
import { loadOrt } from '../src/main/engine/onnx/ort'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { createOrtStepper } from '../src/main/engine/pbas/ort-stepper'
import { createTfjsStepper } from '../src/main/engine/pbas/tfjs-stepper'
import { mulberry32 } from '../src/main/engine/util/random'
import { trackPeakMemory } from './machine-info'
import { benchMain } from './run-cases'

const P = 1024 // 32 x 32 patches: 256 px input, stride-8 first tap
const B = 8
const CASES = ['onnxruntime:1536:1024', 'onnxruntime:384:256', 'tfjs:1536:1024', 'tfjs:384:256']

async function runCase(spec: string): Promise<void> {
  const [runtime, d, h] = spec.split(':')
  const D = Number(d)
  const H = Number(h)
  await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const mem = trackPeakMemory()
  const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: H })
  const stepper = runtime === 'onnxruntime' ? await createOrtStepper(loadOrt()!, cfg, P) : createTfjsStepper(cfg, P)
  const rand = mulberry32(1)
  const fill = (n: number) => Float32Array.from({ length: n }, () => rand() * 2)
  stepper.setCentre(fill(P * D))
  const x = fill(B * P * D)
  await stepper.step(x, B * P, 0) // warm-up
  const times: number[] = []
  for (let i = 1; i <= Number(process.env.BENCH_STEPS ?? 5); i++) {
    const t = performance.now()
    await stepper.step(x, B * P, i)
    times.push(performance.now() - t)
  }
  stepper.dispose()
  const ms = times.reduce((a, b) => a + b, 0) / times.length
  console.log(JSON.stringify({
    runtime, D, H, batchImages: B, patchesPerImage: P, msPerStep: Math.round(ms), minMs: Math.round(Math.min(...times)),
    bottleEpochSeconds: Number(((ms * Math.ceil(209 / B)) / 1000).toFixed(1)), peakRssMiB: mem.stop(),
  }))
}

benchMain(__filename, CASES, runCase, {
  benchmark: 'train-step',
  command: 'npm run bench:train',
  what: 'one PBAS step (projector, nearest-centre matching over 1024 centre rows, AFS, discriminator on normal+synthetic, backward, Adam/AdamW) on 8 images x 1024 patches; bottleEpochSeconds = 27 steps (MVTec bottle, 209 images). Features are cached, so an epoch is only steps.',
  reference: 'official PyTorch code, ResNet18, measured on a machine like this one (issue 13, not in this run): 4.19 s per step, 109 s per epoch (re-extracts backbone features every epoch), peak 1.45 GB; for a same-machine limit see bench/results/roofline.json',
})

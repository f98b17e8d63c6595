// Roofline section: one onnxruntime training step (8 images x 1024 patches, D 1536, H 1024, 1024 centre rows).
import type * as Ort from 'onnxruntime-node'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { HostAdam } from '../src/main/engine/pbas/host-adam'
import { createOrtStepper } from '../src/main/engine/pbas/ort-stepper'
import { stepGemms } from '../src/main/engine/pbas/step-graph'
import { mulberry32 } from '../src/main/engine/util/random'
import { best, gemmFlops, gemmProbe, interleaved, roofline, round, timed, type Timing } from './gemm-roofline'

export const STEP_SHAPE = { images: 8, patches: 1024, D: 1536, H: 1024, P: 1024 }

/** Random features in [-1, 1) (the step's cost does not depend on the values). */
export function randomFeatures(n: number, seed: number): Float32Array {
  const r = mulberry32(seed)
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1
  return a
}

/** Measures the step against its own products; also the share of host-side Adam in it. */
export async function stepSection(ort: typeof Ort, reps: number): Promise<Record<string, unknown>> {
  const { images, patches, D, H, P } = STEP_SHAPE
  const N = images * patches
  const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: H })
  const stepper = await createOrtStepper(ort, cfg, P)
  stepper.setCentre(randomFeatures(P * D, 1))
  const x = randomFeatures(N * D, 2)
  const shapes = stepGemms(N, D, H, P)
  const probes = await Promise.all(shapes.map((s) => gemmProbe(ort, s)))
  let seed = 0
  const m = await interleaved(probes, [() => stepper.step(x, N, ++seed)], reps)
  const step = m.workloads[0]
  const roof = roofline(probes, m.probes)
  stepper.dispose()
  await Promise.all(probes.map((p) => p.release()))
  const adam = await hostAdamTime(D, H, reps)
  const flops = gemmFlops(shapes)
  const nominal = flops + 2 * N * D * H // the issue's count: du as two products
  return {
    shape: { ...STEP_SHAPE, rows: N },
    what: 'createOrtStepper().step(): feeds, the step graph (forward, losses, gradients), gradients out, host Adam/AdamW and BN running statistics',
    gflop: round(flops / 1e9, 1),
    issueCountGflop: round(nominal / 1e9, 1),
    bestMs: round(step.wallMs, 1),
    bestCpuMs: round(step.cpuMs, 1),
    achievedGflopsPerSecond: round(flops / step.wallMs / 1e6, 1),
    rooflineGflopsPerSecond: round(roof.gflopsPerSecond, 1),
    rooflineMs: round(roof.wallMs, 1),
    fraction: round(roof.wallMs / step.wallMs),
    cpuFraction: round(roof.cpuMs / step.cpuMs),
    hostAdamMs: round(adam.wallMs, 1),
    products: roof.perShape,
  }
}

/** Host Adam over the step's parameter sizes (projector Adam + discriminator AdamW). */
async function hostAdamTime(D: number, H: number, reps: number): Promise<Timing> {
  const sizes = [[D * D, D], [D * H, H, H, H, H]]
  const params = sizes.map((s) => s.map((n, i) => randomFeatures(n, 10 + i)))
  const grads = sizes.map((s) => s.map((n, i) => randomFeatures(n, 20 + i)))
  const opts = [new HostAdam(params[0], { lr: 1e-4, weightDecay: 1e-5, decoupled: false }), new HostAdam(params[1], { lr: 2e-4, weightDecay: 1e-2, decoupled: true })]
  let t: Timing | null = null
  for (let r = 0; r < reps; r++) t = best(t, await timed(async () => opts.forEach((o, i) => o.apply(grads[i]))))
  return t!
}

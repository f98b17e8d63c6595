// Roofline section: training epochs as `pbas train` runs them (features streamed from the disk cache per batch).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as Ort from 'onnxruntime-node'
import { DiskFeatureCache } from '../src/main/engine/features/feature-cache'
import { StreamedFeatures } from '../src/main/engine/features/streamed-features'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { stepGemms } from '../src/main/engine/pbas/step-graph'
import { trainPbas } from '../src/main/engine/pipeline/train'
import { gemmFlops, gemmProbe, interleaved, roofline, round } from './gemm-roofline'
import { randomFeatures, STEP_SHAPE } from './roofline-step'

/** MVTec bottle's good training images: 27 steps of 8 (the last one holds a single image). */
const IMAGES = 209

/** Trains one epoch `ROOFLINE_EPOCHS` times (default 2, after a warm-up) on synthetic features in a temp disk cache; the best counts. */
export async function epochSection(ort: typeof Ort): Promise<Record<string, unknown>> {
  const { patches: P, D, H, images: B } = STEP_SHAPE
  const per = P * D
  const dir = await mkdtemp(join(tmpdir(), 'pbas-roofline-epoch-'))
  try {
    const cache = new DiskFeatureCache(dir)
    const keys = Array.from({ length: IMAGES }, (_, i) => `img${i}`)
    const block = randomFeatures(per, 3)
    for (const [i, k] of keys.entries()) {
      block[0] = i // distinct files, same cost
      await cache.set(k, block)
    }
    const source = new StreamedFeatures(cache, keys, per, async () => {
      throw new Error('the synthetic cache was damaged during the benchmark')
    })
    const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: H, batchSize: B, epochs: 1 })
    const probes = await Promise.all(stepGemms(B * P, D, H, P).map((s) => gemmProbe(ort, s)))
    // One-epoch trainings alternating with the probes (after a warm-up one); the epoch's time is the
    // training history's (no centre initialisation).
    const seconds: number[] = []
    const m = await interleaved(probes, [async () => seconds.push((await trainPbas({ train: source, patches: P, config: cfg })).history[0].seconds)], Number(process.env.ROOFLINE_EPOCHS ?? 2))
    seconds.shift() // the warm-up epoch
    const roof = roofline(probes, m.probes)
    await Promise.all(probes.map((p) => p.release()))
    const full = Math.floor(IMAGES / B)
    const rest = IMAGES - full * B
    const flops = full * gemmFlops(stepGemms(B * P, D, H, P)) + (rest ? gemmFlops(stepGemms(rest * P, D, H, P)) : 0)
    const bestS = Math.min(...seconds)
    const limitS = flops / roof.gflopsPerSecond / 1e9
    return {
      what: `trainPbas epochs over ${IMAGES} images (MVTec bottle's count) of synthetic ${P}x${D} features streamed from a disk cache per batch (the OS page cache holds them after the first epoch); ${Math.ceil(IMAGES / B)} steps, batch ${B}, H ${H}; the epoch's time from the training history (no centre initialisation, no validation)`,
      images: IMAGES,
      steps: Math.ceil(IMAGES / B),
      epochSeconds: seconds,
      gflop: round(flops / 1e9, 1),
      bestSeconds: bestS,
      achievedGflopsPerSecond: round(flops / bestS / 1e9, 1),
      rooflineGflopsPerSecond: round(roof.gflopsPerSecond, 1),
      rooflineSeconds: round(limitS, 2),
      fraction: round(limitS / bestS),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

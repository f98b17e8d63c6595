// Roofline section: inference (PbasModel.predict from image files: decode, fused model, scores, heat maps).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type * as Ort from 'onnxruntime-node'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { loadImage } from '../src/main/engine/image/preprocess'
import type { ModelMeta } from '../src/main/engine/model/model-file'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { disposeParams, exportParams, initParams } from '../src/main/engine/pbas/params'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { bothOrientations, fasterOfPairs, gemmFlops, gemmProbe, interleaved, resnetConvGemms, roofline, round, type GemmShape } from './gemm-roofline'

const SIZE = 256
const BATCH = 8
/** Large products that show the machine's matrix-multiply limit (the training step's projector shape, and a cube). */
const REFERENCE: GemmShape[] = [
  { name: 'reference 8192x1536 x 1536x1536', m: 8192, n: 1536, k: 1536 },
  { name: 'reference 2048 cube', m: 2048, n: 2048, k: 2048 },
]

/** The products of one batch through the fused model: backbone convolutions, then the head's convolutions. */
function inferenceGemms(model: PbasModel): GemmShape[] {
  const b = model.backbone
  const taps = model.extractor.taps
  const H = model.meta.config.discHidden
  const p2 = model.meta.config.patchSize ** 2
  const last = Math.max(...taps.map((t) => b.taps.indexOf(t)))
  const head = taps.map((t) => ({ name: `head 3x3 conv on ${t}`, m: H, k: b.channels[t] * p2, n: BATCH * (SIZE / b.strides[t]) ** 2 }))
  const grid = SIZE / b.strides[taps[0]]
  return [...resnetConvGemms(b.folded!, SIZE, last, BATCH), ...head, { name: 'head 1x1 conv to score', m: 1, k: H, n: BATCH * grid * grid }]
}

/** Measures predict() on real images against the products of the model it runs. */
export async function inferenceSection(ort: typeof Ort, shared: string, resourcesDir: string, dataDir: string, reps: number): Promise<Record<string, unknown>> {
  const r18 = join(shared, 'backbones/resnet18_imagenet_to_layer3')
  const spec = existsSync(r18) ? r18 : 'random:resnet18'
  const backbone = await loadBackbone(spec, { dataDir, resourcesDir })
  const cfg = resolveConfig({ backbone: spec, imageSize: SIZE, resize: SIZE })
  const params = initParams(cfg.targetDim, cfg.discHidden, 0)
  const arrays = { ...(await exportParams(params)), centre: { shape: [1, cfg.targetDim], data: new Float32Array(cfg.targetDim) } }
  disposeParams(params)
  const meta = { config: cfg, grid: SIZE / 8, backbone: { taps: ['layer2', 'layer3'] }, thresholds: { band: { review: 0.5, fail: 0.9 } } } as unknown as ModelMeta
  const model = PbasModel.fromParts(meta, backbone, arrays)
  const path = await model.inferencePath()
  const ds = await readDataset(join(shared, 'datasets/mvtec_bottle'))
  const batches = Math.max(1, Math.floor(Number(process.env.ROOFLINE_IMAGES ?? 32) / BATCH))
  const paths = ds.samples.filter((s) => s.split === 'test').slice(0, batches * BATCH).map((s) => s.path)
  const perBatch = inferenceGemms(model)
  const shapes = perBatch.map((s) => ({ ...s, count: (s.count ?? 1) * batches }))
  const pairs = bothOrientations(shapes)
  const probes = await Promise.all([...pairs, ...REFERENCE].map((s) => gemmProbe(ort, s)))
  const decoded = await Promise.all(paths.map((p) => loadImage(p, model.preprocess)))
  const m = await interleaved(probes, [
    () => model.predict(paths, {}, BATCH),
    async () => {
      for (let i = 0; i < decoded.length; i += BATCH) await model.predictPrepared(decoded.slice(i, i + BATCH))
    },
  ], reps)
  const [endToEnd, modelOnly] = m.workloads
  const faster = fasterOfPairs(probes.slice(0, pairs.length), m.probes.slice(0, pairs.length))
  const convRoof = roofline(faster.probes, faster.timings)
  // onnxruntime's direct (NCHWc) convolutions beat their own im2col products, so the limit is the higher of
  // the model's products as GEMMs (summed) and the large reference products: the best sustained rate in this
  // run. (Single small products are not candidates: one lucky millisecond would set the limit.)
  const rate = (i: number, t: 'wallMs' | 'cpuMs') => gemmFlops([{ ...probes[i].shape, count: 1 }]) / m.probes[i][t] / 1e6
  const refs = REFERENCE.map((_, k) => pairs.length + k)
  const candidates = [{ name: 'the model\'s products as GEMMs', wall: convRoof.gflopsPerSecond, cpu: convRoof.flops / convRoof.cpuMs / 1e6 }, ...refs.map((i) => ({ name: probes[i].shape.name, wall: rate(i, 'wallMs'), cpu: rate(i, 'cpuMs') }))]
  const peak = Math.max(...candidates.map((c) => c.wall))
  const peakCpu = Math.max(...candidates.map((c) => c.cpu))
  const best = candidates.find((c) => c.wall === peak)!.name
  model.dispose()
  await Promise.all(probes.map((p) => p.release()))
  const flops = gemmFlops(shapes)
  const limitMs = flops / peak / 1e6
  const frac = (ms: number) => round(limitMs / ms)
  return {
    what: `PbasModel.predict on ${paths.length} MVTec bottle test images (PNG files, ${SIZE} px, batch ${BATCH}): decoding overlapped with compute, ResNet18 to layer3 with E_phi, projector and discriminator fused into one onnxruntime graph, image scores and ${SIZE}x${SIZE} smoothed heat maps. Random head weights (same cost as trained ones).`,
    roofline: 'the best sustained matrix-multiply rate onnxruntime reached in this run: the model\'s convolutions as im2col products (faster orientation of each, summed; listed under convolutionsAsGemm) or a large reference product (referenceProducts), whichever is higher',
    backbone: spec.startsWith('random:') ? 'resnet18 (random weights, same cost)' : 'resnet18 (ImageNet)',
    inferencePath: path,
    images: paths.length,
    gflopPerImage: round(gemmFlops(perBatch) / BATCH / 1e9, 2),
    bestMs: round(endToEnd.wallMs, 1),
    imagesPerSecond: round((paths.length * 1000) / endToEnd.wallMs, 2),
    achievedGflopsPerSecond: round(flops / endToEnd.wallMs / 1e6, 1),
    rooflineGflopsPerSecond: round(peak, 1),
    rooflineShape: best,
    rooflineMs: round(limitMs, 1),
    fraction: frac(endToEnd.wallMs),
    cpuFraction: round(flops / peakCpu / 1e6 / endToEnd.cpuMs),
    modelOnly: {
      what: 'predictPrepared on already decoded images (no file reading or decoding)',
      bestMs: round(modelOnly.wallMs, 1),
      imagesPerSecond: round((paths.length * 1000) / modelOnly.wallMs, 2),
      achievedGflopsPerSecond: round(flops / modelOnly.wallMs / 1e6, 1),
      fraction: frac(modelOnly.wallMs),
    },
    convolutionsAsGemm: { gflopsPerSecond: round(convRoof.gflopsPerSecond, 1), ms: round(convRoof.wallMs, 1), products: convRoof.perShape },
    referenceProducts: REFERENCE.map((s, k) => ({ ...s, bestMs: round(m.probes[pairs.length + k].wallMs, 2), gflopsPerSecond: round(rate(pairs.length + k, 'wallMs'), 1) })),
  }
}

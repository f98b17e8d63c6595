// `pbas demo`: the built-in default job; offline, deterministic, a few minutes on a 2-core CPU.
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir, loadBackbone } from '../../engine/backbone/load-backbone'
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import { readDataset } from '../../engine/data/read-dataset'
import { chooseDemoBackbone } from '../../engine/demo/choose-backbone'
import { DEFAULT_SYNTHETIC, writeSyntheticProduct } from '../../engine/demo/synthetic-product'
import { extractFeatures } from '../../engine/features/extract-features'
import { MemoryFeatureCache } from '../../engine/features/feature-cache'
import { FeatureExtractor } from '../../engine/features/feature-extractor'
import { defaultDataDir } from '../../engine/util/data-dir'
import { writeFileAtomic } from '../../engine/util/atomic-write'
import { allowOnly, flagBool, flagInt, flagString, type ParsedArgs } from '../args'
import { ProgressView } from '../progress-view'

export const DEMO_HELP = 'pbas demo [--out DIR] [--image-size S] [--json]   synthetic product -> data check -> E_phi features'

/** Runs the demo and writes DIR/summary.json. */
export async function runDemo(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['out', 'image-size', 'json'])
  const json = flagBool(args, 'json')
  const view = new ProgressView(json)
  const log = (s: string) => (json ? undefined : console.log(s))
  const dataDir = defaultDataDir()
  const out = flagString(args, 'out') ?? join(dataDir, 'demo')
  const size = flagInt(args, 'image-size', 128, 32, 1024)
  const backend = await initBackend()
  log(`compute backend: ${backend.name} (${backend.reason})`)
  const dataset = join(out, 'product')
  await rm(dataset, { recursive: true, force: true })
  await mkdir(dataset, { recursive: true })
  log(`1/3 generating a synthetic product (textured discs with scratches and dents) in ${dataset}`)
  await writeSyntheticProduct(dataset, DEFAULT_SYNTHETIC, { onProgress: (e) => view.show(e) })
  log('2/3 checking the data set')
  const summary = await checkDataset(dataset)
  log(formatSummary(summary))
  const resources = defaultResourcesDir()
  const choice = await chooseDemoBackbone(dataDir, join(resources, '..'), backend.gpu)
  log(`3/3 extracting PBAS patch features E_phi with backbone ${choice.spec}\n    why: ${choice.why}`)
  const backbone = await loadBackbone(choice.spec, { dataDir, resourcesDir: resources })
  const extractor = new FeatureExtractor(backbone)
  const ds = await readDataset(dataset)
  const preprocess = { resize: size, crop: size, fit: 'crop' as const }
  const res = await extractFeatures(
    { paths: ds.samples.map((s) => s.path), extractor, preprocess, cache: new MemoryFeatureCache() },
    { onProgress: (e) => view.show(e) },
  )
  backbone.dispose()
  const result = {
    dataset,
    backend: backend.name,
    backbone: choice.spec,
    backboneReason: choice.why,
    imagenetWeights: choice.imagenet,
    images: res.features.length,
    patchGrid: res.grid,
    featureDim: res.dim,
    seconds: Number(res.seconds.toFixed(2)),
    imagesPerSecond: Number((res.features.length / res.seconds).toFixed(2)),
    note: 'PBAS training and evaluation run here once the training engine lands (issue: PBAS training and inference).',
  }
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(result, null, 2) + '\n')
  if (json) console.log(JSON.stringify(result))
  else log(`done: ${result.images} images -> ${res.grid}x${res.grid} patches x ${res.dim}-d features at ${result.imagesPerSecond} images/s; summary in ${join(out, 'summary.json')}`)
  return 0
}

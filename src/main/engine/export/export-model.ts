// `pbas export` and the app's Export button: a model folder -> model.onnx + model.json + README.md, verified.
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { BackboneContext } from '../backbone/load-backbone'
import { computeGeometry, type Geometry } from '../../../shared/image/geometry'
import { networkBatch, type PreparedImage } from '../image/preprocess'
import { tileGrid } from '../image/tiles'
import { tiledMapOperators } from '../pbas/tiled-map'
import { createSession, loadOrt } from '../onnx/ort'
import { PbasModel } from '../pipeline/predict'
import { throwIfCancelled, type JobOptions } from '../util/job'
import { mulberry32 } from '../util/random'
import { replaceDirAtomic } from '../util/atomic-write'
import { checkOutputFolder, type ProtectedFolder } from '../util/output-guard'
import { buildExportGraph, EXPORT_IO } from './export-graph'
import { exportMeta, exportReadme, type ExportMeta, type ExportVerification } from './export-meta'

/** A model that cannot be exported, or a target folder that would lose someone's files; the message says what to do. */
export class ExportError extends Error {}

export type { ExportProgress } from '../../../shared/models/progress'
import type { ExportProgress } from '../../../shared/models/progress'

/** What to export and where. */
export interface ExportInput {
  model: string
  out: string
  backbone: BackboneContext
  /** replace a non-empty `out` that is not an earlier export (`pbas export --force`); never the model folder */
  force?: boolean
  /** folders `out` may never be, lie in or contain besides the model (the workspace) */
  protect?: readonly ProtectedFolder[]
}

/** The folder written and what it holds. */
export interface ExportResult {
  dir: string
  files: { onnx: string; json: string; readme: string }
  meta: ExportMeta
}

const FILES = ['model.onnx', 'model.json', 'README.md']

/** One deterministic smooth input square no camera made. */
function probeSquare(size: number, seed: number): Float32Array {
  const rand = mulberry32(seed)
  const [a, b, c] = [rand() * 6, rand() * 6, rand() * 6]
  const data = new Float32Array(size * size * 3)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let ch = 0; ch < 3; ch++) data[(y * size + x) * 3 + ch] = 0.5 + 0.35 * Math.sin((a + ch) * (x / size) * 3 + b * (y / size) * 3 + c) * (0.7 + 0.3 * rand())
  return data
}

/** A few test images, so verification needs no data set; a tiled model's probes are photos of its size, a probe square per tile. */
function probeImages(model: PbasModel, n: number): PreparedImage[] {
  const S = model.meta.config.imageSize
  const t = model.meta.tiling
  // The probes stand for photos of the size the model is made for (its tiles, its region's mask), else input squares.
  const photo = model.photoSize ?? { width: S, height: S }
  const geometry: Geometry = computeGeometry(photo.width, photo.height, model.preprocess)
  return Array.from({ length: n }, (_, k) => {
    const tiles = t ? { grid: tileGrid(photo.width, photo.height, t.side), data: new Float32Array(t.tiles * S * S * 3) } : undefined
    for (let j = 0; j < (t?.tiles ?? 0); j++) tiles!.data.set(probeSquare(S, 5000 + 100 * k + j), j * S * S * 3)
    return { path: `probe-${k}`, data: probeSquare(S, 1000 + k), size: S, originalWidth: photo.width, originalHeight: photo.height, geometry, tiles }
  })
}

/** Runs the graph and the engine on the same inputs; the largest differences are written into model.json. */
async function verify(model: PbasModel, graph: Uint8Array): Promise<ExportVerification | null> {
  const ort = loadOrt()
  if (!ort) return null
  const S = model.meta.config.imageSize
  const images = probeImages(model, 2)
  const session = await createSession(ort, graph)
  try {
    const x = networkBatch(images)
    const out = await session.run({ [EXPORT_IO.input]: new ort.Tensor('float32', x.data, [x.count, S, S, 3]) })
    const scores = out[EXPORT_IO.score].data as Float32Array
    const maps = out[EXPORT_IO.map].data as Float32Array
    const engine = await model.predictPrepared(images)
    let ds = 0
    let dm = 0
    engine.forEach((p, i) => {
      ds = Math.max(ds, Math.abs(p.score - scores[i]))
      for (let j = 0; j < S * S; j++) dm = Math.max(dm, Math.abs(p.map[j] - maps[i * S * S + j]))
    })
    return { images: images.length, maxScoreDifference: ds, maxMapDifference: dm, enginePath: await model.inferencePath() }
  } finally {
    await session.release()
  }
}

/** True when a folder holds exactly an earlier export (its model.json says so): replacing it deletes nothing of the user's. */
async function isEarlierExport(dir: string, names: string[]): Promise<boolean> {
  if (!names.every((n) => FILES.includes(n)) || !names.includes('model.json')) return false
  const meta: unknown = await readFile(join(dir, 'model.json'), 'utf8').then(JSON.parse, () => null)
  return !!meta && typeof meta === 'object' && Reflect.get(meta, 'format') === 'pbas-inspect-onnx'
}

/** How the export folder may be chosen: `force` replaces a foreign folder, never a protected one (the model itself). */
export interface ExportTarget {
  force?: boolean
  protect?: readonly ProtectedFolder[]
}

/** Exports a model already loaded (the app's worker, tests); see {@link exportModel}. */
export async function exportLoadedModel(model: PbasModel, out: string, opts: JobOptions<ExportProgress> = {}, target: ExportTarget = {}): Promise<ExportResult> {
  const dir = resolve(out)
  await checkOutputFolder(dir, { option: '--out', writes: 'an ONNX export', isOwn: isEarlierExport, ...target }).catch((err: Error) => {
    throw new ExportError(err.message)
  })
  const fp = await model.fusedParts()
  if ('unsupported' in fp) throw new ExportError(`This model cannot be exported to ONNX: ${fp.unsupported}.`)
  opts.onProgress?.({ kind: 'stage', stage: 'graph', message: 'building the ONNX graph (backbone, E_phi folded into the head, score and map)' })
  const c = model.meta.config
  const { band } = model.meta.thresholds
  const t = model.meta.tiling
  const tiled = t ? tiledMapOperators(tileGrid(t.photoWidth, t.photoHeight, t.side), model.meta.grid, c.imageSize, c.smoothSigma) : undefined
  const graph = buildExportGraph(fp.parts, { size: c.imageSize, grid: model.meta.grid, sigma: c.smoothSigma, mask: model.regionMask(), tiled }, {
    'pbas.engine_version': model.meta.engineVersion,
    'pbas.threshold_review': String(band.review),
    'pbas.threshold_fail': String(band.fail),
    'pbas.backbone': `${model.meta.backbone.id} sha256:${model.meta.backbone.weightsChecksum}`,
    'pbas.preprocessing': t ? `tile: ${t.tiles} tiles of ${t.side} px per ${t.photoWidth} x ${t.photoHeight} photo, each resized to ${c.imageSize}; see model.json` : `${c.fit} resize ${c.resize} crop ${c.imageSize}; see model.json`,
  })
  throwIfCancelled(opts.signal)
  opts.onProgress?.({ kind: 'stage', stage: 'verify', message: 'checking the graph against the engine' })
  const verification = await verify(model, graph)
  if (verification && (verification.maxScoreDifference > 1e-4 || verification.maxMapDifference > 1e-4))
    throw new ExportError(`the exported graph differs from the engine by ${verification.maxScoreDifference.toExponential(2)} (score) / ${verification.maxMapDifference.toExponential(2)} (map); nothing was written. Please report this.`)
  throwIfCancelled(opts.signal)
  opts.onProgress?.({ kind: 'stage', stage: 'write', message: `writing ${dir}` })
  const meta = exportMeta(model, { sha256: createHash('sha256').update(graph).digest('hex'), bytes: graph.byteLength }, verification)
  await replaceDirAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'model.onnx'), graph)
    await writeFile(join(tmp, 'model.json'), JSON.stringify(meta, null, 2) + '\n')
    await writeFile(join(tmp, 'README.md'), exportReadme(meta))
  })
  return { dir, files: { onnx: join(dir, 'model.onnx'), json: join(dir, 'model.json'), readme: join(dir, 'README.md') }, meta }
}

/** Loads a model folder and exports it into `out` (created, or replacing an earlier export there; other folders are refused). */
export async function exportModel(input: ExportInput, opts: JobOptions<ExportProgress> = {}): Promise<ExportResult> {
  opts.onProgress?.({ kind: 'stage', stage: 'load', message: `loading ${input.model}` })
  const model = await PbasModel.load(input.model, input.backbone)
  try {
    return await exportLoadedModel(model, input.out, opts, { force: input.force, protect: [{ path: input.model, what: 'the model being exported' }, ...(input.protect ?? [])] })
  } finally {
    model.dispose()
  }
}

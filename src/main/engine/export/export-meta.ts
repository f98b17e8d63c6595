// model.json of an export: everything the line's software needs to feed the graph and read its outputs.
import type { PbasModel } from '../pipeline/predict'
import type { Fit } from '../../../shared/image/geometry'
import { ENGINE_VERSION } from '../version'
import type { InspectionRegion } from '../../../shared/image/region'
import { EXPORT_IO } from './export-graph'
import { tileLayout, type Tile } from '../image/tiles'

/** Bumped when a field of the export's model.json changes meaning. */
export const EXPORT_FORMAT_VERSION = 1

/** How exported and engine outputs compared when the export was written. */
export interface ExportVerification {
  images: number
  maxScoreDifference: number
  maxMapDifference: number
  /** what the engine side ran ('fused-onnx' or 'steps') */
  enginePath: string
}

/** The export's model.json. */
export interface ExportMeta {
  format: 'pbas-inspect-onnx'
  formatVersion: number
  engineVersion: string
  exportedAt: string
  model: { createdAt: string; selection: { rule: string; epoch: number } }
  file: { name: 'model.onnx'; sha256: string; bytes: number; opset: 17; irVersion: 8 }
  input: { name: string; dtype: 'float32'; shape: ['n' | 'n_tiles', number, number, 3]; layout: 'NHWC'; channels: 'RGB'; range: [0, 1] }
  preprocessing: { fit: Fit; resize: number; crop: number; rule: string }
  /** a tiled model: the photo size it scores and its tiles in photo pixels, in input order; null: one square per photo */
  tiling: { photoWidth: number; photoHeight: number; side: number; tiles: Tile[]; rule: string } | null
  /** applied inside the graph: x' = (x - mean) / std per channel */
  normalisation: { insideGraph: true; mean: number[]; std: number[] }
  outputs: { name: string; dtype: 'float32'; shape: (string | number)[]; meaning: string }[]
  /** the region the graph inspects (a constant patch mask inside the graph, made for photos of imageWidth x imageHeight); null: the whole photo */
  region: (InspectionRegion & { rule: string }) | null
  anomalyMap: { patchGrid: number; upsampling: string; smoothing: { sigma: number; truncate: 4; mode: 'reflect (scipy.ndimage)' } }
  thresholds: {
    band: { review: number; fail: number }
    rule: string
    default: { mode: string; value: number; achieved: number }
    source: string
    /** score range heat maps are drawn over (typical good patch to the fail level) */
    mapRange: { lo: number; hi: number }
  }
  backbone: { id: string; weightsSha256: string; taps: string[] }
  dataset: { fingerprint: string; category?: string; trainImages: number; validationImages: number }
  verification: ExportVerification | null
}

/** The preprocessing the engine applies before the graph, in words (the graph expects its result). */
export function preprocessingRule(fit: Fit, resize: number, crop: number): string {
  const decode = 'Decode the file, apply its EXIF orientation, convert to 8-bit or 16-bit RGB (alpha dropped, grey and CMYK converted), '
  const scale = ' Scale to [0, 1] (value / 255, or / 65535 for 16-bit) and lay out as [height, width, RGB].'
  const kernel = 'bilinear interpolation, antialiased when shrinking (PIL/torchvision-style)'
  if (fit === 'crop')
    return decode + `resize so the shorter side is ${resize} px and the longer one ${resize} x long/short truncated to an integer (torchvision Resize(${resize})), with ${kernel}, then crop the centre ${crop} x ${crop} (offsets (size - ${crop}) / 2 rounded half to even, as torchvision CenterCrop).` + scale
  if (fit === 'tile')
    return decode + `cut the photo into model.json's tiles (x, y, w, h in photo pixels, in their order) and resize each to ${crop} x ${crop} ignoring the aspect ratio, with ${kernel}; the input holds every tile of a photo, one photo after another.` + scale
  if (fit === 'pad')
    return decode + `resize so the longer side is ${crop} px (the shorter one rounded), with ${kernel}, then pad with black to ${crop} x ${crop}, centred (the extra pixel of an odd padding goes right/bottom).` + scale
  return decode + `resize to ${crop} x ${crop} ignoring the aspect ratio, with ${kernel}.` + scale
}

/** Builds model.json from the model, the written graph and the verification run. */
export function exportMeta(model: PbasModel, file: { sha256: string; bytes: number }, verification: ExportVerification | null): ExportMeta {
  const m = model.meta
  const c = m.config
  const S = c.imageSize
  const t = m.tiling
  const { band } = m.thresholds
  return {
    format: 'pbas-inspect-onnx',
    formatVersion: EXPORT_FORMAT_VERSION,
    engineVersion: ENGINE_VERSION,
    exportedAt: new Date().toISOString(),
    model: { createdAt: m.createdAt, selection: m.selection },
    file: { name: 'model.onnx', ...file, opset: 17, irVersion: 8 },
    input: { name: EXPORT_IO.input, dtype: 'float32', shape: [t ? 'n_tiles' : 'n', S, S, 3], layout: 'NHWC', channels: 'RGB', range: [0, 1] },
    preprocessing: { fit: c.fit, resize: c.resize, crop: S, rule: preprocessingRule(c.fit, c.resize, S) },
    tiling: t
      ? {
          photoWidth: t.photoWidth, photoHeight: t.photoHeight, side: t.side, tiles: tileLayout(t.photoWidth, t.photoHeight, t.side),
          rule: `Each ${t.photoWidth} x ${t.photoHeight} photo is ${t.tiles} overlapping tiles (n_tiles = ${t.tiles} x photos). The graph stitches the tiles' maps (feathered overlaps) onto the whole photo and resamples it to ${S} x ${S} (the photo stretched); the score is the highest patch score over every tile. Photos of another size need another model.`,
        }
      : null,
    normalisation: { insideGraph: true, mean: [...model.backbone.inputNorm.mean], std: [...model.backbone.inputNorm.std] },
    outputs: [
      { name: EXPORT_IO.score, dtype: 'float32', shape: ['n'], meaning: 'image anomaly score: the highest patch score (0..1, higher = more anomalous)' },
      { name: EXPORT_IO.map, dtype: 'float32', shape: ['n', S, S], meaning: t ? 'pixel anomaly map over the whole photo (stretched to the map size), in score units' : 'pixel anomaly map over the preprocessed input, in score units' },
    ],
    region: m.region
      ? { ...m.region, rule: `Ignored patches score 0 inside the graph (a constant ${t ? `${t.tiles} x ` : ''}${m.grid} x ${m.grid} mask${t ? ', one per tile' : ''}, made for ${m.region.imageWidth} x ${m.region.imageHeight} photos; photos of another size need the mask recomputed, as PBAS Inspect does).` }
      : null,
    anomalyMap: {
      patchGrid: m.grid,
      upsampling: `bilinear from ${m.grid} x ${m.grid} patches to ${S} x ${S}, half-pixel centres (torch align_corners=False)`,
      smoothing: { sigma: c.smoothSigma, truncate: 4, mode: 'reflect (scipy.ndimage)' },
    },
    thresholds: {
      band,
      rule: `pass if score < ${band.review}; review if ${band.review} <= score < ${band.fail}; fail if score >= ${band.fail}`,
      default: m.thresholds.default,
      source: m.thresholds.source,
      mapRange: model.mapRange,
    },
    backbone: { id: m.backbone.id, weightsSha256: m.backbone.weightsChecksum, taps: m.backbone.taps },
    dataset: { fingerprint: m.dataset.fingerprint, category: m.dataset.category, trainImages: m.dataset.trainImages, validationImages: m.dataset.validationImages },
    verification,
  }
}

/** The README example's input for one photo under the 'crop' rule. */
const CROP_INPUT = `  const S = meta.input.shape[1]
  // The preprocessing in model.json (this is the 'crop' rule; follow model.json's text for 'pad' or 'stretch').
  const m = await sharp(file).metadata()
  const [width, height] = (m.orientation ?? 1) >= 5 ? [m.height, m.width] : [m.width, m.height]
  const r = meta.preprocessing.resize
  const [w, h] = width <= height ? [r, Math.trunc((r * height) / width)] : [Math.trunc((r * width) / height), r]
  const px = await sharp(file).rotate()
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .extract({ left: roundHalfEven((w - S) / 2), top: roundHalfEven((h - S) / 2), width: S, height: S })
    .removeAlpha().toColourspace('srgb').raw().toBuffer()
  const x = Float32Array.from(px, (v) => v / 255)`

/** The README example's input for one photo of a tiled model: its tiles, in model.json's order. */
const TILED_INPUT = `  const S = meta.input.shape[1]
  // A tiled model: every tile of model.json, cut from the oriented photo and resized to S x S, one after another.
  const x = new Float32Array(meta.tiling.tiles.length * S * S * 3)
  for (const [k, t] of meta.tiling.tiles.entries()) {
    const px = await sharp(file).rotate()
      .extract({ left: t.x, top: t.y, width: t.w, height: t.h })
      .resize(S, S, { fit: 'fill', kernel: 'linear' })
      .removeAlpha().toColourspace('srgb').raw().toBuffer()
    x.set(Float32Array.from(px, (v) => v / 255), k * S * S * 3)
  }`

/** README.md of the export: what is inside and a Node example with onnxruntime-node. */
export function exportReadme(meta: ExportMeta): string {
  const S = meta.input.shape[1]
  const { review, fail } = meta.thresholds.band
  return `# PBAS Inspect model export

\`model.onnx\` (ONNX opset 17) scores preprocessed part images: input \`${meta.input.name}\` float32
[${meta.input.shape[0]}, ${S}, ${S}, 3], RGB in [0, 1] (NHWC); ImageNet normalisation runs inside the graph. Outputs:
\`${EXPORT_IO.score}\` [n] (image score) and \`${EXPORT_IO.map}\` [n, ${S}, ${S}] (smoothed anomaly map over the input).
\`model.json\` holds the preprocessing rule, the thresholds, the map's colour range, the backbone and
its weights' checksum, the data set fingerprint and the engine version. No training images or features
are included.

Preprocessing: ${meta.preprocessing.rule}

Verdict: ${meta.thresholds.rule}.
${meta.tiling ? `\nTiles: ${meta.tiling.rule}\n` : ''}${meta.region ? `\nRegion: only part of each photo is inspected (model.json \`region\`). ${meta.region.rule}\n` : ''}${meta.verification ? `\nWhen exported, the graph reproduced PBAS Inspect's own scores on ${meta.verification.images} test inputs to ${meta.verification.maxScoreDifference.toExponential(1)} (score) and ${meta.verification.maxMapDifference.toExponential(1)} (map).\n` : ''}
## Node example (\`npm install onnxruntime-node sharp\`)

\`\`\`js
const ort = require('onnxruntime-node')
const sharp = require('sharp')
const meta = require('./model.json')

// Python's round(): halves to the even neighbour, as torchvision's CenterCrop.
const roundHalfEven = (v) => (v % 1 === 0.5 ? (Math.floor(v) % 2 === 0 ? Math.floor(v) : Math.ceil(v)) : Math.round(v))

async function inspect(file) {
${meta.tiling ? TILED_INPUT : CROP_INPUT}
  const session = await ort.InferenceSession.create(__dirname + '/model.onnx')
  const out = await session.run({ ${meta.input.name}: new ort.Tensor('float32', x, [x.length / (S * S * 3), S, S, 3]) })
  const score = out.${EXPORT_IO.score}.data[0]
  const map = out.${EXPORT_IO.map}.data // S * S values, row-major
  const { review, fail } = meta.thresholds.band // ${review} / ${fail}
  return { score, verdict: score >= fail ? 'fail' : score >= review ? 'review' : 'pass', map }
}

inspect(process.argv[2]).then((r) => console.log(r.verdict, r.score.toFixed(4)))
\`\`\`

Create the session once and reuse it for every part; batches of several images (n > 1) are faster per image.
`
}

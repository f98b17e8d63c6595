// `pbas train`: data set -> model folder, with a live progress line (TTY) or JSON lines (--json).
import { readRegularFile } from '../../engine/util/file-policy'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { DEFAULT_CONFIG, PRESETS, resolveConfig } from '../../engine/pbas/config'
import { runTrainingPipeline } from '../../engine/pipeline/train-pipeline'
import { readModelMeta } from '../../engine/model/model-file'
import type { TrainRunProgress } from '../../../shared/models/progress'
import { describeThresholds, formatMetrics } from '../describe'
import { defaultDataDir, defaultWorkspaceDir } from '../../engine/util/data-dir'
import { flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args'
import { groupByProblem } from '../../engine/data/hold-out-groups'
import { CATEGORY_OPTION } from '../common-options'
import { defineCommand } from '../command-spec'
import { formatDuration, ProgressView } from '../progress-view'
import { readRegionFile } from '../../engine/image/read-region'

/** Renders training progress: one redrawn line per step, one line per epoch. */
export function trainProgressPrinter(json: boolean): (e: TrainRunProgress) => void {
  const view = new ProgressView(json)
  const tty = process.stderr.isTTY
  return (e) => {
    if (json) return view.show(e)
    switch (e.kind) {
      case 'stage':
        return void console.error(e.message)
      case 'warning':
        return void console.error(`warning: ${e.message}`)
      case 'progress':
        return view.show(e)
      case 'step': {
        const s = e.stats
        const done = ((e.epoch - 1) * e.steps + e.step) / (e.epochs * e.steps)
        const bar = '[' + '#'.repeat(Math.round(done * 20)).padEnd(20, '.') + ']'
        const line = `${bar} epoch ${e.epoch}/${e.epochs} step ${e.step}/${e.steps}  L_c ${s.lossC.toFixed(4)}  L_n ${s.lossN.toFixed(4)}  L_a ${s.lossA.toFixed(4)}  p_true ${s.pTrue.toFixed(2)}  p_fake ${s.pFake.toFixed(2)}  ETA ${formatDuration(e.etaSeconds)}`
        if (tty) process.stderr.write('\r' + line.padEnd(132))
        return
      }
      case 'epoch': {
        const m = e.means
        if (tty) process.stderr.write('\r'.padEnd(133) + '\r')
        console.error(`epoch ${e.epoch}/${e.epochs} (${e.seconds.toFixed(0)} s): L_c ${m.lossC.toFixed(4)} L_n ${m.lossN.toFixed(4)} L_a ${m.lossA.toFixed(4)} p_true ${m.pTrue.toFixed(3)} p_fake ${m.pFake.toFixed(3)}${e.validation !== null ? ` val ${e.validation.toFixed(4)}` : ''}  ETA ${formatDuration(e.etaSeconds)}`)
        return
      }
      case 'centre':
        if (e.done === e.total) console.error(`centre initialised over ${e.total} batches`)
        return
      case 'checkpoint':
        return
      case 'resumed':
        return void console.error(`resuming after epoch ${e.epoch} of ${e.epochs} (checkpoint written ${e.at ?? 'earlier'}); --restart trains from the start`)
    }
  }
}

/** Runs `pbas train`. */
async function runTrain(args: ParsedArgs): Promise<number> {
  const data = flagString(args, 'data')!
  const out = flagString(args, 'out')!
  const preset = flagString(args, 'preset') ?? DEFAULT_PRESET
  const file = flagString(args, 'config')
  const fromFile: Record<string, unknown> = file ? JSON.parse((await readRegularFile(file, 'json')).toString('utf8')) : {}
  const size = flagString(args, 'image-size') ? flagInt(args, 'image-size', 256, 32, 2048) : undefined
  const vs = flagString(args, 'validation-share')
  const config = resolveConfig(PRESETS[preset], fromFile, {
    backbone: flagString(args, 'backbone'),
    epochs: flagString(args, 'epochs') ? flagInt(args, 'epochs', 1) : undefined,
    imageSize: size,
    resize: size,
    fit: flagString(args, 'fit'),
    tileSide: flagString(args, 'tile-side') ? flagInt(args, 'tile-side', 0, 0) : undefined,
    seed: flagString(args, 'seed') ? flagInt(args, 'seed', 0, 0) : undefined,
    validationShare: vs === undefined ? undefined : Number(vs),
  })
  const json = flagBool(args, 'json')
  const groupBy = flagString(args, 'group-by') ?? 'auto'
  const groupProblem = groupByProblem(groupBy)
  if (groupProblem) throw new UsageError(groupProblem)
  const regionFile = flagString(args, 'region')
  const region = regionFile ? await readRegionFile(regionFile) : undefined
  const backend = await initBackend()
  if (!json) console.error(`compute backend: ${backend.name} (${backend.reason}); backbone ${config.backbone}`)
  const ac = new AbortController()
  process.once('SIGINT', () => ac.abort())
  const result = await runTrainingPipeline(
    {
      data, category: flagString(args, 'category'), out, config, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() },
      backendName: backend.name, gpu: backend.gpu, featureCacheDir: flagString(args, 'feature-cache'), groupBy, reviewDir: flagString(args, 'review'), restart: flagBool(args, 'restart'),
      force: flagBool(args, 'force'), region, protect: [{ path: defaultWorkspaceDir(), what: "PBAS Inspect's workspace" }],
    },
    { signal: ac.signal, onProgress: trainProgressPrinter(json) },
  )
  const meta = await readModelMeta(out)
  const summary = {
    model: out, epochs: meta.history.length, selectedEpoch: meta.selection.epoch, selectionRule: meta.selection.rule, stopped: meta.stop?.message ?? null, trainingSeconds: meta.trainingSeconds,
    threshold: meta.thresholds.default.value, calibration: meta.thresholds.calibration ?? null, metrics: result.metrics ?? null, review: flagString(args, 'review') ?? null,
  }
  if (json) console.log(JSON.stringify({ kind: 'done', ...summary }))
  else {
    console.log(`model written to ${out} (${meta.selection.rule}); training took ${formatDuration(meta.trainingSeconds)}`)
    if (meta.stop) console.log(`training ${meta.stop.message}`)
    console.log(describeThresholds(meta))
    if (result.metrics) console.log(`test split (never used for selection): ${formatMetrics(result.metrics)}`)
    if (summary.review) console.log(`review of the test split written to ${summary.review}`)
  }
  return 0
}

const D = DEFAULT_CONFIG
/**
 * Without --preset, `pbas train` uses the app's first-run preset: ResNet18 with its built-in ImageNet weights, so
 * the plain command trains on an offline machine; the paper's WideResNet50-2 needs `pbas backbone fetch` first.
 */
const DEFAULT_PRESET = 'quick'
const fromPreset = (k: 'backbone' | 'epochs' | 'imageSize' | 'fit') =>
  `${PRESETS[DEFAULT_PRESET][k] ?? D[k]} (--preset ${DEFAULT_PRESET}; ${Object.entries(PRESETS).filter(([n]) => n !== DEFAULT_PRESET).map(([n, p]) => `--preset ${n}: ${p[k] ?? D[k]}`).join(', ')}), or the config file's`
/** `key=default` for every config key, wrapped, so `--help` itself says what a --config file may hold. */
const configKeys = (() => {
  const lines: string[] = []
  let line = ' '
  for (const [k, v] of Object.entries({ ...D, ...PRESETS[DEFAULT_PRESET] })) {
    const item = ` ${k}=${v === null ? 'null' : String(v)}`
    if (line.length + item.length > 100) [lines[lines.length], line] = [line, ' ']
    line += item
  }
  return [...lines, line]
})()

export const TRAIN_COMMAND = defineCommand({
  name: 'train',
  summary: "train a PBAS model on a data set's good training images and write the model folder",
  options: {
    data: { type: 'string', value: 'DIR', required: true, description: 'data set folder (MVTec AD, MPDD, VisA or plain layout; see `pbas dataset check`)' },
    out: { type: 'string', value: 'MODEL', required: true, description: 'model folder to write: new, empty, or an earlier model (replaced); its checkpoint goes to MODEL.checkpoint' },
    force: { type: 'boolean', description: 'replace a --out folder that holds other files (never the data set or the workspace)' },
    category: CATEGORY_OPTION,
    preset: { type: 'string', choices: Object.keys(PRESETS), description: 'quick: ResNet18 (ImageNet weights built in, works offline) at 256 px, a quarter of the patches per step, until the held-out scores settle (at most 16 epochs); paper: WideResNet50-2 at 288 px, 640 epochs (needs `pbas backbone fetch wide_resnet50_2` and a GPU)', defaultText: `${DEFAULT_PRESET}` },
    config: { type: 'string', value: 'cfg.json', description: 'JSON object with any of the config keys listed below; it overrides the preset, and flags override it', defaultText: 'none' },
    backbone: { type: 'string', value: 'NAME|PATH', description: 'resnet18 | resnet50 | wide_resnet50_2 (stored or built-in weights), a weight file, a tfjs model folder, or random:ARCH', defaultText: fromPreset('backbone') },
    epochs: { type: 'integer', min: 1, description: 'training epochs', defaultText: fromPreset('epochs') },
    'image-size': { type: 'integer', value: 'S', min: 32, max: 2048, description: 'network input size in pixels (how a photo becomes S x S inputs: --fit)', defaultText: fromPreset('imageSize') },
    fit: { type: 'string', choices: ['crop', 'pad', 'stretch', 'tile'], description: 'crop: shorter side to S, centre crop (drops the ends of wide photos); pad: longer side to S, padded; stretch: both sides to S; tile: overlapping tiles of --tile-side photo pixels at S px each (the photo\'s own resolution by default; one pass per tile; every photo of the model must have one size)', defaultText: fromPreset('fit') },
    'tile-side': { type: 'integer', value: 'PX', min: 0, description: 'with --fit tile: tile side in photo pixels (0: S, the photo\'s own resolution)', defaultText: '0' },
    seed: { type: 'integer', value: 'K', min: 0, description: 'seed of every random choice (training is deterministic for a given runtime)', defaultText: String(D.seed) },
    'validation-share': { type: 'number', value: 'F', min: 0, max: 0.89, description: 'share of good images held out; the model is then the epoch with the lowest validation loss', defaultText: `${D.validationShare} (the final epoch is the model)` },
    'group-by': { type: 'string', value: 'HOW', description: 'hold out whole groups of good images for calibration, so held-out images differ from the training ones as a new session\'s parts do: folder (sub-folders), name:REGEX (first capture group of the file name), time:MINUTES (capture sessions split at gaps longer than this), none, or auto (folder when the good images sit in two or more folders)', defaultText: 'auto' },
    region: { type: 'string', value: 'FILE', description: 'inspect only part of each photo: a mask image of the photos\' size (white = inspect, black = ignore) or a JSON region {"imageWidth", "imageHeight", "inspect": [shapes], "ignore": [shapes]} with {"type": "rect", "x", "y", "width", "height"} or {"type": "polygon", "points": [[x, y], ...]} in photo pixels; ignored areas are never trained on and score 0', defaultText: 'the whole photo' },
    'feature-cache': { type: 'string', value: 'DIR', description: 'cache the frozen features here and keep them for the next run (they stream from disk per batch either way)', defaultText: 'MODEL.features, removed after success' },
    review: { type: 'string', value: 'DIR', description: "write the test split's review here (scores, heat maps, masks, review.json), as the app does", defaultText: 'none; test metrics are still printed' },
    restart: { type: 'boolean', description: 'discard the checkpoint of an earlier, interrupted run with the same --out and train from the start' },
    json: { type: 'boolean', description: 'one JSON object per line (progress, then {"kind":"done",...}) instead of the live line' },
  },
  examples: ['pbas train --data ~/data/mvtec/bottle --out bottle-model', 'pbas train --data ~/data/mvtec/bottle --out bottle-paper --preset paper', 'pbas train --data ./part-17 --out part-17-model --backbone resnet18 --epochs 40 --validation-share 0.1'],
  notes: [
    'Ctrl-C cancels; the same command again resumes from the last checkpoint (it says so); --restart starts over.',
    'By default 20 % of the good images (at least 8, at most a quarter) are held out to calibrate the thresholds; the model states the false-reject rate they can promise.',
    '',
    `config keys (--config cfg.json), with their values under --preset ${DEFAULT_PRESET}:`,
    ...configKeys,
  ],
  run: runTrain,
})

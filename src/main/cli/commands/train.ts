// `pbas train`: data set -> model folder, with a live progress line (TTY) or JSON lines (--json).
import { readFile } from 'node:fs/promises'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { DEFAULT_CONFIG, PRESETS, resolveConfig } from '../../engine/pbas/config'
import { trainModel, type TrainModelProgress } from '../../engine/pbas/train-model'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagInt, flagString, type ParsedArgs } from '../args'
import { CATEGORY_OPTION } from '../common-options'
import { defineCommand } from '../command-spec'
import { formatDuration, ProgressView } from '../progress-view'

/** Renders training progress: one redrawn line per step, one line per epoch. */
export function trainProgressPrinter(json: boolean): (e: TrainModelProgress) => void {
  const view = new ProgressView(json)
  const tty = process.stderr.isTTY
  return (e) => {
    if (json) return view.show(e)
    switch (e.kind) {
      case 'stage':
        return void console.error(e.message)
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
    }
  }
}

/** Runs `pbas train`. */
async function runTrain(args: ParsedArgs): Promise<number> {
  const data = flagString(args, 'data')!
  const out = flagString(args, 'out')!
  const preset = flagString(args, 'preset')
  const file = flagString(args, 'config')
  const fromFile = file ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>) : {}
  const size = flagString(args, 'image-size') ? flagInt(args, 'image-size', 256, 32, 2048) : undefined
  const vs = flagString(args, 'validation-share')
  const config = resolveConfig(preset ? PRESETS[preset] : {}, fromFile, {
    backbone: flagString(args, 'backbone'),
    epochs: flagString(args, 'epochs') ? flagInt(args, 'epochs', 1) : undefined,
    imageSize: size,
    resize: size,
    seed: flagString(args, 'seed') ? flagInt(args, 'seed', 0, 0) : undefined,
    validationShare: vs === undefined ? undefined : Number(vs),
  })
  const json = flagBool(args, 'json')
  const backend = await initBackend()
  if (!json) console.error(`compute backend: ${backend.name} (${backend.reason}); backbone ${config.backbone}`)
  const ac = new AbortController()
  process.once('SIGINT', () => ac.abort())
  const meta = await trainModel(
    { data, category: flagString(args, 'category'), out, config, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir(), seed: config.seed }, backendName: backend.name, gpu: backend.gpu, featureCacheDir: flagString(args, 'feature-cache') },
    { signal: ac.signal, onProgress: trainProgressPrinter(json) },
  )
  const summary = { model: out, epochs: meta.history.length, selectedEpoch: meta.selection.epoch, selectionRule: meta.selection.rule, trainingSeconds: meta.trainingSeconds, threshold: meta.thresholds.default.value }
  console.log(json ? JSON.stringify({ kind: 'done', ...summary }) : `model written to ${out} (${meta.selection.rule}); training took ${formatDuration(meta.trainingSeconds)}`)
  return 0
}

const D = DEFAULT_CONFIG
const fromPreset = (k: 'backbone' | 'epochs' | 'imageSize') => `${D[k]}; ${Object.entries(PRESETS).map(([n, p]) => `--preset ${n}: ${p[k]}`).join(', ')}; or the config file's`

export const TRAIN_COMMAND = defineCommand({
  name: 'train',
  summary: "train a PBAS model on a data set's good training images and write the model folder",
  options: {
    data: { type: 'string', value: 'DIR', required: true, description: 'data set folder (MVTec AD, MPDD, VisA or plain layout; see `pbas dataset check`)' },
    out: { type: 'string', value: 'MODEL', required: true, description: 'model folder to write (its checkpoint goes to MODEL.checkpoint)' },
    category: CATEGORY_OPTION,
    preset: { type: 'string', choices: Object.keys(PRESETS), description: 'quick: ResNet18 (built in) at 256 px, 16 epochs; paper: WideResNet50-2 at 288 px, 640 epochs', defaultText: "none: the paper's settings" },
    config: { type: 'string', value: 'cfg.json', description: 'JSON with any PBAS setting (keys in src/main/engine/pbas/config.ts); flags override it', defaultText: 'none' },
    backbone: { type: 'string', value: 'NAME|PATH', description: 'resnet18 | resnet50 | wide_resnet50_2 (stored or built-in weights), a weight file, a tfjs model folder, or random:ARCH', defaultText: fromPreset('backbone') },
    epochs: { type: 'integer', min: 1, description: 'training epochs', defaultText: fromPreset('epochs') },
    'image-size': { type: 'integer', value: 'S', min: 32, max: 2048, description: 'network input size in pixels (the shorter side is resized to S, then centre-cropped)', defaultText: fromPreset('imageSize') },
    seed: { type: 'integer', value: 'K', min: 0, description: 'seed of every random choice (training is deterministic for a given runtime)', defaultText: String(D.seed) },
    'validation-share': { type: 'number', value: 'F', min: 0, max: 0.89, description: 'share of good images held out; the model is then the epoch with the lowest validation loss', defaultText: `${D.validationShare} (the final epoch is the model)` },
    'feature-cache': { type: 'string', value: 'DIR', description: 'keep frozen features on disk here instead of in memory', defaultText: 'in memory' },
    json: { type: 'boolean', description: 'one JSON object per line (progress, then {"kind":"done",...}) instead of the live line' },
  },
  examples: ['pbas train --data ~/data/mvtec/bottle --out bottle-model --preset quick', 'pbas train --data ./part-17 --out part-17-model --backbone resnet18 --epochs 40 --validation-share 0.1'],
  notes: ['Ctrl-C cancels; the same command again resumes from the last checkpoint.'],
  run: runTrain,
})

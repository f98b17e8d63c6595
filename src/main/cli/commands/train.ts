// `pbas train`: data set -> model folder, with a live progress line (TTY) or JSON lines (--json).
import { readRegularFile } from '../../engine/util/file-policy'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { PRESETS, resolveConfig } from '../../engine/pbas/config'
import { runTrainingPipeline } from '../../engine/pipeline/train-pipeline'
import type { TrainRunProgress } from '../../../shared/models/progress'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args'
import { formatDuration, ProgressView } from '../progress-view'
import { readModelMeta } from '../../engine/model/model-file'
import { describeThresholds, formatMetrics } from '../describe'

export const TRAIN_HELP =
  'pbas train --data DIR [--category C] --out MODEL [--config cfg.json] [--preset quick|paper] [--backbone NAME|PATH]\n' +
  '           [--epochs N] [--image-size S] [--seed K] [--validation-share F] [--feature-cache DIR] [--review DIR] [--restart] [--json]'

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
        return void console.error(`resuming from epoch ${e.epoch} of ${e.epochs} (checkpoint written ${e.at ?? 'earlier'}); --restart trains from the start`)
    }
  }
}

/** Runs `pbas train`. */
export async function runTrain(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['data', 'category', 'out', 'config', 'preset', 'backbone', 'epochs', 'image-size', 'seed', 'validation-share', 'feature-cache', 'review', 'restart', 'json'])
  const data = flagString(args, 'data')
  const out = flagString(args, 'out')
  if (!data || !out) throw new UsageError('--data and --out are required\n' + TRAIN_HELP)
  const preset = flagString(args, 'preset')
  if (preset && !PRESETS[preset]) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`)
  const file = flagString(args, 'config')
  const fromFile: Record<string, unknown> = file ? JSON.parse((await readRegularFile(file, 'json')).toString('utf8')) : {}
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
  const result = await runTrainingPipeline(
    {
      data, category: flagString(args, 'category'), out, config, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() },
      backendName: backend.name, gpu: backend.gpu, featureCacheDir: flagString(args, 'feature-cache'), reviewDir: flagString(args, 'review'), restart: flagBool(args, 'restart'),
    },
    { signal: ac.signal, onProgress: trainProgressPrinter(json) },
  )
  const meta = await readModelMeta(out)
  const summary = {
    model: out, epochs: meta.history.length, selectedEpoch: meta.selection.epoch, selectionRule: meta.selection.rule, trainingSeconds: meta.trainingSeconds,
    threshold: meta.thresholds.default.value, calibration: meta.thresholds.calibration ?? null, metrics: result.metrics ?? null, review: flagString(args, 'review') ?? null,
  }
  if (json) console.log(JSON.stringify({ kind: 'done', ...summary }))
  else {
    console.log(`model written to ${out} (${meta.selection.rule}); training took ${formatDuration(meta.trainingSeconds)}`)
    console.log(describeThresholds(meta))
    if (result.metrics) console.log(`test split (never used for selection): ${formatMetrics(result.metrics)}`)
    if (summary.review) console.log(`review of the test split written to ${summary.review}`)
  }
  return 0
}

// `pbas eval`: the five metrics and images/s of a model on a data set's test split.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { evaluateModel, reportedMetrics } from '../../engine/pbas/evaluate-model'
import { PbasModel } from '../../engine/pbas/predict'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { ProgressView } from '../progress-view'

export const EVAL_HELP = 'pbas eval --model MODEL --data DIR [--category C] [--json]'

const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(2))

/** Runs `pbas eval`. */
export async function runEval(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['model', 'data', 'category', 'json'])
  const modelDir = flagString(args, 'model')
  const data = flagString(args, 'data')
  if (!modelDir || !data) throw new UsageError('--model and --data are required\n' + EVAL_HELP)
  const json = flagBool(args, 'json')
  await initBackend()
  const model = await PbasModel.load(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
  try {
    const view = new ProgressView(false)
    const ev = await evaluateModel(model, data, flagString(args, 'category'), { onProgress: json ? undefined : (e) => view.show(e) })
    const out = reportedMetrics(ev)
    if (json) console.log(JSON.stringify(out))
    else {
      console.log(`I-AUROC ${pct(ev.image_auroc)}  I-AP ${pct(ev.image_ap)}  P-AUROC ${pct(ev.pixel_auroc)}  P-AP ${pct(ev.pixel_ap)}  PRO ${pct(ev.pixel_pro)}`)
      console.log(`${ev.images} test images at ${ev.images_per_second.toFixed(2)} images/s; model selection: ${model.meta.selection.rule}`)
      if (ev.f1Threshold) console.log(`F1-max threshold ${ev.f1Threshold.value.toFixed(4)} (F1 ${ev.f1Threshold.achieved.toFixed(3)}); model's default threshold ${model.meta.thresholds.default.value.toFixed(4)} (${model.meta.thresholds.source})`)
    }
    return 0
  } finally {
    model.dispose()
  }
}

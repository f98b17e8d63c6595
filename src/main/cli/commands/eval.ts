// `pbas eval`: the five metrics, the figures that matter at the line, and images/s of a model on a test split.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { evaluateModel, reportedMetrics } from '../../engine/pbas/evaluate-model'
import { withModel } from '../../engine/pipeline/review-pipeline'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { ProgressView } from '../progress-view'
import { describeThresholds, formatMetrics } from '../describe'

export const EVAL_HELP = 'pbas eval --model MODEL --data DIR [--category C] [--json]'

/** Runs `pbas eval`. */
export async function runEval(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['model', 'data', 'category', 'json'])
  const modelDir = flagString(args, 'model')
  const data = flagString(args, 'data')
  if (!modelDir || !data) throw new UsageError('--model and --data are required\n' + EVAL_HELP)
  const json = flagBool(args, 'json')
  await initBackend()
  return withModel(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }, async (model) => {
    const view = new ProgressView(false)
    const ev = await evaluateModel(model, data, flagString(args, 'category'), { onProgress: json ? undefined : (e) => view.show(e) })
    if (json) console.log(JSON.stringify(reportedMetrics(ev)))
    else {
      console.log(formatMetrics(reportedMetrics(ev)))
      console.log(`${ev.images} test images at ${ev.images_per_second.toFixed(2)} images/s; model selection: ${model.meta.selection.rule}`)
      console.log(describeThresholds(model.meta))
      if (ev.f1Threshold) console.log(`F1-max threshold on this test split ${ev.f1Threshold.value.toFixed(4)} (F1 ${ev.f1Threshold.achieved.toFixed(3)}; chosen with test labels, for comparison only)`)
      if (ev.scored.maskProblems.length) console.log(`pixel metrics leave out ${ev.scored.maskProblems.length} defective image(s) without a usable mask, e.g. ${ev.scored.maskProblems[0].path}: ${ev.scored.maskProblems[0].message}`)
    }
    return 0
  })
}

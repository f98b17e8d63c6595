// `pbas eval`: the five metrics, the figures that matter at the line, and images/s of a model on a test split.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { evaluateModel, reportedMetrics } from '../../engine/pipeline/evaluate-model'
import { withModel } from '../../engine/pipeline/review-pipeline'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { CATEGORY_OPTION, MODEL_OPTION } from '../common-options'
import { defineCommand } from '../command-spec'
import { ProgressView } from '../progress-view'
import { describeThresholds, formatMetrics } from '../describe'

/** Runs `pbas eval`. */
async function runEval(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  const data = flagString(args, 'data')!
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
      if (ev.drift?.shifted)
        console.log(`warning: this test split's good parts score higher than the ${ev.drift.calibrationImages} calibration images (Mann-Whitney p = ${ev.drift.pValue.toPrecision(2)}), so the stated false-reject bound may not hold for them; recalibrate on good parts like these (pbas calibrate)`)
      if (ev.scored.maskProblems.length) console.log(`pixel metrics leave out ${ev.scored.maskProblems.length} defective image(s) without a usable mask, e.g. ${ev.scored.maskProblems[0].path}: ${ev.scored.maskProblems[0].message}`)
    }
    return 0
  })
}

export const EVAL_COMMAND = defineCommand({
  name: 'eval',
  summary: "a model's I-AUROC, I-AP, P-AUROC, P-AP, PRO, false rejects and defect recall at its threshold, and images/s on a test split",
  options: {
    model: MODEL_OPTION,
    data: { type: 'string', value: 'DIR', required: true, description: 'data set folder with a labelled test split' },
    category: CATEGORY_OPTION,
    json: { type: 'boolean', description: 'print image_auroc, image_ap, pixel_auroc, pixel_ap, pixel_pro, images_per_second, then false_reject_rate, defect_recall (at the model\'s threshold) and tpr_at_1pct_fpr as JSON' },
  },
  examples: ['pbas eval --model bottle-model --data ~/data/mvtec/bottle'],
  run: runEval,
})

// `pbas eval`: the five metrics and images/s of a model on a data set's test split.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { evaluateModel, reportedMetrics } from '../../engine/pbas/evaluate-model'
import { PbasModel } from '../../engine/pbas/predict'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { CATEGORY_OPTION } from '../common-options'
import { defineCommand } from '../command-spec'
import { ProgressView } from '../progress-view'

const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(2))

/** Runs `pbas eval`. */
async function runEval(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  const data = flagString(args, 'data')!
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

export const EVAL_COMMAND = defineCommand({
  name: 'eval',
  summary: "a model's I-AUROC, I-AP, P-AUROC, P-AP, PRO and images/s on a data set's test split",
  options: {
    model: { type: 'string', value: 'MODEL', required: true, description: 'model folder written by `pbas train`' },
    data: { type: 'string', value: 'DIR', required: true, description: 'data set folder with a labelled test split' },
    category: CATEGORY_OPTION,
    json: { type: 'boolean', description: 'print exactly image_auroc, image_ap, pixel_auroc, pixel_ap, pixel_pro, images_per_second as JSON' },
  },
  examples: ['pbas eval --model bottle-model --data ~/data/mvtec/bottle'],
  run: runEval,
})

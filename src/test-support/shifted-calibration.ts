// Test support: a model whose line has moved: its training revision rewritten from calibration scores well below the given parts.
import { join } from 'node:path'
import { PbasModel } from '../main/engine/pipeline/predict'
import { readModelMeta, updateModelMeta } from '../main/engine/model/model-file'
import { calibrateThresholds } from '../main/engine/calibration/calibrate'
import { logit, sigmoid } from '../shared/calibration/tail-level'
import type { BackboneContext } from '../main/engine/backbone/load-backbone'

/**
 * Rewrites revision 1 from 10 stand-in hold-out scores whose logits lie 1 to 6 below the lowest of `parts`'
 * scores: the parts then score above every calibration image and, with the tail model's reach, short of
 * the fail level, so a station sends them to review (as a later capture session's good parts would go).
 */
export async function shiftCalibrationBelow(modelDir: string, parts: string[], ctx: BackboneContext, dir: string): Promise<void> {
  const model = await PbasModel.load(modelDir, ctx)
  const low = Math.min(...(await model.predict(parts)).map((p) => logit(p.score)))
  model.dispose()
  const images = Array.from({ length: 10 }, (_, i) => ({ path: join(dir, `held-out-${i}.png`), score: Math.fround(sigmoid(low - 6 + (5 * i) / 9)) }))
  const meta = await readModelMeta(modelDir)
  const t = calibrateThresholds(Float32Array.from(images.map((x) => x.score)), meta.config, '10 held-out good images (never trained on)')
  await updateModelMeta(modelDir, { ...meta, thresholds: { ...meta.thresholds, ...t }, calibrations: { active: 1, revisions: [{ id: 1, createdAt: new Date().toISOString(), by: 'training', calibration: t.calibration!, images }] } })
}

// `pbas calibrate`: new thresholds for a model from a folder of good parts, without retraining; list and pick revisions.
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { recalibrate, RecalibrationRefused, revisionInfo, selectRevision } from '../../engine/pipeline/recalibrate'
import { readDataset } from '../../engine/data/read-dataset'
import { listImages } from '../../engine/data/list-files'
import { readModelMeta } from '../../engine/model/model-file'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { describeThresholds, pct } from '../describe'
import { ProgressView } from '../progress-view'
import { MODEL_OPTION } from '../common-options'

/** Test-split images of the model's own data set: they never calibrate (they would flatter the model). */
export async function testSplit(root: string, category?: string): Promise<string[]> {
  if (!existsSync(root)) return []
  const ds = await readDataset(root, { category }).catch(() => null)
  return ds ? ds.samples.filter((s) => s.split === 'test').map((s) => s.path) : []
}

/** Runs `pbas calibrate`. */
async function runCalibrate(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  const json = flagBool(args, 'json')
  if (flagBool(args, 'list')) {
    const meta = await readModelMeta(modelDir)
    const revs = meta.calibrations?.revisions ?? []
    if (json) console.log(JSON.stringify({ active: meta.calibrations?.active ?? null, revisions: revs.map(revisionInfo) }))
    else if (!revs.length) console.log(`${modelDir} has no calibration revisions (its thresholds come from ${meta.thresholds.source})`)
    else for (const r of revs) console.log(`${r.id === meta.calibrations?.active ? '*' : ' '} ${r.id}  ${r.createdAt}  by ${r.by}  ${r.calibration.images} images  fail bound ${pct(r.calibration.fail.bound, 1)} %  (${r.calibration.source})`)
    return 0
  }
  if (args.flags.has('use')) {
    const meta = await selectRevision(modelDir, flagInt(args, 'use', 1, 1))
    console.log(json ? JSON.stringify(meta.thresholds) : describeThresholds(meta))
    return 0
  }
  const dir = args.positional[0]
  if (!dir) throw new UsageError('a folder of good parts is required (or --list, or --use N)')
  const images = await listImages(dir).catch(() => {
    throw new UsageError(`${dir} is not a folder of images; give the folder that holds good parts the model has not trained on`)
  })
  const meta = await readModelMeta(modelDir)
  await initBackend()
  const view = new ProgressView(json)
  const listRefused = (refused: { path: string; reason: string }[]) => {
    for (const r of refused.slice(0, 10)) console.error(`left out ${r.path}: ${r.reason}`)
    if (refused.length > 10) console.error(`... and ${refused.length - 10} more left out`)
  }
  let outcome
  try {
    outcome = await recalibrate(
      { modelDir, images, by: process.env.PBAS_REVIEWER || userInfo().username, from: `good images in ${dir}`, exclude: await testSplit(meta.dataset.root, meta.dataset.category), replace: flagBool(args, 'replace') },
      { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() },
      { onProgress: (e) => view.show(e) },
    )
  } catch (err) {
    if (err instanceof RecalibrationRefused && !json) listRefused(err.refused)
    throw err
  }
  const { revision, refused } = outcome
  if (json) console.log(JSON.stringify({ revision: revisionInfo(revision), refused }))
  else {
    listRefused(refused)
    console.log(`calibration revision ${revision.id} is now active (weights unchanged)`)
    console.log(describeThresholds(await readModelMeta(modelDir)))
  }
  return 0
}

export const CALIBRATE_COMMAND = defineCommand({
  name: 'calibrate',
  summary: "new pass/review/fail thresholds for a model from good parts it never saw, without retraining; list or pick revisions",
  positionals: '[DIR]',
  positionalCount: [0, 1],
  options: {
    model: MODEL_OPTION,
    replace: { type: 'boolean', description: "calibrate on DIR's images only (by default the good images held out at training stay in the set)" },
    list: { type: 'boolean', description: 'list the calibration revisions (* marks the active one)' },
    use: { type: 'integer', min: 1, value: 'N', description: 'make revision N the one the model decides with', defaultText: 'the newest' },
    json: { type: 'boolean', description: 'print JSON instead of text' },
  },
  examples: ['pbas calibrate --model bottle-model ~/line/confirmed-good', 'pbas calibrate --model bottle-model --list', 'pbas calibrate --model bottle-model --use 1'],
  notes: [
    'Only model.json changes (a new revision, with who, when and which images); the weights stay byte for byte the same.',
    "Images the model trained on and its data set's test split are refused: their scores would make the thresholds promise too much.",
  ],
  run: runCalibrate,
})

import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { readModelMeta } from '../model/model-file'
import { tinyBackbone, tinyModelFixture } from '../../../test-support/tiny-model'
import { recalibrate, selectRevision } from './recalibrate'
import { bandOf } from '../calibration/calibrate'

const tiny = tinyModelFixture('pbas-recal-')

describe('recalibration without retraining', () => {
  it('changes only the thresholds (weights byte identical), records a revision, and refuses seen or test images', async () => {
    const before = await readModelMeta(tiny.model)
    const weights = readFileSync(join(tiny.model, 'weights.pbasw'))
    expect(before.calibrations).toMatchObject({ active: 1, revisions: [{ id: 1, by: 'training', calibration: { images: 3 } }] })
    // New good parts from the line: copies of good parts under new names in a folder of their own.
    const line = join(tiny.dir, 'line-good')
    await mkdir(line)
    for (const n of ['000', '001', '002', '003']) await copyFile(join(tiny.data, 'test/good', `${n}.png`), join(line, `part-${n}.png`))
    const trainedOn = before.dataset.images!.train[0]
    const testImage = join(tiny.data, 'test/good/000.png')
    const images = [...['000', '001', '002', '003'].map((n) => join(line, `part-${n}.png`)), trainedOn, testImage]
    const { revision, refused } = await recalibrate({ modelDir: tiny.model, images, by: 'qe-ana', from: 'good parts from the line', exclude: [testImage] }, tinyBackbone(tiny.dir))
    expect(refused).toEqual([{ path: trainedOn, reason: 'the model trained on it' }, { path: testImage, reason: 'it belongs to a test split' }])
    // The training hold-out (3 images) stays in the set with the 4 new parts.
    expect(revision).toMatchObject({ id: 2, by: 'qe-ana', calibration: { images: 7, floor: 1 / 8 } })
    expect(revision.calibration.source).toBe('4 good parts from the line (2 more left out) and the 3 good images held out at training')
    const after = await readModelMeta(tiny.model)
    expect(readFileSync(join(tiny.model, 'weights.pbasw')).equals(weights)).toBe(true)
    expect(after.calibrations!.active).toBe(2)
    expect(after.calibrations!.revisions.map((r) => r.id)).toEqual([1, 2])
    // The band fails from the tail level when it lies above the calibrated one (bandOf, the one rule for training and recalibration).
    expect(after.thresholds.band).toEqual(bandOf(revision.calibration))
    expect(after.thresholds.band.fail).toBe(Math.max(revision.calibration.fail.value, revision.calibration.tail!.value))
    expect(after.thresholds.calibration).toEqual(revision.calibration)
    // Everything but the thresholds is as it was.
    const { thresholds: _a, calibrations: _b, integrity: _i, ...rest } = after
    const { thresholds: _c, calibrations: _d, integrity: _j, ...restBefore } = before
    expect(rest).toEqual(restBefore)
    expect(after.thresholds.mapRange).toEqual(before.thresholds.mapRange)
    // model.json stays sealed: its checksum was renewed with the thresholds, and the weights checksum is unchanged.
    expect(after.integrity!.weightsSha256).toBe(before.integrity!.weightsSha256)
    expect(after.integrity!.metaSha256).not.toBe(before.integrity!.metaSha256)
    // The first revision can be chosen again; --replace uses only the new images.
    expect((await selectRevision(tiny.model, 1)).thresholds.band).toEqual(before.thresholds.band)
    const only = await recalibrate({ modelDir: tiny.model, images: images.slice(0, 4), by: 'qe-ana', from: 'good parts', replace: true }, tinyBackbone(tiny.dir))
    expect(only.revision).toMatchObject({ id: 3, calibration: { images: 4 } })
    await expect(selectRevision(tiny.model, 9)).rejects.toThrow(/has no calibration revision 9; it has 1, 2, 3/)
    expect(readFileSync(join(tiny.model, 'weights.pbasw')).equals(weights)).toBe(true)
  })
})

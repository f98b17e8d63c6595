import { describe, expect, it } from 'vitest'
import { bytesText, estimateRun, remainingSeconds, workloadOf, type RunCostMeasure } from './estimate'
import { expectedEpochs } from './stop-rule'
import { backboneName, runDefaultName } from './run-name'

const m: RunCostMeasure = {
  backboneLoadSeconds: 1, featureSecondsPerImage: 0.5, stepSeconds: 2, projectSeconds: 0.5, headSecondsPerImage: 0.1, predictSecondsPerImage: 0.4,
  writeSecondsPerImage: 0.1, loadSecondsPerImage: 0.01, reviewBytesPerImage: 30_000, patches: 1024, dim: 1536, modelBytes: 22e6, checkpointBytes: 53e6,
  workingBytes: 500e6, runtime: { features: 'onnxruntime', training: 'onnxruntime' }, measuredAt: 'now',
}

describe('run estimate', () => {
  it('scales measured costs by images, batches and epochs', () => {
    // Without a hold-out every good image trains (27 batches of 8).
    const e = estimateRun(m, { goodImages: 209, testImages: 83, epochs: 16, batchSize: 8, validationShare: 0, calibrationShare: 0 })
    expect(e.parts.features).toBeCloseTo(1 + 0.5 * 209)
    expect(e.parts.training).toBeCloseTo(2 * 27 * 16)
    expect(e.parts.centre).toBeCloseTo(0.5 * 27)
    expect(e.parts.thresholds).toBeCloseTo(0.1 * 209)
    // The review decodes the test images only: the nearest-good pool is stored with the model.
    expect(e.parts.review).toBeCloseTo(83 * 0.5)
    expect(e.seconds).toBeCloseTo(Object.values(e.parts).reduce((a, b) => a + b))
    // Two batch buffers of features, whatever the number of images; the cache (16-byte header per file) is on disk.
    expect(e.memoryBytes).toBe(2 * 8 * 1024 * 1536 * 4 + 500e6)
    expect(e.diskBytes).toBe(22e6 + 53e6 + 209 * (16 + 1024 * 1536 * 4) + 83 * 30_000)
    // The default calibration hold-out (20 %) trains on fewer images and sets thresholds on the held-out ones.
    const held = estimateRun(m, { goodImages: 209, testImages: 0, epochs: 16, batchSize: 8, validationShare: 0 })
    expect(held.parts.training).toBeCloseTo(2 * Math.ceil(168 / 8) * 16)
    expect(held.parts.thresholds).toBeCloseTo(0.1 * 41)
    expect(held.parts.review).toBe(0)
  })

  it('follows the run’s own epoch times once it has some', () => {
    const e = estimateRun(m, { goodImages: 209, testImages: 83, epochs: 16, batchSize: 8, validationShare: 0 })
    expect(remainingSeconds(e, { epochsDone: 0, epochs: 16, recentEpochSeconds: [] })).toBeNull()
    expect(remainingSeconds(e, { epochsDone: 4, epochs: 16, recentEpochSeconds: [100, 60, 60, 60] })).toBeCloseTo(12 * 60 + e.parts.thresholds + e.parts.review)
    expect(remainingSeconds(e, { epochsDone: 4, epochs: 16, recentEpochSeconds: [60], stepInEpoch: 9, stepsPerEpoch: 27 })).toBeCloseTo((12 - 1 / 3) * 60 + e.parts.thresholds + e.parts.review)
    expect(bytesText(1.35e9)).toBe('1.4 GB')
    expect(bytesText(78e6)).toBe('78 MB')
  })
})

describe('run names', () => {
  it('names a run from its preset and settings, saying when the preset was edited', () => {
    expect(runDefaultName({ backbone: 'resnet18', imageSize: 256, resize: 256, epochs: 16 }, 'quick')).toBe('Quick - ResNet18 - 256 px - 16 epochs')
    expect(runDefaultName({ backbone: '/work/shared/backbones/resnet18_imagenet_to_layer3', imageSize: 256, resize: 256, epochs: 16 })).toBe('Quick - ResNet18 - 256 px - 16 epochs')
    expect(runDefaultName({ backbone: 'resnet18', imageSize: 128, resize: 128, epochs: 4 }, 'quick')).toBe('Quick (edited) - ResNet18 - 128 px - 4 epochs')
    expect(runDefaultName({ backbone: 'wide_resnet50_2', imageSize: 288, resize: 288, epochs: 640 })).toBe('Paper - WRN50-2 - 288 px - 640 epochs')
    expect(runDefaultName({ imageSize: 100 })).toBe('Custom - WRN50-2 - 100 px - 400 epochs')
    expect(backboneName('/models/my-line-camera-net')).toBe('my-line-camera-net')
  })

  it('plans the converged rule’s typical epochs, its held-out scoring, and the patch share', () => {
    const m = { backboneLoadSeconds: 1, featureSecondsPerImage: 0.5, stepSeconds: 2, projectSeconds: 0.5, headSecondsPerImage: 0.1, predictSecondsPerImage: 0.4, writeSecondsPerImage: 0.05, loadSecondsPerImage: 0.02, reviewBytesPerImage: 1e5, patches: 1024, dim: 1536, modelBytes: 1e7, checkpointBytes: 3e7, workingBytes: 500e6, runtime: { features: 'onnxruntime', training: 'onnxruntime' }, measuredAt: 'now' }
    const budget = estimateRun(m, workloadOf({ epochs: 16, batchSize: 8 }, { goodImages: 209, testImages: 0 }))
    expect(budget.epochs).toBe(16)
    expect(budget.parts.training).toBeCloseTo(2 * 21 * 16)
    const rule = { stopRule: 'converged', minEpochs: 4, stopWindow: 3, stopTolerance: 0.2, epochs: 16, batchSize: 8, patchShare: 0.25 }
    const e = estimateRun(m, workloadOf(rule, { goodImages: 209, testImages: 0 }))
    expect(e.epochs).toBe(expectedEpochs({ ...rule, stopRule: 'converged' }))
    expect(e.epochs).toBeLessThan(16)
    // 21 steps at a quarter of the rows, plus the 41 held-out images scored after each epoch.
    expect(e.parts.training).toBeCloseTo((2 * 0.25 * 21 + 0.1 * 41) * e.epochs)
  })
})

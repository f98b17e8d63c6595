// Runs one job request on the engine (inside the worker thread): the dispatch from request kind to engine call.
import type { JobRequest } from '../../shared/models/job'
import type { JobOptions } from '../engine/util/job'
import { throwIfCancelled } from '../engine/util/job'
import { checkDataset } from '../engine/data/check-dataset'
import { initBackend } from '../engine/backend/select-backend'
import { defaultDataDir } from '../engine/util/data-dir'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { resolveConfig } from '../engine/pbas/config'
import { trainModel } from '../engine/pbas/train-model'
import { measureRunCost } from '../engine/pbas/measure-run'
import { PbasModel } from '../engine/pbas/predict'
import { evaluateModel, reportedMetrics } from '../engine/pbas/evaluate-model'
import { readDataset } from '../engine/data/read-dataset'
import { reviewWithModel, runFeaturePlot, runReview } from './review-jobs'
import type { ReviewMetrics, ReviewSummary } from '../../shared/models/review'
import { fetchBackbone } from '../engine/backbone/weight-store'
import { RESNET_SPECS, type ResNetArch } from '../engine/backbone/resnet-spec'

type Progress = (p: Record<string, unknown>) => void

/** Executes a request; progress objects are forwarded as they come (the runner throttles them). */
export async function runJob(request: JobRequest, signal: AbortSignal, onProgress: Progress): Promise<unknown> {
  // Every engine progress type is a plain object; the runner forwards them untouched.
  const opts: JobOptions<object> = { signal, onProgress: (e) => onProgress(e as Record<string, unknown>) }
  switch (request.kind) {
    case 'sleep':
      for (let i = 1; i <= request.steps; i++) {
        throwIfCancelled(signal)
        await new Promise((r) => setTimeout(r, request.ms))
        onProgress({ kind: 'progress', stage: 'sleep', done: i, total: request.steps })
      }
      return { slept: request.steps }
    case 'backbone-fetch': {
      if (!(request.arch in RESNET_SPECS)) throw new Error(`unknown architecture ${request.arch}`)
      return fetchBackbone(request.arch as ResNetArch, defaultDataDir(), opts)
    }
    case 'run-estimate': {
      const backend = await initBackend()
      return measureRunCost({ config: resolveConfig(request.config), samples: request.samples, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }, gpu: backend.gpu }, opts)
    }
    case 'dataset-check':
      return checkDataset(request.dir, { category: request.category }, opts)
    case 'train': {
      const backend = await initBackend()
      const config = resolveConfig(request.config)
      const meta = await trainModel(
        { data: request.data, category: request.category, out: request.out, config, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir(), seed: config.seed }, backendName: backend.name, gpu: backend.gpu, featureCacheDir: request.featureCacheDir, extraGood: request.extraGood },
        opts,
      )
      // Evaluate on the test split when there is one, so the run lists its metrics (never used for selection)
      // and, with a review folder, opens straight into review.
      let metrics: ReviewMetrics | undefined
      let review: ReviewSummary | undefined
      const ds = await readDataset(request.data, { category: request.category })
      if (ds.samples.some((x) => x.split === 'test')) {
        throwIfCancelled(signal)
        const model = await PbasModel.load(request.out, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
        try {
          if (request.reviewDir) {
            review = await reviewWithModel(model, { data: request.data, category: request.category, out: request.reviewDir, goodTraining: { dir: request.data, category: request.category, extra: request.extraGood } }, opts)
            metrics = review.metrics ?? undefined
          } else {
            const ev = await evaluateModel(model, request.data, request.category, { signal })
            metrics = reportedMetrics(ev)
          }
        } finally {
          model.dispose()
        }
      }
      return { model: request.out, selection: meta.selection, trainingSeconds: meta.trainingSeconds, backend: meta.backend, runtime: meta.runtime, metrics, review }
    }
    case 'review':
      await initBackend()
      return runReview(request, opts)
    case 'feature-plot':
      await initBackend()
      return runFeaturePlot(request, opts)
    case 'eval': {
      await initBackend()
      const model = await PbasModel.load(request.model, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
      try {
        const ev = await evaluateModel(model, request.data, request.category, opts)
        return reportedMetrics(ev)
      } finally {
        model.dispose()
      }
    }
  }
}

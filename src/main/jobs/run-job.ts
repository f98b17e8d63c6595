// Runs one job request on the engine (inside the worker thread): the dispatch from request kind to engine call.
import type { JobOutcome, JobRequest, JobUpdate } from '../../shared/models/job'
import { checkDataset } from '../engine/data/check-dataset'
import { checkImages } from '../engine/image/check-images'
import { datasetThumbnails } from '../engine/data/dataset-thumbnails'
import { referencePhoto } from '../engine/data/reference-photo'
import { initBackend } from '../engine/backend/select-backend'
import { defaultDataDir } from '../engine/util/data-dir'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { runTrainingPipeline } from '../engine/pipeline/train-pipeline'
import { evaluateFolder, reviewFolder } from '../engine/pipeline/review-pipeline'
import { featurePlot } from '../engine/analysis/feature-plot'
import { fetchBackbone } from '../engine/backbone/weight-store'
import { recalibrate, revisionInfo } from '../engine/pipeline/recalibrate'
import { runStationJob } from './station-job'
import { exportModel } from '../engine/export/export-model'
import { measureRunCost } from '../engine/pipeline/measure-run'

/** Where the worker finds weights and bundled resources (the user's data folder, the app's resources). */
const backboneContext = () => ({ dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })

/**
 * Executes a request; each branch tags its progress and result with its own kind, so both cross the worker
 * boundary typed (the runner throttles progress).
 */
export async function runJob(request: JobRequest, signal: AbortSignal, send: (u: JobUpdate) => void): Promise<JobOutcome> {
  switch (request.kind) {
    case 'backbone-fetch':
      return { kind: 'backbone-fetch', result: await fetchBackbone(request.arch, defaultDataDir(), { signal, onProgress: (progress) => send({ kind: 'backbone-fetch', progress }) }) }
    case 'dataset-thumbnails':
      return { kind: 'dataset-thumbnails', result: await datasetThumbnails(request.dir, request.category, request.perType, { signal }) }
    case 'reference-photo':
      return { kind: 'reference-photo', result: await referencePhoto(request.dir, request.category) }
    case 'image-check':
      return { kind: 'image-check', result: await checkImages(request.paths, { signal, onProgress: (progress) => send({ kind: 'image-check', progress }) }) }
    case 'dataset-check':
      return { kind: 'dataset-check', result: await checkDataset(request.dir, { category: request.category }, { signal, onProgress: (progress) => send({ kind: 'dataset-check', progress }) }) }
    case 'train': {
      const backend = await initBackend()
      const result = await runTrainingPipeline(
        { ...request, backbone: backboneContext(), backendName: backend.name, gpu: backend.gpu },
        { signal, onProgress: (progress) => send({ kind: 'train', progress }) },
      )
      return { kind: 'train', result }
    }
    case 'review':
      await initBackend()
      return { kind: 'review', result: await reviewFolder(request, backboneContext(), { signal, onProgress: (progress) => send({ kind: 'review', progress }) }) }
    case 'feature-plot':
      await initBackend()
      return { kind: 'feature-plot', result: await featurePlot({ ...request, backbone: backboneContext() }, { signal, onProgress: (progress) => send({ kind: 'feature-plot', progress }) }) }
    case 'calibrate': {
      await initBackend()
      const { revision, refused } = await recalibrate(
        { modelDir: request.model, images: request.images, by: request.by, from: request.from, exclude: request.exclude, replace: request.replace },
        backboneContext(),
        { signal, onProgress: (progress) => send({ kind: 'calibrate', progress }) },
      )
      return { kind: 'calibrate', result: { revision: revisionInfo(revision), refused } }
    }
    case 'station':
      await initBackend()
      return { kind: 'station', result: await runStationJob(request, { signal, onProgress: (progress) => send({ kind: 'station', progress }) }) }
    case 'export': {
      await initBackend()
      const r = await exportModel({ model: request.model, out: request.out, backbone: backboneContext() }, { signal, onProgress: (progress) => send({ kind: 'export', progress }) })
      return { kind: 'export', result: { dir: r.dir, files: r.files, bytes: r.meta.file.bytes, sha256: r.meta.file.sha256, verification: r.meta.verification } }
    }
    case 'run-estimate': {
      const backend = await initBackend()
      const result = await measureRunCost({ config: request.config, samples: request.samples, backbone: backboneContext(), gpu: backend.gpu }, { signal, onProgress: (progress) => send({ kind: 'run-estimate', progress }) })
      return { kind: 'run-estimate', result }
    }
    case 'eval':
      await initBackend()
      return { kind: 'eval', result: await evaluateFolder(request, backboneContext(), { signal, onProgress: (progress) => send({ kind: 'eval', progress }) }) }
  }
}

// A finished run's model calibrations for the app: its revisions, the thresholds it decides with, choosing a revision.
import type { ModelCalibrations } from '../../shared/ipc/invoke-map'
import { revisionInfo, selectRevision } from '../engine/pipeline/recalibrate'
import { readModelMeta, type ModelMeta } from '../engine/model/model-file'
import type { RunStore } from '../workspace/runs'
import { WorkspaceRequestError } from '../workspace/products'

function calibrations(meta: ModelMeta): ModelCalibrations {
  return {
    active: meta.calibrations?.active ?? null,
    revisions: (meta.calibrations?.revisions ?? []).map(revisionInfo),
    band: meta.thresholds.band,
    source: meta.thresholds.source,
    calibration: meta.thresholds.calibration ?? null,
  }
}

/** Reads and switches a run's calibration revisions (recalibrating is a job, see ReviewService). */
export class CalibrationService {
  constructor(private readonly runs: RunStore) {}

  private finishedModel(runId: string): string {
    const run = this.runs.get(runId)
    if (run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${run.id} is ${run.state}; only finished runs have a model`)
    return run.modelDir
  }

  /** The model's revisions and the thresholds of the active one. */
  async list(runId: string): Promise<ModelCalibrations> {
    return calibrations(await readModelMeta(this.finishedModel(runId)))
  }

  /** Makes an earlier revision the one the model decides with. */
  async select(runId: string, revision: number): Promise<ModelCalibrations> {
    return calibrations(await selectRevision(this.finishedModel(runId), revision))
  }
}

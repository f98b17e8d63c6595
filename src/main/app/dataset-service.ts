// A product's data sets for the app: thumbnails (decoded in the worker) and saving a checked folder, by reference or as a copy.
import { mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { ProductStore } from '../workspace/products'
import { WorkspaceRequestError } from '../workspace/products'
import type { DatasetRecord } from '../../shared/models/workspace'
import type { ReviewPhoto } from '../../shared/models/review'
import { importFolder } from '../engine/data/import-folder'
import { leftOutWarnings } from '../engine/data/list-files'
import type { DatasetThumbnail } from '../engine/data/dataset-thumbnails'
import { jobResult } from './job-result'

/** Thumbnails and saving of data sets. */
export class DatasetService {
  constructor(
    private readonly products: ProductStore,
    private readonly runner: Jobs,
    /** the workspace folder (image copies go under it) */
    private readonly workspace?: string,
  ) {}

  /** Up to `perType` thumbnails of each defect type and split; the images are decoded in the engine worker. */
  thumbnails(dir: string, category: string | undefined, perType: number): Promise<DatasetThumbnail[]> {
    return jobResult(this.runner, { kind: 'dataset-thumbnails', dir, category, perType })
  }

  /** The photo the product's region is drawn on: the data set's first good training image (decoded in the worker). */
  referencePhoto(datasetId: string): Promise<{ path: string; photo: ReviewPhoto; width: number; height: number }> {
    const d = this.products.dataset(datasetId)
    return jobResult(this.runner, { kind: 'reference-photo', dir: d.root, category: d.category })
  }

  /** Saves a finished check's data set to a product: referenced where it is, or copied into the workspace. */
  async save(productId: string, jobId: string, copy: boolean): Promise<DatasetRecord> {
    const outcome = this.runner.get(jobId)?.outcome
    if (!outcome || outcome.kind !== 'dataset-check') throw new WorkspaceRequestError('that check has not finished (or does not exist); check the folder first')
    const summary = outcome.result
    if (!summary.ok) throw new WorkspaceRequestError('the data set has errors; fix them and check again before saving')
    if (!copy) return this.products.addDataset(productId, summary)
    if (!this.workspace) throw new WorkspaceRequestError('this app has no workspace folder to copy into')
    const images = join(this.workspace, 'images')
    await mkdir(images, { recursive: true })
    // All or nothing (temp folder + rename), links dereferenced, special files left out and listed with the data set.
    const copied = await importFolder(summary.root, join(images, `${Date.now()}-${basename(summary.root)}`))
    return this.products.addDataset(productId, { ...summary, root: copied.dest, problems: [...summary.problems, ...leftOutWarnings(copied.leftOut)] })
  }
}

// Handlers for the images reviewers add to a product's training set: add (checked), list, remove.
import { resolve } from 'node:path'
import { readDataset } from '../engine/data/read-dataset'
import { verifyImage } from '../engine/image/open-image'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ProductStore } from '../workspace/products'
import type { HandlerMap } from './handler-types'
import { InvalidArgument, object, requireString } from './validate'

type TrainingChannel = 'training:add-good' | 'training:list' | 'training:remove-good'

/** What the training-set handlers need. */
export interface TrainingHandlerContext {
  products: ProductStore
  evaluations: EvaluationStore
  /** who additions are recorded as */
  reviewer: string
}

const MAX_PATHS = 500

function pathList(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_PATHS) throw new InvalidArgument(`paths must be a list of 1 to ${MAX_PATHS} image paths`)
  return v.map((p, i) => resolve(requireString(p, `paths[${i}]`)))
}

/** Every image of the product's data sets: test splits never join training, listed training images need not. */
async function datasetImages(ctx: TrainingHandlerContext, productId: string): Promise<{ test: Set<string>; train: Set<string> }> {
  const test = new Set<string>()
  const train = new Set<string>()
  for (const d of ctx.products.datasets(productId)) {
    const ds = await readDataset(d.root, { category: d.category }).catch(() => null)
    for (const s of ds?.samples ?? []) (s.split === 'test' ? test : train).add(resolve(s.path))
  }
  return { test, train }
}

/** Builds the training-set handlers. */
export function createTrainingHandlers(ctx: TrainingHandlerContext): HandlerMap<TrainingChannel> {
  const productOf = (a: Record<string, unknown>) => requireString(a.productId, 'productId')
  return {
    'training:add-good': async (arg) => {
      const a = object(arg, '{ productId, paths }')
      const productId = productOf(a)
      const { test, train } = await datasetImages(ctx, productId)
      const accepted: string[] = []
      const refused: { path: string; reason: string }[] = []
      for (const path of new Set(pathList(a.paths))) {
        if (test.has(path)) refused.push({ path, reason: "it belongs to a data set's test split (it would leak into training and flatter the metrics)" })
        else if (train.has(path)) refused.push({ path, reason: 'it is already a training image of this product' })
        else
          try {
            await verifyImage(path)
            accepted.push(path)
          } catch (err) {
            refused.push({ path, reason: err instanceof Error ? err.message : String(err) })
          }
      }
      const added = accepted.length ? ctx.evaluations.addTrainingImages(productId, accepted, ctx.reviewer) : 0
      return { added, total: ctx.evaluations.trainingAdditions(productId).length, refused }
    },
    'training:list': async (arg) => ctx.evaluations.trainingAdditionRecords(productOf(object(arg, '{ productId }'))),
    'training:remove-good': async (arg) => {
      const a = object(arg, '{ productId, paths }')
      const productId = productOf(a)
      const removed = ctx.evaluations.removeTrainingImages(productId, pathList(a.paths))
      return { removed, total: ctx.evaluations.trainingAdditions(productId).length }
    },
  }
}

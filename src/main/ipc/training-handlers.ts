// Handlers for the images reviewers add to a product's training set: add (checked), list, remove.
import { resolve } from 'node:path'
import type { EvaluationStore } from '../workspace/evaluations'
import type { HandlerMap } from './handler-types'
import type { TrainingSetControl } from './ports'

type TrainingChannel = 'training:add-good' | 'training:list' | 'training:remove-good'

/** What the training-set handlers need. */
export interface TrainingHandlerContext {
  evaluations: EvaluationStore
  trainingSet: TrainingSetControl
  /** who additions are recorded as */
  reviewer: string
}

/** Builds the training-set handlers. */
export function createTrainingHandlers(ctx: TrainingHandlerContext): HandlerMap<TrainingChannel> {
  return {
    'training:add-good': async ({ productId, paths }) => ctx.trainingSet.addGood(productId, paths, ctx.reviewer),
    'training:list': async ({ productId }) => ctx.evaluations.trainingAdditionRecords(productId),
    'training:remove-good': async ({ productId, paths }) => ctx.trainingSet.removeGood(productId, paths.map((p) => resolve(p))),
  }
}

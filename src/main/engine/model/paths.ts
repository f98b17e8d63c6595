// Names of the files and folders that make up a model on disk (model.json, weights, pool, checkpoints).

/** File names inside a model folder. */
export const MODEL_FILES = { meta: 'model.json', weights: 'weights.pbasw', goodPool: 'good-pool.pbasw' } as const

/** Where a model's checkpoints live while it trains (removed once the model is saved). */
export function checkpointDir(modelDir: string): string {
  return `${modelDir}.checkpoint`
}

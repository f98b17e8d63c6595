// Names of the files and folders that make up a model on disk (model.json, weights, pool, checkpoints).

/** File names inside a model folder. */
export const MODEL_FILES = { meta: 'model.json', weights: 'weights.pbasw', goodPool: 'good-pool.pbasw' } as const

/** True when a folder's entries are exactly a model folder's (model.json and its files, nothing a user added). */
export function isModelFolderListing(names: readonly string[]): boolean {
  const own: readonly string[] = Object.values(MODEL_FILES)
  return names.includes(MODEL_FILES.meta) && names.every((n) => own.includes(n))
}

/** Where a model's checkpoints live while it trains (removed once the model is saved). */
export function checkpointDir(modelDir: string): string {
  return `${modelDir}.checkpoint`
}

// PBAS training configuration for the engine: the shared parameter table's defaults, merged with JSON and flags, validated.
import { checkConfig, DEFAULT_CONFIG, mergeConfig, PRESETS, withCropResize, type PbasConfig } from '../../../shared/pbas/parameters'
import { InputError } from '../util/errors'

export type { CentreInit, PbasConfig, Scoring, Synthesis } from '../../../shared/pbas/parameters'
export { DEFAULT_CONFIG, PRESETS }

/** A setting that is unknown or out of range; the message names it and what it accepts. */
export class ConfigError extends InputError {}

/**
 * Merges overrides into the defaults and validates every field against the shared table (the app's training
 * form shows the same checks inline); unknown keys are errors (typos matter). Throws the first error. A crop
 * resize below the input size is raised to it (checkConfig warns about that, so it is never silent).
 */
export function resolveConfig(...overrides: Partial<Record<string, unknown>>[]): PbasConfig {
  const cfg = mergeConfig(...overrides)
  const first = checkConfig(cfg).find((i) => i.severity === 'error')
  if (first) throw new ConfigError(first.message)
  return withCropResize(cfg) as unknown as PbasConfig
}

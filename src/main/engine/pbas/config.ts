// PBAS training configuration for the engine: the shared parameter table's defaults, merged with JSON and flags, validated.
import { checkConfig, DEFAULT_CONFIG, mergeConfig, PRESETS, type PbasConfig } from '../../../shared/pbas/parameters'

export type { CentreInit, PbasConfig, Scoring, Synthesis } from '../../../shared/pbas/parameters'
export { DEFAULT_CONFIG, PRESETS }

/**
 * Merges overrides into the defaults and validates every field against the shared table (the app's training
 * form shows the same checks inline); unknown keys are errors (typos matter). Throws the first error.
 */
export function resolveConfig(...overrides: Partial<Record<string, unknown>>[]): PbasConfig {
  const cfg = mergeConfig(...overrides)
  const first = checkConfig(cfg).find((i) => i.severity === 'error')
  if (first) throw new Error(first.message)
  if (cfg.fit === 'crop' && (cfg.imageSize as number) > (cfg.resize as number)) cfg.resize = cfg.imageSize
  return cfg as unknown as PbasConfig
}

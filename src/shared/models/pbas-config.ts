// Backbone and weight-store types shared by every process; the PBAS configuration itself is owned by ../pbas/parameters.ts.

export type { CentreInit, Fit, PbasConfig, Scoring, Synthesis } from '../pbas/parameters'

/** torchvision architectures the engine builds. */
export type BackboneArch = 'resnet18' | 'resnet50' | 'wide_resnet50_2'

/** One stored weight file of the user's weight store. */
export interface StoredWeights {
  arch: BackboneArch
  file: string
  sha256: string
  source: string
  /** deepest layer present (1..4); files cut after layer3 are enough for PBAS' default taps */
  layers: number
  storedAt: string
}

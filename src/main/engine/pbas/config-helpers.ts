// What a PbasConfig implies, named once: the nearest-centre rule, the preprocessing, the embedding, the extractor.
import type { Backbone } from '../backbone/backbone'
import { FeatureExtractor } from '../features/feature-extractor'
import type { EmbedConfig } from '../features/patch-embedder'
import type { PreprocessOptions } from '../../../shared/image/geometry'
import type { PbasConfig } from './config'

/** How a feature finds its nearest centre row: largest cosine similarity, or smallest Euclidean distance. */
export type MatchRule = 'cosine' | 'euclidean'

/** The matching rule of a centre initialisation: Euclidean only for 'abl-euclidean' (the official code uses cosine). */
export function centreRule(cfg: Pick<PbasConfig, 'centreInit'>): MatchRule {
  return cfg.centreInit === 'abl-euclidean' ? 'euclidean' : 'cosine'
}

/** Image preprocessing of a config: resize the short side, then crop/pad/stretch (or tile) to the network input. */
export function preprocessOf(cfg: Pick<PbasConfig, 'resize' | 'imageSize' | 'fit'> & { tileSide?: number }): PreprocessOptions {
  return cfg.fit === 'tile' ? { resize: cfg.resize, crop: cfg.imageSize, fit: cfg.fit, tileSide: cfg.tileSide || 0 } : { resize: cfg.resize, crop: cfg.imageSize, fit: cfg.fit }
}

/** Patch embedding E_phi sizes of a config. */
export function embedOf(cfg: Pick<PbasConfig, 'patchSize' | 'pretrainDim' | 'targetDim'>): EmbedConfig {
  return { patchSize: cfg.patchSize, pretrainDim: cfg.pretrainDim, targetDim: cfg.targetDim }
}

/** The frozen extractor of a config on a loaded backbone; `taps` (e.g. a saved model's) win over the config's. */
export function extractorOf(backbone: Backbone, cfg: Pick<PbasConfig, 'taps' | 'patchSize' | 'pretrainDim' | 'targetDim'>, taps?: readonly string[] | null): FeatureExtractor {
  return new FeatureExtractor(backbone, { taps: taps ?? cfg.taps ?? undefined, embed: embedOf(cfg) })
}

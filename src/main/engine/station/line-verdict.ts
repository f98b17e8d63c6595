// Builds the line's verdict message from a scored part: model and threshold revision, and where the heat map is hottest.
import { inputWindow } from '../../../shared/image/geometry'
import type { LineVerdict } from '../../../shared/models/line-messages'
import type { ModelMeta } from '../model/model-meta'
import type { Prediction } from '../pbas/prediction'
import type { PartRecord } from './results-log'

/** The model's revision as the line sees it: the first 12 hex digits of its weights checksum. */
export function modelRevision(meta: Pick<ModelMeta, 'integrity' | 'createdAt'>): string {
  return meta.integrity?.weightsSha256.slice(0, 12) ?? `created-${meta.createdAt}`
}

/** The active calibration revision (0 when the thresholds come from training). */
export function thresholdRevision(meta: Pick<ModelMeta, 'calibrations'>): number {
  return meta.calibrations?.active ?? 0
}

/** The map's hottest cell, as a point in the photo's own pixels. */
export function hottestPoint(p: Pick<Prediction, 'map' | 'size' | 'image'>): LineVerdict['hottest'] {
  let best = 0
  for (let i = 1; i < p.map.length; i++) if (p.map[i] > p.map[best]) best = i
  const win = inputWindow(p.image.originalWidth, p.image.originalHeight, p.image.geometry)
  const x = win.x + (((best % p.size) + 0.5) / p.size) * win.w
  const y = win.y + ((Math.floor(best / p.size) + 0.5) / p.size) * win.h
  const clamp = (v: number, hi: number) => Math.round(Math.min(Math.max(v, 0), hi - 1))
  return { x: clamp(x, p.image.originalWidth), y: clamp(y, p.image.originalHeight), value: p.map[best] }
}

/** The message for one part (`seq` is given by the publisher, which numbers what it sends). */
export function lineVerdict(station: string, meta: ModelMeta, p: Prediction, part: PartRecord): Omit<LineVerdict, 'seq'> {
  return {
    station, partId: part.file, score: part.score, verdict: part.verdict, modelRevision: modelRevision(meta), thresholdRevision: thresholdRevision(meta),
    latencyMs: part.latencyMs, hottest: hottestPoint(p), scoredAt: part.scoredAt,
  }
}

// Checksums and sanity checks that tell a model folder is exactly what training wrote: weights, model.json, shapes, finiteness.
import { createHash } from 'node:crypto'
import type { NamedArray } from '../util/tensor-bundle'
import type { ModelMeta } from './model-meta'

/** What model.json records about itself and its weights file (model format 2 and later). */
export interface ModelIntegrity {
  /** sha256 of weights.pbasw as written */
  weightsSha256: string
  /** sha256 of model.json's canonical JSON without this field */
  metaSha256: string
}

/** JSON with object keys sorted at every level, so the same meaning always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')

/** The checksum of everything model.json says except its own integrity record. */
export function metaChecksum(meta: ModelMeta): string {
  const { integrity: _ignored, ...rest } = meta
  return sha256(canonicalJson(rest))
}

/** The arrays a model must hold, with their shapes, from what model.json says (D, H, grid). */
export function expectedShapes(meta: ModelMeta): Record<string, number[]> {
  const D = meta.dim
  const H = meta.config.discHidden
  return {
    projW: [D, D], projB: [D], discW1: [D, H], discB1: [H], bnGamma: [H], bnBeta: [H], bnMean: [H], bnVar: [H], discW2: [H, 1],
    centre: [meta.keptPatches ?? (meta.tiling?.tiles ?? 1) * meta.grid * meta.grid, D],
  }
}

/** The first problem with the weights (a missing or mis-shaped array, a non-finite value), or null. */
export function weightsProblem(meta: ModelMeta, arrays: Record<string, NamedArray>): string | null {
  for (const [name, shape] of Object.entries(expectedShapes(meta))) {
    const a = arrays[name]
    if (!a) return `it lacks ${name}`
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) return `${name} has shape [${a.shape}] but model.json describes [${shape}]`
    for (let i = 0; i < a.data.length; i++) if (!Number.isFinite(a.data[i])) return `${name} holds a non-finite value (${a.data[i]}) at position ${i}`
  }
  if (arrays.bnVar.data.some((v) => v < 0)) return 'bnVar holds a negative variance'
  return null
}

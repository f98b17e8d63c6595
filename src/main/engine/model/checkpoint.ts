// Training checkpoints on disk: the one owner of `<model>.checkpoint/checkpoint.pbasw` (params, Adam moments, centre, history).
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { EpochRecord } from '../../../shared/models/progress'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { AdamState } from '../pbas/adam'
import { readBundle, writeBundle, type NamedArray } from '../util/tensor-bundle'

export { checkpointDir } from './paths'

const FILE = 'checkpoint.pbasw'

/** Everything needed to continue training exactly where it stopped. */
export interface TrainingCheckpoint {
  epoch: number
  /** the resolved configuration the run trains with (a resume must match it) */
  config: PbasConfig
  /** fingerprint of the training images (a resume must see the same ones) */
  fingerprint: string
  /** seconds spent in the training loop so far, over every session */
  seconds: number
  createdAt?: string
  history: EpochRecord[]
  centreDistances: number[]
  centre: NamedArray
  params: Record<string, NamedArray>
  optimizer: { projector: AdamState; discriminator: AdamState }
  /** the best validation epoch so far, with its parameters (only with a validation share) */
  best: { epoch: number; loss: number; params?: Record<string, NamedArray> } | null
}

interface Meta {
  epoch: number
  config: PbasConfig
  fingerprint: string
  seconds: number
  createdAt: string
  history: EpochRecord[]
  centreDistances: number[]
  optProjStep: number
  optDiscStep: number
  best: { epoch: number; loss: number } | null
}

/** Writes the checkpoint atomically (a kill mid-write leaves the previous one). */
export async function writeCheckpoint(dir: string, ck: TrainingCheckpoint): Promise<string> {
  const arrays: Record<string, NamedArray> = { ...ck.params, centre: ck.centre }
  const add = (prefix: string, s: AdamState) => {
    s.m.forEach((m, i) => (arrays[`${prefix}.m${i}`] = { shape: [m.length], data: m }))
    s.v.forEach((v, i) => (arrays[`${prefix}.v${i}`] = { shape: [v.length], data: v }))
  }
  add('optP', ck.optimizer.projector)
  add('optD', ck.optimizer.discriminator)
  if (ck.best?.params) for (const [k, v] of Object.entries(ck.best.params)) arrays[`best.${k}`] = v
  const meta: Meta = {
    epoch: ck.epoch, config: ck.config, fingerprint: ck.fingerprint, seconds: ck.seconds, createdAt: new Date().toISOString(), history: ck.history, centreDistances: ck.centreDistances,
    optProjStep: ck.optimizer.projector.step, optDiscStep: ck.optimizer.discriminator.step,
    best: ck.best && { epoch: ck.best.epoch, loss: ck.best.loss },
  }
  await mkdir(dir, { recursive: true })
  const path = join(dir, FILE)
  await writeBundle(path, meta, arrays)
  return path
}

/** Reads a model's checkpoint folder; null when there is none. */
export async function readCheckpoint(dir: string): Promise<TrainingCheckpoint | null> {
  const path = join(dir, FILE)
  if (!existsSync(path)) return null
  const { meta, arrays } = await readBundle<Meta>(path)
  const moments = (prefix: string, step: number): AdamState => {
    const m: Float32Array[] = []
    const v: Float32Array[] = []
    for (let i = 0; arrays[`${prefix}.m${i}`]; i++) {
      m.push(arrays[`${prefix}.m${i}`].data)
      v.push(arrays[`${prefix}.v${i}`].data)
    }
    return { step, m, v }
  }
  const pick = (keep: (k: string) => boolean, rename = (k: string) => k) =>
    Object.fromEntries(Object.entries(arrays).filter(([k]) => keep(k)).map(([k, a]) => [rename(k), a]))
  const params = pick((k) => k !== 'centre' && !k.includes('.'))
  const bestParams = pick((k) => k.startsWith('best.'), (k) => k.slice(5))
  return {
    epoch: meta.epoch,
    config: meta.config,
    fingerprint: meta.fingerprint,
    seconds: meta.seconds ?? 0,
    createdAt: meta.createdAt,
    history: meta.history,
    centreDistances: meta.centreDistances,
    centre: arrays.centre,
    params,
    optimizer: { projector: moments('optP', meta.optProjStep), discriminator: moments('optD', meta.optDiscStep) },
    best: meta.best && { ...meta.best, params: Object.keys(bestParams).length ? bestParams : undefined },
  }
}

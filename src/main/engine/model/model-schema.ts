// Checks model.json's shape field by field (a hand-written schema), so a damaged or edited file fails with its name and field.
import { ModelFileError, MODEL_FORMAT_VERSION, type ModelMeta } from './model-meta'
import { DEFAULT_CONFIG, resolveConfig, type PbasConfig } from '../pbas/config'
import { preprocessOf } from '../pbas/config-helpers'
import { tileSideOf } from '../../../shared/image/geometry'
import { tileLayout } from '../../../shared/image/tile-grid'
import { parseRegion, RegionError } from '../../../shared/image/region'

type Check = (v: unknown) => boolean
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v)
const int: Check = (v) => Number.isInteger(v)
const str: Check = (v) => typeof v === 'string'
const obj: Check = (v) => !!v && typeof v === 'object' && !Array.isArray(v)
const arr: Check = (v) => Array.isArray(v)

/** Field paths and what each must be; nested objects are checked before their fields. */
const FIELDS: [string, Check, string][] = [
  ['engineVersion', str, 'a string'], ['createdAt', str, 'a string'], ['config', obj, 'an object'],
  ['backbone', obj, 'an object'], ['backbone.id', str, 'a string'], ['backbone.spec', str, 'a string'], ['backbone.weightsChecksum', str, 'a string'], ['backbone.taps', arr, 'a list'],
  ['grid', (v) => int(v) && (v as number) > 0 && (v as number) <= 512, 'a whole number from 1 to 512'],
  ['dim', (v) => int(v) && (v as number) > 0, 'a positive whole number'],
  ['selection', obj, 'an object'], ['selection.rule', str, 'a string'], ['selection.epoch', int, 'a whole number'],
  ['thresholds', obj, 'an object'], ['thresholds.default', obj, 'an object'], ['thresholds.default.value', num, 'a finite number'],
  ['thresholds.band', obj, 'an object'], ['thresholds.band.review', num, 'a finite number'], ['thresholds.band.fail', num, 'a finite number'], ['thresholds.source', str, 'a string'],
  ['history', arr, 'a list'], ['centreDistances', arr, 'a list'],
  ['dataset', obj, 'an object'], ['dataset.root', str, 'a string'], ['dataset.fingerprint', str, 'a string'],
  ['backend', str, 'a string'], ['runtime', obj, 'an object'], ['trainingSeconds', num, 'a finite number'],
]

function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (obj(v) && Object.hasOwn(v as object, k) ? (v as Record<string, unknown>)[k] : undefined), o)
}

/**
 * Validates parsed model.json and returns it typed. The format version is checked first so that files from a
 * newer PBAS Inspect are told apart from damaged ones; the configuration must be one the engine accepts.
 */
export function validateModelMeta(raw: unknown, dir: string): ModelMeta {
  const where = `${dir}/model.json`
  if (!obj(raw)) throw new ModelFileError(`${where} is not a model description (it holds ${raw === null ? 'null' : typeof raw}); retrain or restore the model from a backup.`)
  const v = (raw as Record<string, unknown>).formatVersion
  if (!int(v) || (v as number) < 1)
    throw new ModelFileError(`${where} has no valid format version (${JSON.stringify(v)}); it is damaged or not a PBAS Inspect model. Retrain or restore it from a backup.`)
  if ((v as number) > MODEL_FORMAT_VERSION)
    throw new ModelFileError(`${dir} was written by a newer PBAS Inspect (model format ${v}, this version reads up to ${MODEL_FORMAT_VERSION}); update PBAS Inspect.`)
  for (const [path, ok, what] of FIELDS)
    if (!ok(at(raw, path))) throw new ModelFileError(`${where} is damaged: ${path} must be ${what}, found ${JSON.stringify(at(raw, path)) ?? 'nothing'}. Retrain or restore the model from a backup.`)
  const config = at(raw, 'config') as Record<string, unknown>
  const unknown = Object.keys(config).filter((k) => !Object.hasOwn(DEFAULT_CONFIG, k))
  if (unknown.length) throw new ModelFileError(`${where} is damaged: config has unknown keys ${unknown.join(', ')}. Retrain or restore the model from a backup.`)
  let resolved: PbasConfig
  try {
    resolved = resolveConfig(config)
  } catch (err) {
    throw new ModelFileError(`${where} is damaged: ${(err as Error).message}. Retrain or restore the model from a backup.`)
  }
  const grid = at(raw, 'grid') as number
  const tiling = at(raw, 'tiling')
  const tiled = config.fit === 'tile'
  const field = (k: string) => (tiling && typeof tiling === 'object' ? Reflect.get(tiling, k) : undefined)
  const positive = (k: string) => int(field(k)) && (field(k) as number) >= 1
  const damaged = (what: string) => new ModelFileError(`${where} is damaged: ${what}. Retrain or restore the model from a backup.`)
  if (tiled !== (tiling !== undefined) || (tiling !== undefined && !['photoWidth', 'photoHeight', 'side', 'tiles'].every(positive)))
    throw damaged(`${tiled ? 'a tiled model needs' : 'only a model with fit "tile" has'} tiling {photoWidth, photoHeight, side, tiles} (whole numbers from 1), found ${JSON.stringify(tiling) ?? 'nothing'}`)
  if (tiled) {
    // The tiles are the centre's patch positions: the record must be the layout its settings give.
    const side = tileSideOf(preprocessOf(resolved))
    const count = side && side >= 8 && field('side') === side ? tileLayout(field('photoWidth') as number, field('photoHeight') as number, side).length : NaN
    if (count !== field('tiles')) throw damaged(`tiling ${JSON.stringify(tiling)} is not the layout of ${side} px tiles its config gives`)
  }
  const patches = (tiled ? (field('tiles') as number) : 1) * grid * grid
  const kept = at(raw, 'keptPatches')
  if (kept !== undefined && !(int(kept) && (kept as number) >= 1 && (kept as number) <= patches))
    throw damaged(`keptPatches must be a whole number from 1 to ${patches}, found ${JSON.stringify(kept)}`)
  const region = at(raw, 'region')
  if (region !== undefined)
    try {
      parseRegion(region, 'region')
    } catch (err) {
      if (!(err instanceof RegionError)) throw err
      throw new ModelFileError(`${where} is damaged: ${err.message}. Retrain or restore the model from a backup.`)
    }
  return raw as unknown as ModelMeta
}

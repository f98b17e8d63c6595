// A hostile corpus of model folders: damaged weights of several kinds and edited model.json, each refused clearly, nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { PbasModel } from '../pipeline/predict'
import { trainTinyModel, tinyBackbone } from '../../../test-support/tiny-model'
import { decodeBundle, encodeBundle } from '../util/tensor-bundle'
import { canonicalJson, metaChecksum, sha256 } from './integrity'
import { loadModelFiles, readModelMeta } from './model-file'

let dir: string
let model: string

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-hostile-model-'))
  ;({ model } = await trainTinyModel(dir, { epochs: 1 }))
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A copy of the model folder, changed by `edit`; returns its path and a snapshot of its bytes. */
function variant(name: string, edit: (d: string) => void): { path: string; bytes: () => Record<string, string> } {
  const path = join(dir, name)
  cpSync(model, path, { recursive: true })
  edit(path)
  const bytes = () => Object.fromEntries(readdirSync(path).map((f) => [f, sha256(readFileSync(join(path, f)))]))
  return { path, bytes }
}

const editJson = (d: string, f: (m: Record<string, unknown>) => unknown, reseal = false) => {
  const m = f(JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')))
  if (reseal && m && typeof m === 'object') {
    const { integrity: _i, ...rest } = m as Record<string, unknown>
    ;(m as Record<string, unknown>).integrity = { weightsSha256: sha256(readFileSync(join(d, 'weights.pbasw'))), metaSha256: sha256(canonicalJson(rest)) }
  }
  writeFileSync(join(d, 'model.json'), JSON.stringify(m))
}

/** Rewrites the weights with `f` applied to every array, and (so only the value check can tell) reseals model.json. */
function editWeights(d: string, f: (name: string, a: Float32Array) => void, reseal: boolean): void {
  const file = join(d, 'weights.pbasw')
  const { meta, arrays } = decodeBundle(readFileSync(file), file)
  for (const [name, a] of Object.entries(arrays)) f(name, a.data)
  writeFileSync(file, encodeBundle(meta, arrays))
  if (reseal) editJson(d, (m) => m, true)
}

const cases: [string, (d: string) => void, RegExp][] = [
  ['every weight NaN (resealed, so only the value check can tell)', (d) => editWeights(d, (_n, a) => a.fill(NaN), true), /projW holds a non-finite value \(NaN\)/],
  ['one exponent bit flipped in every discriminator weight', (d) => editWeights(d, (n, a) => n === 'discW1' && new Uint32Array(a.buffer, a.byteOffset, a.length).forEach((v, i, u) => (u[i] = v ^ (1 << 27))), false), /checksum does not match.*damaged or was replaced/],
  ['a weight array of the wrong shape (resealed)', (d) => {
    const file = join(d, 'weights.pbasw')
    const { meta, arrays } = decodeBundle(readFileSync(file), file)
    arrays.discW2 = { shape: [8, 1], data: new Float32Array(8) }
    writeFileSync(file, encodeBundle(meta, arrays))
    editJson(d, (m) => m, true)
  }, /discW2 has shape \[8,1\] but model.json describes \[32,1\]/],
  ['truncated weights', (d) => writeFileSync(join(d, 'weights.pbasw'), readFileSync(join(d, 'weights.pbasw')).subarray(0, 900)), /weights.pbasw.*truncated/],
  ['imageSize edited from 64 to 4096', (d) => editJson(d, (m) => ({ ...m, config: { ...(m.config as object), imageSize: 4096, resize: 4096 } })), /model.json was changed after training/],
  ['model.json is null', (d) => writeFileSync(join(d, 'model.json'), 'null'), /is not a model description \(it holds null\)/],
  ['thresholds missing', (d) => editJson(d, (m) => ({ ...m, thresholds: undefined })), /thresholds must be an object/],
  ['backbone spec missing', (d) => editJson(d, (m) => ({ ...m, backbone: { ...(m.backbone as object), spec: undefined } })), /backbone.spec must be a string/],
  ['format version 0', (d) => editJson(d, (m) => ({ ...m, formatVersion: 0 })), /no valid format version \(0\); it is damaged or not a PBAS Inspect model/],
  ['format version "1" as a string', (d) => editJson(d, (m) => ({ ...m, formatVersion: '1' })), /no valid format version \("1"\)/],
  ['a newer format', (d) => editJson(d, (m) => ({ ...m, formatVersion: 99 })), /written by a newer PBAS Inspect \(model format 99/],
  ['an unknown config key (resealed)', (d) => editJson(d, (m) => ({ ...m, config: { ...(m.config as object), constructor: 1 } }), true), /config has unknown keys constructor/],
  ['not JSON', (d) => writeFileSync(join(d, 'model.json'), '{"formatVersion": 2,'), /model.json is damaged/],
]

describe('damaged and edited models are refused, and nothing is changed', () => {
  it.each(cases)('%s', async (name, edit, message) => {
    const v = variant(name.replace(/\W+/g, '-'), edit)
    const before = v.bytes()
    await expect(PbasModel.load(v.path, tinyBackbone(dir))).rejects.toThrow(message)
    await expect(PbasModel.load(v.path, tinyBackbone(dir))).rejects.toThrow(new RegExp(v.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    expect(v.bytes()).toEqual(before)
  })

  it('an older (format 1) model without checksums is refused: it cannot be told from an edited one', async () => {
    const old = variant('format-1', (d) => editJson(d, (m) => ({ ...m, formatVersion: 1, integrity: undefined })))
    const before = old.bytes()
    await expect(PbasModel.load(old.path, tinyBackbone(dir))).rejects.toThrow(/is model format 1, written before models carried checksums/)
    expect(old.bytes()).toEqual(before)
  })

  it('the real model is sealed: both checksums verify', async () => {
    const meta = await readModelMeta(model)
    expect(meta.formatVersion).toBe(2)
    expect(meta.integrity!.metaSha256).toBe(metaChecksum(meta))
    expect(meta.integrity!.weightsSha256).toBe(sha256(readFileSync(join(model, 'weights.pbasw'))))
    await expect(loadModelFiles(model)).resolves.toMatchObject({ meta: { formatVersion: 2 } })
  })
})

// Commands never delete or overwrite what they did not create, refuse tampered models, and record exactly what they used (issue 21).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../engine/backend/select-backend'
import { runTrainingPipeline } from '../engine/pipeline/train-pipeline'
import { PbasModel } from '../engine/pipeline/predict'
import { decodeBundle, encodeBundle } from '../engine/util/tensor-bundle'
import { snapshotTree } from '../../test-support/snapshot'
import { builtinBackbone, builtinConfig, trainBuiltinModel } from '../../test-support/builtin-model'
import { main } from './main'

let dir: string
let data: string
let model: string
const backbone = () => builtinBackbone(dir)
const config = builtinConfig
const cli = ['--backbone', 'resnet18', '--epochs', '1', '--image-size', '64']

/** Every file under `root` with its size and modification time: what "untouched" means. */
const snapshot = (root: string) => snapshotTree(root, { withTime: true })

/** Runs the CLI in-process and returns its exit code and what it printed on stderr. */
async function pbas(...argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const errs: string[] = []
  const outs: string[] = []
  const e = console.error
  const l = console.log
  console.error = (...a: unknown[]) => void errs.push(a.join(' '))
  console.log = (...a: unknown[]) => void outs.push(a.join(' '))
  try {
    return { code: await main(argv), err: errs.join('\n'), out: outs.join('\n') }
  } finally {
    console.error = e
    console.log = l
  }
}

beforeAll(async () => {
  await initBackend()
  process.env.PBAS_DATA_DIR = join(await mkdtemp(join(tmpdir(), 'pbas-safe-data-')), 'data')
  dir = await mkdtemp(join(tmpdir(), 'pbas-safe-'))
  ;({ data, model } = await trainBuiltinModel(dir))
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('train --out never deletes what train did not write (finding 1)', () => {
  it('refuses a folder holding a user file and a sub-folder, and says --force', async () => {
    const out = join(dir, 'mine')
    mkdirSync(join(out, 'sub'), { recursive: true })
    writeFileSync(join(out, 'thesis.docx'), 'years of work')
    writeFileSync(join(out, 'sub', 'photo.jpg'), 'x')
    const before = snapshot(out)
    const r = await pbas('train', '--data', data, '--out', out, ...cli)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/--out .*mine already holds files PBAS Inspect did not write there \(sub, thesis\.docx\); nothing was changed.*--force/)
    expect(snapshot(out)).toEqual(before)
    expect(existsSync(`${out}.features`)).toBe(false)
  })

  it('refuses the data set itself and a folder inside it, --force included', async () => {
    const before = snapshot(data)
    const same = await pbas('train', '--data', data, '--out', data, '--force', ...cli)
    expect([same.code, same.err]).toEqual([1, expect.stringMatching(/--out .*product is the data set .*--force included/)])
    const inside = await pbas('train', '--data', data, '--out', join(data, 'train'), '--force', ...cli)
    expect([inside.code, inside.err]).toEqual([1, expect.stringMatching(/lies inside the data set/)])
    const above = await pbas('train', '--data', data, '--out', dir, '--force', ...cli)
    expect([above.code, above.err]).toEqual([1, expect.stringMatching(/contains the data set/)])
    expect(snapshot(data)).toEqual(before)
  })

  it('a refused training leaves no MODEL.features behind (finding 9)', async () => {
    const bad = join(dir, 'mostly-broken')
    cpSync(data, bad, { recursive: true })
    const good = readdirSync(join(bad, 'train/good')).sort()
    for (const n of good.slice(2)) writeFileSync(join(bad, 'train/good', n), 'not a png')
    const out = join(dir, 'refused-model')
    await expect(runTrainingPipeline({ data: bad, out, config: config(), backbone: backbone(), backendName: 'wasm' })).rejects.toThrow(/could be read \(at least 4 are needed\)/)
    expect(existsSync(`${out}.features`)).toBe(false)
    expect(existsSync(out)).toBe(false)
  })
})

describe('export --out and infer --heatmaps (findings 1 and 9)', () => {
  it('export never replaces the model folder, --force included', async () => {
    const before = snapshot(model)
    const r = await pbas('export', '--model', model, '--out', model, '--force')
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/is the model being exported .*--force included/)])
    expect(snapshot(model)).toEqual(before)
  })

  it("infer --heatmaps keeps an earlier run's maps and refuses a folder of other files without --force", async () => {
    const img = join(data, 'test/dent/000.png')
    const heat = join(dir, 'heat')
    expect((await pbas('infer', '--model', model, img, '--heatmaps', heat, '--json')).code).toBe(0)
    const first = readFileSync(join(heat, '000_heatmap.png'))
    const firstTime = statSync(join(heat, '000_heatmap.png')).mtimeMs
    const again = await pbas('infer', '--model', model, img, '--heatmaps', heat, '--json')
    expect(again.code).toBe(0)
    expect(JSON.parse(again.out).heatmap).toBe(join(heat, '000_heatmap-2.png'))
    expect(readFileSync(join(heat, '000_heatmap.png')).equals(first)).toBe(true)
    expect(statSync(join(heat, '000_heatmap.png')).mtimeMs).toBe(firstTime)
    const photos = join(dir, 'photos')
    mkdirSync(photos)
    writeFileSync(join(photos, '000_heatmap.png'), 'a photo that happens to have this name')
    writeFileSync(join(photos, 'notes.txt'), 'mine')
    const refused = await pbas('infer', '--model', model, img, '--heatmaps', photos)
    expect([refused.code, refused.err]).toEqual([1, expect.stringMatching(/--heatmaps .*photos already holds files .*--force/)])
    const forced = await pbas('infer', '--model', model, img, '--heatmaps', photos, '--force', '--json')
    expect(JSON.parse(forced.out).heatmap).toBe(join(photos, '000_heatmap-2.png'))
    expect(readFileSync(join(photos, '000_heatmap.png'), 'utf8')).toBe('a photo that happens to have this name')
  })
})

describe('model integrity is mandatory (finding 4)', () => {
  const tamper = (name: string, edit: (d: string) => void) => {
    const d = join(dir, name)
    cpSync(model, d, { recursive: true })
    edit(d)
    return d
  }
  const editMeta = (d: string, f: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'))
    f(m)
    writeFileSync(join(d, 'model.json'), JSON.stringify(m))
  }
  const asFormat1 = (m: Record<string, unknown>) => {
    m.formatVersion = 1
    delete m.integrity
  }

  it('a model relabelled as format 1 without checksums is refused, with the reason, by every loader', async () => {
    const raised = tamper('format1-raised', (d) =>
      editMeta(d, (m) => {
        asFormat1(m)
        const t = m.thresholds as { default: { value: number }; band: { review: number; fail: number } }
        t.default.value = t.band.review = t.band.fail = 1e30
      }),
    )
    await expect(PbasModel.load(raised, backbone())).rejects.toThrow(/model format 1, written before models carried checksums.*Retrain/)
    const r = await pbas('infer', '--model', raised, join(data, 'test/dent/000.png'))
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/format1-raised\/model\.json is model format 1/)])
    const weights = tamper('format1-weights', (d) => {
      editMeta(d, asFormat1)
      const file = join(d, 'weights.pbasw')
      const { meta, arrays } = decodeBundle(readFileSync(file), file)
      arrays.discW2.data.fill(0.5)
      writeFileSync(file, encodeBundle(meta, arrays))
    })
    await expect(PbasModel.load(weights, backbone())).rejects.toThrow(/model format 1/)
  })

  it('a weights.pbasw of exactly 2 GiB is refused by infer, eval, calibrate and export with the limit (finding 3)', async () => {
    const d = tamper('huge-weights', (x) => truncateSync(join(x, 'weights.pbasw'), 2 * 2 ** 30))
    for (const cmd of [['infer', join(data, 'test/dent/000.png')], ['eval', '--data', data], ['calibrate', join(data, 'test/good')], ['export', '--out', join(dir, 'huge-export')]]) {
      const r = await pbas(cmd[0], '--model', d, ...cmd.slice(1))
      expect([cmd[0], r.code, r.err]).toEqual([cmd[0], 1, expect.stringMatching(/weights\.pbasw.*limited to 1024 MiB and it holds 2048 MiB/)])
    }
  })

  it('a format-2 model whose integrity record was deleted is refused', async () => {
    const d = tamper('no-integrity', (x) => editMeta(x, (m) => void delete m.integrity))
    await expect(PbasModel.load(d, backbone())).rejects.toThrow(/was changed after training/)
  })
})

describe('calibrate records exactly the images it used (finding 8)', () => {
  it('refuses with a non-zero exit and writes nothing when every image is refused', async () => {
    const line = join(dir, 'all-broken')
    mkdirSync(line)
    for (let i = 0; i < 5; i++) await writeFile(join(line, `part-${i}.png`), 'not a png')
    const before = readFileSync(join(model, 'model.json'))
    const r = await pbas('calibrate', '--model', model, line)
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/none of the 5 images can calibrate this model, so nothing was changed/)])
    expect(r.err).toMatch(/left out .*part-0\.png: Cannot read image/)
    expect(readFileSync(join(model, 'model.json')).equals(before)).toBe(true)
  })

  it('says how many images it used when some were refused', async () => {
    const line = join(dir, 'some-broken')
    mkdirSync(line)
    for (const n of ['000', '001', '002']) await copyFile(join(data, 'test/good', `${n}.png`), join(line, `good-${n}.png`))
    for (let i = 0; i < 9; i++) await writeFile(join(line, `broken-${i}.png`), 'not a png')
    const r = await pbas('calibrate', '--model', model, line, '--json')
    expect(r.code).toBe(0)
    const { revision, refused } = JSON.parse(r.out)
    expect(refused).toHaveLength(9)
    expect(revision.calibration.source).toMatch(new RegExp(`^3 good images in ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(9 more left out\\) and the 3 good images held out at training$`))
  })
})

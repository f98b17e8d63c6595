// Tiles at native resolution end to end: training on tiles, tiled scores and stitched maps, calibration, export, a region, refusals.
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile, readFile, cp } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { tinyBackbone, tinyConfig } from '../../../test-support/tiny-model'
import { WIDE_DEFECT } from '../../../test-support/wide-product'
import { useWideProduct } from '../../../test-support/wide-product-fixture'
import { REPO_ROOT } from '../../../test-support/shared'
import { parseRegion } from '../../../shared/image/region'
import { loadModelFiles } from '../model/model-file'
import { exportLoadedModel } from '../export/export-model'
import { InputError } from '../util/errors'
import { PbasModel } from './predict'
import { runStation, type StationProgress } from '../station/station'
import { runTrainingPipeline } from './train-pipeline'
import { featurePlot } from '../analysis/feature-plot'

const wide = useWideProduct('pbas-tiles-')
const { data } = wide
// 64 px tiles of the 192 x 64 photos at their own pixels: four across, overlapping by at least 16 px.
const TILED = { fit: 'tile', imageSize: 64, resize: 64, epochs: 6, calibrationShare: 0.25, minCalibrationImages: 3 }
const model = () => join(wide.dir(), 'tiled')

describe('tiles at native resolution', () => {
  it('train on every tile of every photo: far-end defects score above every good part, and the map is hot where the defect is', async () => {
    const messages: string[] = []
    await runTrainingPipeline({ data: data(), out: model(), config: tinyConfig(TILED), backbone: tinyBackbone(wide.dir()), backendName: 'wasm' }, {
      onProgress: (e) => void (e.kind === 'stage' && messages.push(e.message)),
    })
    expect(messages).toContain('each 192 x 64 photo is 4 tiles of 64 px, each seen at 64 px: 256 patches per photo')
    const { meta, arrays } = await loadModelFiles(model())
    expect(meta.tiling).toEqual({ photoWidth: 192, photoHeight: 64, side: 64, tiles: 4 })
    expect(arrays.centre.shape).toEqual([4 * 8 * 8, 64])
    const m = await PbasModel.load(model(), tinyBackbone(wide.dir()))
    try {
      const { pits, worstGood } = await wide.scoreTestParts(m)
      for (const p of pits) {
        expect(p.score).toBeGreaterThan(worstGood)
        // The stitched map lies over the whole photo (stretched to 64 x 64): its hottest pixel is on the defect.
        let at = 0
        for (let i = 1; i < p.map.length; i++) if (p.map[i] > p.map[at]) at = i
        expect(Math.abs(((at % 64) + 0.5) / 64 - WIDE_DEFECT.x)).toBeLessThan(0.06)
        expect(p.image.geometry.resizedWidth).toBe(64)
      }
      // Calibration used the same tiled scores the model gives later.
      const revision = meta.calibrations!.revisions[0]
      expect(revision.images.length).toBeGreaterThanOrEqual(3)
      const again = await m.predict(revision.images.map((i) => i.path))
      again.forEach((p, k) => expect(Math.abs(p.score - revision.images[k].score)).toBeLessThan(1e-4))
    } finally {
      m.dispose()
    }
  }, 180_000)

  it("the feature plot reads the tiles the model learnt, and finds the pits' patches", async () => {
    const plot = await featurePlot({ modelDir: model(), data: data(), stage: 'final', backbone: tinyBackbone(wide.dir()), perGroup: 2000, images: 2 })
    // Two good photos of 4 tiles x 64 patches each: every one of their 512 patches is a point.
    expect(plot.groups[0].points).toHaveLength(2 * 4 * 64)
    expect(plot.groups.find((g) => g.name === 'defect-projected')?.points.length).toBeGreaterThan(0)
  }, 60_000)

  it('the export cuts the same tiles: the graph equals the engine, and the README example gives its score', async () => {
    const m = await PbasModel.load(model(), tinyBackbone(wide.dir()))
    try {
      const out = join(wide.dir(), 'export')
      const r = await exportLoadedModel(m, out)
      expect(r.meta.input.shape).toEqual(['n_tiles', 64, 64, 3])
      expect(r.meta.tiling!.tiles).toHaveLength(4)
      expect(r.meta.verification!.maxScoreDifference).toBeLessThan(1e-4)
      expect(r.meta.verification!.maxMapDifference).toBeLessThan(1e-4)
      const code = /```js\n([\s\S]*?)```/.exec(await readFile(r.files.readme, 'utf8'))![1]
      const example = join(wide.dir(), 'readme-example')
      await mkdir(example, { recursive: true })
      for (const f of ['model.onnx', 'model.json']) await cp(join(out, f), join(example, f))
      await writeFile(join(example, 'inspect.js'), code)
      const photo = wide.photos('test/pit', 1)[0]
      const said = execFileSync(process.execPath, [join(example, 'inspect.js'), photo], { encoding: 'utf8', env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') } })
      const [p] = await m.predict([photo])
      expect(said.trim().split(' ')[0]).toBe(p.verdict)
      expect(Math.abs(Number(said.trim().split(' ')[1]) - p.score)).toBeLessThan(1.5e-4)
    } finally {
      m.dispose()
    }
  }, 120_000)

  it('a photo of another size is refused by name, at inference, at the station and in training', async () => {
    const other = join(wide.dir(), 'other.png')
    await sharp(wide.photos('test/good', 1)[0]).resize(160, 64, { fit: 'fill' }).toFile(other)
    const said = `${other} is 160 x 64 but the model scores 192 x 64 photos in 4 tiles; photograph it at the model's size or train a model for this size`
    const m = await PbasModel.load(model(), tinyBackbone(wide.dir()))
    try {
      await expect(m.predict([other])).rejects.toThrow(new InputError(said))
      // At the station: the same tiled score for a photo of the model's size, the other size refused by name.
      const line = join(wide.dir(), 'line')
      await mkdir(line)
      const pit = wide.photos('test/pit', 1)[0]
      await cp(pit, join(line, 'pit.png'))
      await cp(other, join(line, 'other.png'))
      const ac = new AbortController()
      const seen: StationProgress[] = []
      const timer = setTimeout(() => ac.abort(), 30_000)
      await runStation({ model: m, modelDir: model(), dir: line, settleMs: 100, pollMs: 20, unreadableAfterMs: 100 }, {
        signal: ac.signal,
        onProgress: (e) => {
          seen.push(e)
          if (seen.some((x) => x.kind === 'part') && seen.some((x) => x.kind === 'unreadable')) ac.abort()
        },
      })
      clearTimeout(timer)
      const [expected] = await m.predict([pit])
      const parts = seen.flatMap((e) => (e.kind === 'part' ? [e.part] : []))
      expect(parts.map((p) => p.file)).toEqual(['pit.png'])
      expect(Math.abs(parts[0].score - expected.score)).toBeLessThan(1e-6)
      expect(seen.flatMap((e) => (e.kind === 'unreadable' ? [e.record.reason] : []))).toEqual([said.replace(other, join(line, 'other.png'))])
    } finally {
      m.dispose()
    }
    const mixed = join(wide.dir(), 'mixed')
    await cp(data(), mixed, { recursive: true })
    await cp(other, join(mixed, 'train/good/zz-other.png'))
    await expect(runTrainingPipeline({ data: mixed, out: join(wide.dir(), 'mixed-model'), config: tinyConfig(TILED), backbone: tinyBackbone(wide.dir()), backendName: 'wasm' })).rejects.toThrow(/zz-other\.png is 160 x 64 but .* is 192 x 64: with tiles every photo of a model must have one size/)
  }, 120_000)

  it('with a region: each tile keeps only its inspected patches, the ignored end scores 0, and the export applies the same mask', async () => {
    // Ignore the right end, where the pits are: the last tile (x 128-192) loses most of its patches.
    const region = parseRegion({ imageWidth: 192, imageHeight: 64, inspect: [], ignore: [{ type: 'rect', x: 150, y: 0, width: 42, height: 64 }] }, 'region')
    const out = join(wide.dir(), 'region-model')
    await runTrainingPipeline({ data: data(), out, config: tinyConfig(TILED), region, backbone: tinyBackbone(wide.dir()), backendName: 'wasm' })
    const { meta, arrays } = await loadModelFiles(out)
    expect(meta.keptPatches).toBeGreaterThan(3 * 64)
    expect(meta.keptPatches).toBeLessThan(4 * 64)
    expect(arrays.centre.shape).toEqual([meta.keptPatches, 64])
    const m = await PbasModel.load(out, tinyBackbone(wide.dir()))
    try {
      const [pit] = await m.predict(wide.photos('test/pit', 1))
      expect(pit.map[Math.floor(WIDE_DEFECT.y * 64) * 64 + Math.floor(WIDE_DEFECT.x * 64)]).toBeLessThan(1e-3)
      expect(pit.map[32 * 64 + 20]).toBeGreaterThan(0.01)
      const exported = await exportLoadedModel(m, join(wide.dir(), 'region-export'))
      expect(exported.meta.verification!.maxScoreDifference).toBeLessThan(1e-4)
      expect(exported.meta.verification!.maxMapDifference).toBeLessThan(1e-4)
    } finally {
      m.dispose()
    }
  }, 120_000)

  it('tiles in rows and columns (32 px tiles: 3 rows of 8) with a region: export equal to the engine, the pit found where it is', async () => {
    const region = parseRegion({ imageWidth: 192, imageHeight: 64, inspect: [], ignore: [{ type: 'rect', x: 0, y: 0, width: 20, height: 64 }] }, 'region')
    const out = join(wide.dir(), 'rows-model')
    await runTrainingPipeline({ data: data(), out, config: tinyConfig({ ...TILED, tileSide: 32, epochs: 2 }), region, backbone: tinyBackbone(wide.dir()), backendName: 'wasm' })
    const { meta } = await loadModelFiles(out)
    expect(meta.tiling).toEqual({ photoWidth: 192, photoHeight: 64, side: 32, tiles: 24 })
    const m = await PbasModel.load(out, tinyBackbone(wide.dir()))
    try {
      const [pit] = await m.predict(wide.photos('test/pit', 1))
      let at = 0
      for (let i = 1; i < pit.map.length; i++) if (pit.map[i] > pit.map[at]) at = i
      expect(Math.abs(((at % 64) + 0.5) / 64 - WIDE_DEFECT.x)).toBeLessThan(0.06)
      expect(Math.abs((Math.floor(at / 64) + 0.5) / 64 - WIDE_DEFECT.y)).toBeLessThan(0.15)
      const exported = await exportLoadedModel(m, join(wide.dir(), 'rows-export'))
      expect(exported.meta.verification!.maxScoreDifference).toBeLessThan(1e-4)
      expect(exported.meta.verification!.maxMapDifference).toBeLessThan(1e-4)
    } finally {
      m.dispose()
    }
    // A model.json whose tiling is not the layout its settings give is damaged, named as such.
    const json = join(out, 'model.json')
    const raw = JSON.parse(await readFile(json, 'utf8'))
    await writeFile(json, JSON.stringify({ ...raw, tiling: { ...raw.tiling, tiles: 12 } }))
    await expect(loadModelFiles(out)).rejects.toThrow(/is damaged: tiling .* is not the layout of 32 px tiles its config gives/)
    // A tile side below 8 px is refused before anything runs.
    expect(() => tinyConfig({ ...TILED, tileSide: 3 })).toThrow(/tileSide must be 0 \(the input size\) or at least 8 px, got 3/)
  }, 120_000)
})

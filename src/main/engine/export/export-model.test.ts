import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { loadBackbone } from '../backbone/load-backbone'
import { loadModelFiles } from '../model/model-file'
import { loadOrt } from '../onnx/ort'
import { PbasModel } from '../pipeline/predict'
import { exportLoadedModel, exportModel, ExportError } from './export-model'
import type { ExportMeta } from './export-meta'
import { runExportedModel, testImages, trainSmallModel } from '../../../test-support/small-model'
import { tinyBackbone } from '../../../test-support/tiny-model'
import { REPO_ROOT } from '../../../test-support/shared'
import { writeMobileNetLikeLayersModel } from '../../../test-support/tfjs-models'

let dir: string
let modelDir: string
let data: string
/** The training data: a generated product here; export-model.real.test.ts runs the parity check on MVTec bottle. */
const SOURCE = 'synthetic'
let exportDir: string
const ctx = () => tinyBackbone(dir)

/** True when Debian's python3-onnx is importable by /usr/bin/python3. */
const pythonOnnx = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!pythonOnnx) console.log('skipping onnx.checker: /usr/bin/python3 cannot import onnx (Debian package python3-onnx)')

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-export-'))
  ;({ model: modelDir, data } = await trainSmallModel(dir, { source: SOURCE, size: 128, trainImages: 24, epochs: 2 }))
  exportDir = join(dir, 'export')
  await exportModel({ model: modelDir, out: exportDir, backbone: ctx() })
}, 300_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ONNX export', () => {
  it(`equals the engine's predict on all 83 ${SOURCE} test images to 1e-4 (score and map), on both engine paths`, async () => {
    const ort = loadOrt()
    expect(ort, 'onnxruntime-node must load for this test').not.toBeNull()
    const paths = await testImages(data)
    expect(paths).toHaveLength(83)
    for (const fused of ['0', '1']) {
      // '0': the step-by-step engine (E_phi in JavaScript, then the head), an implementation independent of the graph.
      process.env.PBAS_FUSED = fused
      const model = await PbasModel.load(modelDir, ctx())
      try {
        expect(await model.inferencePath()).toBe(fused === '1' ? 'fused-onnx' : 'steps')
        const preds = await model.predict(paths)
        const S = model.meta.config.imageSize
        const got = await runExportedModel(ort!, exportDir, preds.map((p) => p.image.data), S)
        let ds = 0
        let dm = 0
        preds.forEach((p, i) => {
          ds = Math.max(ds, Math.abs(p.score - got.scores[i]))
          for (let j = 0; j < S * S; j++) dm = Math.max(dm, Math.abs(p.map[j] - got.maps[i][j]))
        })
        console.log(`PBAS_FUSED=${fused}: max score diff ${ds.toExponential(2)}, max map diff ${dm.toExponential(2)}`)
        expect(ds).toBeLessThan(1e-4)
        expect(dm).toBeLessThan(1e-4)
        // Not a vacuous match: scores and maps vary across images.
        const scores = preds.map((p) => p.score)
        expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.01)
      } finally {
        model.dispose()
        delete process.env.PBAS_FUSED
      }
    }
  })

  it('writes model.json with the metadata the line needs, and no images or features', async () => {
    const meta = JSON.parse(readFileSync(join(exportDir, 'model.json'), 'utf8')) as ExportMeta
    const { meta: m } = await loadModelFiles(modelDir)
    expect(meta.input).toEqual({ name: 'image', dtype: 'float32', shape: ['n', 128, 128, 3], layout: 'NHWC', channels: 'RGB', range: [0, 1] })
    expect(meta.preprocessing).toMatchObject({ fit: 'crop', resize: 128, crop: 128 })
    expect(meta.preprocessing.rule).toContain('shorter side is 128 px')
    expect(meta.thresholds.band).toEqual(m.thresholds.band)
    expect(meta.thresholds.mapRange).toEqual(m.thresholds.mapRange)
    expect(meta.backbone).toEqual({ id: 'resnet18', weightsSha256: m.backbone.weightsChecksum, taps: ['layer2', 'layer3'] })
    expect(meta.dataset.fingerprint).toBe(m.dataset.fingerprint)
    expect(meta.engineVersion).toBe(m.engineVersion)
    expect(meta.normalisation).toEqual({ insideGraph: true, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] })
    expect(meta.outputs.map((o) => [o.name, o.shape])).toEqual([['score', ['n']], ['anomaly_map', ['n', 128, 128]]])
    expect(meta.verification!.maxMapDifference).toBeLessThan(1e-4)
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(readFileSync(join(exportDir, 'model.onnx'))).digest('hex')).toBe(meta.file.sha256)
    const { readdir } = await import('node:fs/promises')
    expect((await readdir(exportDir)).sort()).toEqual(['README.md', 'model.json', 'model.onnx'])
    // The training set's location is not part of the package.
    expect(JSON.stringify(meta)).not.toContain(data)
  })

  it.skipIf(!pythonOnnx)('passes onnx.checker (full check, with shape inference)', () => {
    const out = execFileSync('/usr/bin/python3', ['-c', 'import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(m.opset_import[0].version, len(m.graph.node))', join(exportDir, 'model.onnx')], { encoding: 'utf8' })
    expect(out.trim()).toMatch(/^17 \d+$/)
  })

  it("the README's Node example runs and gives the engine's score", async () => {
    const code = /```js\n([\s\S]*?)```/.exec(readFileSync(join(exportDir, 'README.md'), 'utf8'))![1]
    const example = join(dir, 'readme-example')
    await mkdir(example, { recursive: true })
    for (const f of ['model.onnx', 'model.json']) await writeFile(join(example, f), readFileSync(join(exportDir, f)))
    await writeFile(join(example, 'inspect.js'), code)
    const image = (await testImages(data)).at(-1)!
    const out = execFileSync(process.execPath, [join(example, 'inspect.js'), image], { encoding: 'utf8', env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') } })
    const [verdict, score] = out.trim().split(' ')
    const model = await PbasModel.load(modelDir, ctx())
    const [p] = await model.predict([image])
    model.dispose()
    expect(verdict).toBe(p.verdict)
    expect(Math.abs(Number(score) - p.score)).toBeLessThan(1.5e-4)
  })

  it('refuses what it cannot express or would overwrite, with a message saying why', async () => {
    const { meta, arrays } = await loadModelFiles(modelDir)
    const r18 = await loadBackbone(meta.backbone.spec, ctx())
    const abl = PbasModel.fromParts({ ...meta, config: { ...meta.config, scoring: 'abl-only' } }, r18, arrays)
    await expect(exportLoadedModel(abl, join(dir, 'abl'))).rejects.toThrow(/cannot be exported to ONNX: it scores patches by distance to the centre/)
    abl.dispose()
    await writeMobileNetLikeLayersModel(join(dir, 'mobilenet_v1_imagenet'))
    const mobilenet = await loadBackbone(join(dir, 'mobilenet_v1_imagenet'), ctx())
    const mb = PbasModel.fromParts({ ...meta, backbone: { ...meta.backbone, taps: [...mobilenet.defaultTaps] } }, mobilenet, arrays)
    await expect(exportLoadedModel(mb, join(dir, 'mb'))).rejects.toThrow(/its backbone .*mobilenet.* is not a torchvision ResNet/i)
    mb.dispose()
    expect(existsSync(join(dir, 'abl'))).toBe(false)
    // A folder with someone's files is never replaced.
    await writeFile(join(dir, 'notes.txt'), 'keep me')
    const model = await PbasModel.load(modelDir, ctx())
    await expect(exportLoadedModel(model, dir)).rejects.toBeInstanceOf(ExportError)
    model.dispose()
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me')
  })
})

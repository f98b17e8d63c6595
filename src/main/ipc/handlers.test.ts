import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHandlers } from './handlers'
import { INVOKE_CHANNELS } from '../../shared/ipc/invoke-map'
import { createAppContext, type AppContext } from '../compose/app-context'
import { BUILT_IN_RESNET18, REPO_ROOT } from '../../test-support/shared'

let dir: string
let ctx: AppContext
let dispatch: AppContext['dispatch']
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-ipc-'))
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
  dispatch = ctx.dispatch
})
afterAll(async () => {
  await ctx.close()
  await rm(dir, { recursive: true })
})

describe('IPC handlers', () => {
  it('cover every declared channel', () => {
    const handlers = createHandlers({ ...ctx, reviewer: 'qe', readReview: async () => { throw new Error('unused') }, writeReport: async () => { throw new Error('unused') } })
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('turn malformed arguments into typed errors instead of crashing', async () => {
    expect(await dispatch('datasets:check-start', null)).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'expected { dir, category? }' } })
    expect(await dispatch('datasets:check-start', { dir: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await dispatch('products:create', { name: ['x'] })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'name must be a non-empty string' } })
    expect(await dispatch('products:rename', 'id')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await dispatch('nope:nope' as never, {})).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await dispatch('datasets:save', { productId: 'p', jobId: 'no-such-job' })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('check the folder first') } })
    expect(await dispatch('jobs:cancel', { jobId: 'no-such-job' })).toEqual({ ok: true, value: false })
    expect(await dispatch('runs:start', { productId: 'p', datasetId: 'd', preset: 'fast' })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('preset must be one of') } })
    expect(await dispatch('runs:start', { productId: 'p', datasetId: 'd', preset: 'quick', overrides: { epochz: 3 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining("unknown config key 'epochz'") } })
    expect(await dispatch('runs:start', { productId: 'p', datasetId: 'd', preset: 'quick', overrides: { epochs: [1] } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await dispatch('products:set-region', { id: 'p', region: { imageWidth: 100, imageHeight: 50, ignore: [{ type: 'rect', x: 90, y: 0, width: 20, height: 10 }] } })).toMatchObject({
      ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('the region: a shape reaches outside the 100 x 50 photo it was drawn on') },
    })
    const missing = await dispatch('datasets:thumbnails', { dir: '/no/such/folder' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('/no/such/folder is not a folder') } })
  })

  it('lists backbones, imports weights from a file, and validates fetch requests', async () => {
    const before = await dispatch('backbones:list', undefined)
    // ResNet18 works out of the box: its ImageNet weights ship in resources/.
    expect(before.ok && before.value.map((b) => [b.arch, b.stored, b.builtIn])).toEqual([['resnet18', false, true], ['resnet50', false, false], ['wide_resnet50_2', false, false]])
    expect(before.ok && before.value[0]).toMatchObject({ file: 'resnet18_to_layer3.safetensors', layers: 3, sha256: expect.stringMatching(/^eb1bd860/) })
    const imported = await dispatch('backbones:import', { path: join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors') })
    expect(imported).toMatchObject({ ok: true, value: { arch: 'resnet18', stored: true, builtIn: true, layers: 3 } })
    const after = await dispatch('backbones:list', undefined)
    // The imported copy now comes first: new runs use it.
    expect(after.ok && after.value.find((b) => b.arch === 'resnet18')).toMatchObject({ stored: true, builtIn: true, file: expect.stringMatching(/^resnet18-eb1bd860\.safetensors$/) })
    expect(await dispatch('backbones:fetch', { arch: 'vgg16' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await dispatch('backbones:import', { path: '/no/file.pth' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('/no/file.pth') } })
  })

  it('checks a folder as a job, then saves it, copying the images only when asked', async () => {
    const { writeSyntheticProduct } = await import('../engine/demo/synthetic-product')
    const { existsSync } = await import('node:fs')
    const src = join(dir, 'small')
    await writeSyntheticProduct(src, { size: 32, trainGood: 2, testGood: 1, testScratch: 1, testDent: 1, seed: 9 })
    const p = await dispatch('products:create', { name: 'Copies' })
    const productId = p.ok ? p.value.id : ''
    const started = await dispatch('datasets:check-start', { dir: src })
    const jobId = started.ok ? started.value.jobId : ''
    await new Promise<void>((resolve) => ctx.runner.on((e) => e.jobId === jobId && e.type === 'state' && e.state === 'succeeded' && resolve()))
    const kept = await dispatch('datasets:save', { productId, jobId })
    expect(kept.ok && kept.value.root).toBe(src)
    const copied = await dispatch('datasets:save', { productId, jobId, copy: true })
    expect(copied.ok && copied.value.root.startsWith(join(dir, 'ws', 'images'))).toBe(true)
    expect(copied.ok && existsSync(join(copied.value.root, 'train/good/000.png'))).toBe(true)
  })

  it('creates a product, imports a generated product\'s data set into it, and lists both', async () => {
    const { writeSyntheticProduct } = await import('../engine/demo/synthetic-product')
    const bottle = join(dir, 'bottle-like')
    await writeSyntheticProduct(bottle, { size: 48, trainGood: 21, testGood: 2, testScratch: 3, testDent: 3, seed: 6 })
    const created = await dispatch('products:create', { name: 'Bottle' })
    expect(created).toMatchObject({ ok: true, value: { name: 'Bottle' } })
    expect(await dispatch('products:create', { name: 'Bottle' })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('already exists') } })
    const id = created.ok ? created.value.id : ''
    const started = await dispatch('datasets:check-start', { dir: bottle })
    const jobId = started.ok ? started.value.jobId : ''
    await new Promise<void>((resolve) => ctx.runner.on((e) => e.jobId === jobId && e.type === 'state' && e.state === 'succeeded' && resolve()))
    const imported = await dispatch('datasets:save', { productId: id, jobId })
    expect(imported.ok && [imported.value.summary.trainGood, imported.value.summary.testGood, imported.value.summary.testDefect]).toEqual([21, 2, 6])
    const list = await dispatch('datasets:list', { productId: id })
    expect(list.ok && list.value.map((d) => d.layout)).toEqual(['mvtec'])
    expect(await dispatch('products:delete', { id })).toEqual({ ok: true, value: null })
    const left = await dispatch('products:list', undefined)
    expect(left.ok && left.value.map((x) => x.name)).toEqual(['Copies'])
  })

  it('measures a run once per machine and settings, names runs from their settings, and keeps edited names and notes', async () => {
    const { writeSyntheticProduct } = await import('../engine/demo/synthetic-product')
    const src = join(dir, 'named')
    await writeSyntheticProduct(src, { size: 48, trainGood: 3, testGood: 1, testScratch: 1, testDent: 1, seed: 4 })
    const p = await dispatch('products:create', { name: 'Named' })
    const productId = p.ok ? p.value.id : ''
    const check = await dispatch('datasets:check-start', { dir: src })
    const checkId = check.ok ? check.value.jobId : ''
    await new Promise<void>((resolve) => ctx.runner.on((e) => e.jobId === checkId && e.type === 'state' && e.state === 'succeeded' && resolve()))
    const d = await dispatch('datasets:save', { productId, jobId: checkId })
    const datasetId = d.ok ? d.value.id : ''
    const settings = { datasetId, preset: 'quick', overrides: { backbone: 'random:resnet18', imageSize: 32, resize: 32, targetDim: 64, pretrainDim: 64, discHidden: 32, batchSize: 2 } }
    const first = await dispatch('runs:estimate', settings)
    expect(first).toMatchObject({ ok: true, value: { measure: null, jobId: expect.any(String) } })
    const jobId = first.ok ? first.value.jobId : ''
    const measure = await new Promise<{ stepSeconds: number; patches: number }>((resolve, reject) =>
      ctx.runner.on((e) => e.jobId === jobId && e.kind === 'run-estimate' && e.type === 'state' && (e.state === 'succeeded' ? resolve(e.result) : e.state === 'failed' && reject(new Error(e.error.message)))))
    expect(measure.stepSeconds).toBeGreaterThan(0)
    expect(measure.patches).toBe(16)
    // Other epochs or learning rates cost the same per step: the cached measurement answers at once.
    expect(await dispatch('runs:estimate', { ...settings, overrides: { ...settings.overrides, epochs: 3, lrProjector: 1e-3 } })).toMatchObject({ ok: true, value: { measure: { patches: 16 }, jobId: null } })
    expect(await dispatch('runs:estimate', { ...settings, overrides: { ...settings.overrides, alpha: -1 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('alpha must be a non-negative number') } })

    const started = await dispatch('runs:start', { productId, ...settings, overrides: { ...settings.overrides, epochs: 1 }, note: 'first try', estimateSeconds: 12 })
    expect(started).toMatchObject({ ok: true, value: { name: 'Quick (edited) - ResNet18 - 32 px - 1 epochs', note: 'first try', estimateSeconds: 12 } })
    const runId = started.ok ? started.value.id : ''
    expect(await dispatch('runs:describe', { runId, name: '  Bottle, narrow head  ', note: 'D = 64 to see if it is enough' })).toMatchObject({ ok: true, value: { name: 'Bottle, narrow head', note: 'D = 64 to see if it is enough' } })
    expect(await dispatch('runs:describe', { runId, name: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    await dispatch('runs:cancel', { runId })
  })
})

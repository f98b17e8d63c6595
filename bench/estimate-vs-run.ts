// Benchmark: the duration the training form shows before a Quick run on MVTec bottle, against that run's real duration.
// Drives the same service code as the app (createAppContext + IPC dispatch). Run with `npx tsx bench/estimate-vs-run.ts`;
// writes bench/results/estimate-vs-run.json. Takes the length of one Quick run (15-35 min on a 2-core CPU).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createAppContext } from '../src/main/compose/app-context'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { estimateRun, type RunCostMeasure } from '../src/shared/pbas/estimate'
import type { JobEvent } from '../src/shared/models/job'
import { machineInfo } from './machine-info'

const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(__dirname, '..', '..', 'shared')

async function main(): Promise<void> {
  process.env.PBAS_BACKEND ??= 'wasm'
  const backend = await initBackend()
  const dir = mkdtempSync(join(tmpdir(), 'pbas-estimate-'))
  const ctx = createAppContext(join(dir, 'ws'), { workerScript: resolve(__dirname, '..', 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
  const call = async <T>(channel: Parameters<typeof ctx.dispatch>[0], arg: unknown): Promise<T> => {
    const r = await ctx.dispatch(channel, arg)
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
    return r.value as T
  }
  const jobEnd = (jobId: string) => new Promise<JobEvent>((done) => ctx.runner.on((e) => e.jobId === jobId && e.type === 'state' && e.state !== 'queued' && e.state !== 'running' && done(e)))
  const measured = (jobId: string) =>
    new Promise<RunCostMeasure>((done, fail) => ctx.runner.on((e) => {
      if (e.jobId !== jobId || e.kind !== 'run-estimate' || e.type !== 'state') return
      if (e.state === 'succeeded') done(e.result)
      else if (e.state === 'failed' || e.state === 'cancelled') fail(new Error(e.error.message))
    }))
  try {
    const product = await call<{ id: string }>('products:create', { name: 'Bottle' })
    const check = await call<{ jobId: string }>('datasets:check-start', { dir: join(SHARED, 'datasets', 'mvtec_bottle') })
    await jobEnd(check.jobId)
    const dataset = await call<{ id: string; summary: { trainGood: number; testGood: number; testDefect: number } }>('datasets:save', { productId: product.id, jobId: check.jobId })
    const settings = { datasetId: dataset.id, preset: 'quick', overrides: { backbone: join(SHARED, 'backbones', 'resnet18_imagenet_to_layer3') } }
    const load1 = loadavg()
    const t0 = Date.now()
    const reply = await call<{ measure: RunCostMeasure | null; jobId: string | null }>('runs:estimate', settings)
    const measure = reply.measure ?? (await measured(reply.jobId!))
    const measureSeconds = (Date.now() - t0) / 1000
    const s = dataset.summary
    const estimate = estimateRun(measure, { goodImages: s.trainGood, testImages: s.testGood + s.testDefect, epochs: 16, batchSize: 8, validationShare: 0 })
    console.log(`estimate ${estimate.seconds.toFixed(0)} s (measured in ${measureSeconds.toFixed(0)} s, load ${load1.map((x) => x.toFixed(1)).join(' ')})`)
    const loads: number[] = []
    const sampler = setInterval(() => loads.push(loadavg()[0]), 30_000)
    const epochs: number[] = []
    ctx.runService.on((e) => {
      if (e.type === 'progress' && e.progress.kind === 'epoch') {
        epochs.push(e.progress.seconds as number)
        console.log(`epoch ${e.progress.epoch}: ${(e.progress.seconds as number).toFixed(1)} s`)
      }
    })
    const run = await call<{ id: string }>('runs:start', { productId: product.id, ...settings, estimateSeconds: Math.round(estimate.seconds) })
    const finished = await new Promise<{ state: string; startedAt?: string; finishedAt?: string; metrics?: unknown; error?: string }>((done) =>
      ctx.runService.on((e) => e.type === 'state' && e.runId === run.id && ['succeeded', 'failed', 'cancelled'].includes(e.run.state) && done(e.run)))
    clearInterval(sampler)
    if (finished.state !== 'succeeded') throw new Error(`the run ${finished.state}: ${finished.error}`)
    const real = (Date.parse(finished.finishedAt!) - Date.parse(finished.startedAt!)) / 1000
    const result = {
      benchmark: 'estimate-vs-run',
      command: 'npx tsx bench/estimate-vs-run.ts',
      what: 'the estimate the training form shows before a Quick run (ResNet18 weights from ../shared/backbones, 256 px, 16 epochs) on MVTec bottle (209 good training images, 83 test images reviewed after training), against the run from start to finish',
      draft: process.env.BENCH_DRAFT ?? undefined,
      machine: machineInfo(backend),
      estimateSeconds: Math.round(estimate.seconds),
      estimateParts: Object.fromEntries(Object.entries(estimate.parts).map(([k, v]) => [k, Math.round(v)])),
      realSeconds: Math.round(real),
      errorPercent: Number(((100 * (estimate.seconds - real)) / real).toFixed(1)),
      measureSeconds: Math.round(measureSeconds),
      measure,
      epochSeconds: epochs.map((x) => Number(x.toFixed(1))),
      loadAverage: { beforeMeasure: load1.map((x) => Number(x.toFixed(2))), duringRun: loads.map((x) => Number(x.toFixed(2))) },
      metrics: finished.metrics,
    }
    mkdirSync(resolve(__dirname, 'results'), { recursive: true })
    writeFileSync(resolve(__dirname, 'results', 'estimate-vs-run.json'), `${JSON.stringify(result, null, 2)}\n`)
    console.log(JSON.stringify({ estimateSeconds: result.estimateSeconds, realSeconds: result.realSeconds, errorPercent: result.errorPercent }))
  } finally {
    await ctx.close()
  }
}

void main()

// Benchmark: the inspection station on MVTec bottle images with a Quick-settings model (ResNet18, 256 px, D 1536).
// Run with `npm run bench:station`; writes bench/results/station.json. BENCH_DRAFT=... marks a run on a busy machine.
import { copyFile, mkdir, rm, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { runStation, type StationProgress } from '../src/main/engine/station/station'
import { percentile } from '../src/main/engine/station/station-counters'
import type { PartRecord } from '../src/main/engine/station/results-log'
import { trackPeakMemory } from './machine-info'
import { MODEL, ROOT, ctx, quickModel, testImages } from './station-model'
import { benchMain } from './run-cases'

const SCRATCH = join(ROOT, 'scratch', 'bench-station')
/** The paced line runs at this share of the engine's own rate, measured first in the same process (a line with 2x headroom). */
const PACE_SHARE = 0.5

/** Runs a station on `dir` until `total` parts are logged; returns its part records. */
async function station(model: PbasModel, dir: string, total: number, feed?: () => Promise<void>): Promise<PartRecord[]> {
  const ac = new AbortController()
  const parts: PartRecord[] = []
  const run = runStation({ model, modelDir: MODEL, dir, sort: true }, {
    signal: ac.signal,
    onProgress: (e: StationProgress) => {
      if (e.kind === 'part') parts.push(e.part)
      if (parts.length >= total) ac.abort()
    },
  })
  await feed?.()
  await run
  return parts
}

const round = (x: number | null) => (x === null ? null : Number(x.toFixed(1)))

async function runCase(spec: string): Promise<void> {
  const backend = await initBackend(process.env.BENCH_BACKEND ?? 'wasm')
  await quickModel()
  const mem = trackPeakMemory()
  const model = await PbasModel.load(MODEL, ctx)
  const images = await testImages()
  const dir = join(SCRATCH, `line-${spec}`)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const warm = await model.predict(images.slice(0, 8)) // sessions and kernels, as a running station has them
  if (warm.length !== 8) throw new Error('warm-up failed')
  let result: Record<string, unknown>
  if (spec === 'backlog') {
    // A folder that filled while the station was down: 166 finished files (the 83 test images twice).
    const old = new Date(Date.now() - 60_000)
    for (const [i, p] of [...images, ...images].entries()) {
      const f = join(dir, `part-${String(i).padStart(4, '0')}.png`)
      await copyFile(p, f)
      await utimes(f, old, old)
    }
    const t0 = performance.now()
    const parts = await station(model, dir, images.length * 2)
    const seconds = (performance.now() - t0) / 1000
    // The same images through model.predict in the same process: the engine's own limit, for the ratio.
    const t1 = performance.now()
    await model.predict(images)
    const predictPerSecond = images.length / ((performance.now() - t1) / 1000)
    const lat = parts.map((p) => p.latencyMs)
    result = {
      scenario: 'backlog', images: parts.length, seconds: round(seconds), imagesPerSecond: Number((parts.length / seconds).toFixed(2)),
      predictImagesPerSecond: Number(predictPerSecond.toFixed(2)), stationVsPredict: Number((parts.length / seconds / predictPerSecond).toFixed(2)),
      latencyP50Ms: round(percentile(lat, 0.5)), latencyP95Ms: round(percentile(lat, 0.95)),
    }
  } else {
    // A running line: finished images at half the engine's measured rate, each written at once as a camera does.
    const t1 = performance.now()
    await model.predict(images.slice(0, 24))
    const paceMs = 1000 / ((24 / ((performance.now() - t1) / 1000)) * PACE_SHARE)
    const n = 80
    const written = new Map<string, number>()
    const parts = await station(model, dir, n, async () => {
      for (let i = 0; i < n; i++) {
        const name = `part-${String(i).padStart(4, '0')}.png`
        await copyFile(images[i % images.length], join(dir, name))
        written.set(name, Date.now())
        await new Promise((r) => setTimeout(r, paceMs))
      }
    })
    const lat = parts.map((p) => p.latencyMs)
    const fromWrite = parts.map((p) => Date.parse(p.scoredAt) - written.get(p.file)!)
    result = {
      scenario: 'paced', images: parts.length, partsPerSecondFed: Number(((written.size - 1) / ((Math.max(...written.values()) - Math.min(...written.values())) / 1000)).toFixed(2)), settleMs: 500, pollMs: 100,
      latencyP50Ms: round(percentile(lat, 0.5)), latencyP95Ms: round(percentile(lat, 0.95)),
      fromWriteP50Ms: round(percentile(fromWrite, 0.5)), fromWriteP95Ms: round(percentile(fromWrite, 0.95)),
    }
  }
  const inferencePath = await model.inferencePath()
  model.dispose()
  console.log(JSON.stringify({ ...result, inferencePath, model: 'ResNet18 256 px D 1536 (Quick preset, 1 epoch)', peakRssMiB: mem.stop(), backend: backend.name }))
}

benchMain(__filename, ['backlog', 'paced'], runCase, {
  benchmark: 'station',
  command: 'npm run bench:station',
  what: 'pbas watch engine (runStation) with --sort on MVTec bottle test images, Quick-preset architecture (ResNet18, 256 px, D 1536, hidden 1024; 1 training epoch, same inference cost). backlog: 166 finished files already in the folder, images/s from start to the last verdict, and model.predict on the same 83 images in the same process for the ratio. paced: images fed at half the rate model.predict reached just before in the same process (a line with 2x headroom); latency = file found complete -> verdict logged (the station part), fromWrite = copy finished -> verdict (adds the 500 ms settle time that tells a finished file from one still being written).',
  draft: process.env.BENCH_DRAFT || undefined,
})

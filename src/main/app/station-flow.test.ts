// The station through the IPC dispatcher with real workers: start, parts and review queue, pause/resume, stop, export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext, type AppContext } from '../compose/app-context'
import { writeSyntheticProduct } from '../engine/demo/synthetic-product'
import type { JobEvent } from '../../shared/models/job'
import type { RunEvent } from '../../shared/models/workspace'
import type { StationEvent, StationPart, StationStatus } from '../../shared/models/station'
import type { InvokeChannel, InvokeArg, InvokeReturn } from '../../shared/ipc/invoke-map'
import { BUILT_IN_RESNET18, REPO_ROOT } from '../../test-support/shared'
import mqtt from 'mqtt'
import { startMosquitto, type MosquittoServer } from '../../../scripts/servers/mosquitto-server'
import type { LineVerdict } from '../../shared/models/line-messages'

let dir: string
let ctx: AppContext
let broker: MosquittoServer | string
const tiny = { backbone: BUILT_IN_RESNET18, imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 16, batchSize: 4, checkpointEvery: 1, epochs: 4, lrProjector: 1e-3, lrDiscriminator: 1e-3, validationShare: 0.25 }

async function call<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeReturn<C>> {
  const r = await ctx.dispatch(channel, arg)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.value
}

function until<T>(subscribe: (l: (e: T) => void) => () => void, ok: (e: T) => boolean, what: string, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), ms)
    const off = subscribe((e) => {
      if (!ok(e)) return
      clearTimeout(timer)
      off()
      resolve(e)
    })
  })
}

const stationState = (state: StationStatus['state']) => until<StationEvent>((l) => ctx.stationService.on(l), (e) => e.type === 'status' && e.station.state === state, `station ${state}`)
const jobDone = (jobId: string) => until<JobEvent>((l) => ctx.runner.on(l), (e) => e.jobId === jobId && e.type === 'state' && ['succeeded', 'failed', 'cancelled'].includes(e.state), `job ${jobId}`, 120_000)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-station-flow-'))
  await writeSyntheticProduct(join(dir, 'p'), { size: 64, trainGood: 12, testGood: 4, testScratch: 3, testDent: 3, seed: 5 })
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
  broker = await startMosquitto()
  if (typeof broker === 'string' && process.env.PBAS_REQUIRE_SERVER_TESTS === '1') throw new Error(`PBAS_REQUIRE_SERVER_TESTS=1 but ${broker}`)
})
afterAll(async () => {
  if (typeof broker !== 'string') await broker?.dispose()
  await ctx.close()
  await rm(dir, { recursive: true, force: true })
})

describe('station in the app', () => {
  it('runs beside an evaluation, queues review and failed parts for review, pauses, resumes, stops; exports the model', async () => {
    const product = ctx.products.create('Discs')
    const ds = ctx.products.addDataset(product.id, { root: join(dir, 'p'), layout: 'mvtec', ok: true } as never)
    const run = await call('runs:start', { productId: product.id, datasetId: ds.id, preset: 'quick', overrides: tiny })
    await until<RunEvent>((l) => ctx.runService.on(l), (e) => e.type === 'state' && e.runId === run.id && e.run.state === 'succeeded', 'training', 120_000)

    const line = join(dir, 'line')
    await mkdir(line)
    // Bad requests are refused with a reason, before anything starts.
    const notDir = await ctx.dispatch('stations:start', { runId: run.id, dir: join(dir, 'nope') })
    expect(notDir).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('is not a folder') } })
    expect(await ctx.dispatch('stations:start', { runId: run.id, dir: line, sort: 'yes' as never })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })

    expect(await ctx.dispatch('stations:start', { runId: run.id, dir: line, line: { station: 'line 1', mqtt: { url: 'mqtt://x' } } })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('line.station') } })
    expect(await ctx.dispatch('stations:start', { runId: run.id, dir: line, line: { station: 'line-1', opcua: { port: 4840 } } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('needs a user for the PLC') } })

    // Published to the line's broker as it goes (where Mosquitto runs here; the station test covers outages).
    const published: LineVerdict[] = []
    const consumer = typeof broker === 'string' ? null : mqtt.connect(broker.url, { clientId: 'app-line-consumer' })
    if (consumer) await new Promise<void>((r) => consumer.once('connect', () => consumer.subscribe('pbas/app-line/verdict', { qos: 1 }, () => r())))
    consumer?.on('message', (_t, payload) => published.push(JSON.parse(payload.toString())))
    const lineChoice = typeof broker === 'string' ? undefined : { station: 'app-line', mqtt: { url: broker.url } }

    const running = stationState('running')
    const started = await call('stations:start', { runId: run.id, dir: line, sort: true, line: lineChoice })
    expect(started).toMatchObject({ state: 'starting', sort: true, dir: line, line: lineChoice })
    await running
    expect(await ctx.dispatch('stations:start', { runId: run.id, dir: line })).toMatchObject({ ok: false, error: { message: expect.stringContaining('already watching') } })

    // An evaluation on the main lane finishes while the station keeps its own lane.
    const evaluation = await call('evaluations:start', { runId: run.id })
    const parts: StationPart[] = []
    const off = ctx.stationService.on((e) => e.type === 'part' && parts.push(e.part))
    // Resolves on the part event that brings the count to n (listeners run in order: `off`'s push comes first).
    const partsReach = (n: number) => (parts.length >= n ? Promise.resolve() : until<StationEvent>((l) => ctx.stationService.on(l), () => parts.length >= n, `${n} parts`))
    const test = (await readdir(join(dir, 'p/test/dent'))).map((f) => join(dir, 'p/test/dent', f))
    test.push(...(await readdir(join(dir, 'p/test/scratch'))).map((f) => join(dir, 'p/test/scratch', f)), ...(await readdir(join(dir, 'p/test/good'))).map((f) => join(dir, 'p/test/good', f)))
    for (const [i, p] of test.entries()) await copyFile(p, join(line, `part-${i}.png`))
    const evaluated = await jobDone(evaluation.jobId)
    expect(evaluated.type === 'state' && evaluated.state, JSON.stringify(evaluated)).toBe('succeeded')
    expect(ctx.stationService.status()!.state).toBe('running')
    await partsReach(test.length)

    // Review-band and failed parts are the queue: items of a folder evaluation, openable while the station runs.
    const queued = parts.filter((p) => p.verdict !== 'pass')
    expect(queued.length).toBeGreaterThan(0)
    expect(parts.every((p) => p.thumb?.startsWith('data:image/jpeg;base64,'))).toBe(true)
    const review = await call('evaluations:review', { evaluationId: started.evaluationId })
    expect(review.source.kind).toBe('folder')
    expect(review.items.map((x) => x.path).sort()).toEqual(queued.map((p) => join(line, p.sortedTo!)).sort())
    const thumbs = await call('evaluations:thumbs', { evaluationId: started.evaluationId, indices: review.items.map((x) => x.index) })
    expect(Object.keys(thumbs)).toHaveLength(queued.length)
    const picture = await call('evaluations:image', { evaluationId: started.evaluationId, index: review.items[0].index })
    expect(picture.map.startsWith('data:image/png')).toBe(true)
    const verdict = await call('verdicts:set', { runId: run.id, imagePath: review.items[0].path, verdict: 'defect' })
    expect(verdict).toMatchObject({ verdict: 'defect' })
    expect(ctx.stationService.status()!.counters).toMatchObject({ session: test.length })

    // Paused (the service says so once the station's job has ended, so nothing watches): files wait; resumed: they are scored, and the queue keeps counting from where it was.
    const paused = stationState('paused')
    await call('stations:pause', { stationId: started.id })
    await paused
    await copyFile(test[0], join(line, 'late-0.png'))
    await copyFile(test[1], join(line, 'late-1.png'))
    expect(parts).toHaveLength(test.length)
    await call('stations:resume', { stationId: started.id })
    await partsReach(test.length + 2)
    const indices = parts.flatMap((p) => (p.queueIndex === undefined ? [] : [p.queueIndex]))
    expect(indices).toEqual([...indices.keys()])

    const stopped = stationState('stopped')
    await call('stations:stop', { stationId: started.id })
    await stopped
    off()
    expect(ctx.evaluations.get(started.evaluationId)).toMatchObject({ state: 'succeeded', images: indices.length })
    const log = readFileSync(join(line, 'pbas-results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(log.filter((r) => r.type === 'part')).toHaveLength(test.length + 2)
    expect(log.filter((r) => r.type === 'session')).toHaveLength(2)
    // The app's station is one of the workspace's fleet too: named as on the line, stopped, on this run, not pushable.
    const desk = ctx.fleet.list().find((x) => x.runId === run.id)
    expect(desk).toMatchObject({ id: lineChoice?.station ?? expect.stringMatching(/-app$/), online: false, report: { state: 'stopped', acceptsPush: false, publishes: { mqtt: !!lineChoice } } })
    expect(desk!.report.pass + desk!.report.review + desk!.report.fail).toBe(test.length + 2)
    if (consumer) {
      for (let i = 0; i < 100 && published.length < test.length + 2; i++) await new Promise((r) => setTimeout(r, 50))
      consumer.end()
      // Every part once, in the order the log has them (the outbox numbering goes on across pause and resume).
      expect(published.map((v) => v.partId)).toEqual(log.filter((r) => r.type === 'part').map((r) => r.file))
      expect(published.map((v) => v.seq)).toEqual(published.map((_, i) => i + 1))
    }

    // Export: a job in the light lane; the folder holds the three files.
    const exp = await call('runs:export', { runId: run.id })
    expect(exp.dir).toBe(join(dir, 'ws', 'exports', run.id))
    const done = await jobDone(exp.jobId)
    expect(done.type === 'state' && done.state).toBe('succeeded')
    for (const f of ['model.onnx', 'model.json', 'README.md']) expect(existsSync(join(exp.dir, f))).toBe(true)
  }, 300_000)
})

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../engine/backend/select-backend'
import { PbasModel } from '../engine/pipeline/predict'
import { runStation, type StationProgress } from '../engine/station/station'
import { modelRevision } from '../engine/station/line-verdict'
import { tinyBackbone, trainTinyModel } from '../../test-support/tiny-model'
import { finishedRuns, workspaceBackends, type TestLocation } from '../../test-support/test-workspaces'
import { StationStore } from './stations'
import { FleetMember } from './fleet-member'

let dir: string
const models: string[] = []
let images: string[]
beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-fleet-'))
  const a = await trainTinyModel(join(dir, 'a'))
  const b = await trainTinyModel(join(dir, 'b'), { epochs: 2 })
  models.push(a.model, b.model)
  images = (await readdir(join(a.data, 'train', 'good'))).map((f) => join(a.data, 'train', 'good', f))
}, 240_000)
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe.each(workspaceBackends())('a station in the fleet of a $name workspace', (backend) => {
  let ws: TestLocation | undefined
  afterEach(() => ws?.dispose())

  it.skipIf(backend.skip)(backend.skip || 'reports itself, takes a pushed model between parts and says so; no part is lost or scored twice', async () => {
    ws = backend.create()
    const { db } = ws.open()
    const [runA, runB] = finishedRuns(db, models).runIds
    const ctx = tinyBackbone(join(dir, 'a'))
    const first = await PbasModel.load(models[0], ctx)
    const b = await PbasModel.load(models[1], ctx)
    const revisionB = modelRevision(b.meta)
    b.dispose()
    const member = new FleetMember({ db, station: 'line-2', host: 'test-host', model: first, modelDir: models[0], load: (m) => PbasModel.load(m, ctx), publishes: { mqtt: false, opcua: false }, everyMs: 100 })
    const stations = new StationStore(db)
    expect(stations.list()).toEqual([expect.objectContaining({ id: 'line-2', runId: runA, online: true, report: expect.objectContaining({ modelRevision: modelRevision(first.meta) }) })])

    const watched = join(dir, `line-${backend.name}`)
    await mkdir(watched, { recursive: true })
    const events: StationProgress[] = []
    const ac = new AbortController()
    const run = runStation({ model: first, modelDir: models[0], dir: watched, settleMs: 50, pollMs: 20, modelSwitch: member.modelSwitch, publish: { station: 'line-2', to: [member] } }, {
      signal: ac.signal,
      onProgress: (e) => void events.push(e),
    })
    const parts = () => events.flatMap((e) => (e.kind === 'part' ? [e.part.file] : []))
    const waitFor = async (f: () => boolean) => {
      const until = Date.now() + 30_000
      while (!f() && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
      expect(f()).toBe(true)
    }
    for (let i = 0; i < 20; i++) await copyFile(images[i % images.length], join(watched, `a-${i}.png`))
    await waitFor(() => parts().length >= 10)
    // Pushed while parts keep coming.
    stations.push('line-2', runB)
    for (let i = 0; i < 20; i++) await copyFile(images[i % images.length], join(watched, `b-${i}.png`))
    await waitFor(() => parts().length === 40 && events.some((e) => e.kind === 'model'))
    ac.abort()
    await run
    await member.close()
    member.current().dispose()

    // Every part once; the switch came between two parts and the log records the new model as a session.
    expect(parts().sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `a-${i}.png`), ...Array.from({ length: 20 }, (_, i) => `b-${i}.png`)].sort())
    expect(events.filter((e) => e.kind === 'model')).toEqual([expect.objectContaining({ modelDir: models[1] })])
    const log = (await readFile(join(watched, 'pbas-results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(log.filter((r) => r.type === 'session').map((r) => r.model)).toEqual([models[0], models[1]])
    // The fleet says: on run B, switched, push done, stopped, with its last verdict.
    const s = stations.get('line-2')
    expect(s).toMatchObject({ runId: runB, pushedRunId: null, online: false, report: { state: 'stopped', modelRevision: revisionB, switched: { runId: runB }, pushError: null, pass: expect.any(Number) } })
    expect(s.report.last?.partId).toBe(parts().at(-1))
  })

  it.skipIf(backend.skip)(backend.skip || 'withdraws a push whose model files fail their checksums, keeps its model and says why; the same run pushed again reloads', async () => {
    ws = backend.create()
    const { db } = ws.open()
    // An altered copy of model B: its weights no longer match the checksum model.json records.
    const altered = join(dir, `altered-${backend.name}`)
    await cp(models[1], altered, { recursive: true })
    const weights = join(altered, 'weights.pbasw')
    const bytes = await readFile(weights)
    bytes[bytes.length - 1] ^= 0xff
    await writeFile(weights, bytes)
    const [runA, bad] = finishedRuns(db, [models[0], altered]).runIds
    const ctx = tinyBackbone(join(dir, 'a'))
    const model = await PbasModel.load(models[0], ctx)
    const member = new FleetMember({ db, station: 'line-3', host: 'h', model, modelDir: models[0], load: (m) => PbasModel.load(m, ctx), publishes: { mqtt: false, opcua: false }, everyMs: 50 })
    const stations = new StationStore(db)
    const until = async (f: () => boolean) => {
      const end = Date.now() + 20_000
      while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    }
    stations.push('line-3', bad)
    await until(() => !!stations.get('line-3').report.pushError)
    expect(stations.get('line-3')).toMatchObject({ runId: runA, pushedRunId: null, report: { pushError: expect.stringMatching(new RegExp(`${bad} could not be loaded: .*(checksum|changed|damaged)`, 'i')) } })
    expect(member.modelSwitch.ready()).toBe(false)
    // Its own run again: loaded afresh (a recalibration's thresholds reach the station this way).
    stations.push('line-3', runA)
    await until(() => member.modelSwitch.ready())
    const next = member.modelSwitch.next()!
    member.modelSwitch.switched(model)
    expect(next.modelDir).toBe(models[0])
    expect(stations.get('line-3')).toMatchObject({ runId: runA, pushedRunId: null, report: { switched: { runId: runA }, pushError: null } })
    await member.close()
    member.current().dispose()
  })
})

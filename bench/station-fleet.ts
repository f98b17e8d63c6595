// Benchmark: stations publishing to the line on a shared PostgreSQL workspace, against one station alone, on this machine.
// Run with `npm run bench:station-fleet`; writes bench/results/station-fleet.json. Needs ../shared, PostgreSQL and Mosquitto.
import { spawn } from 'node:child_process'
import { copyFile, mkdir, rm, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { runStation } from '../src/main/engine/station/station'
import { percentile } from '../src/main/engine/station/station-counters'
import { MqttPublisher } from '../src/main/engine/station/mqtt-publisher'
import { lineTopics, type LineVerdict } from '../src/shared/models/line-messages'
import { openWorkspace } from '../src/main/workspace/workspace-db'
import { FleetMember } from '../src/main/workspace/fleet-member'
import { EvaluationStore } from '../src/main/workspace/evaluations'
import { ProductStore } from '../src/main/workspace/products'
import { RunStore } from '../src/main/workspace/runs'
import { resolveConfig } from '../src/main/engine/pbas/config'
import type { DatasetSummary } from '../src/shared/models/dataset-summary'
import { startPostgres } from '../scripts/servers/postgres-server'
import { startMosquitto } from '../scripts/servers/mosquitto-server'
import { trackPeakMemory } from './machine-info'
import { MODEL, ROOT, ctx, quickModel, testImages } from './station-model'
import { benchMain } from './run-cases'

const SCRATCH = join(ROOT, 'scratch', 'bench-station-fleet')
/** parts per station in the backlog and in the paced run */
const BACKLOG = 166
const PACED = 80
const round = (x: number | null) => (x === null ? null : Number(x.toFixed(1)))

/** What the figures need of a verdict, whether the MQTT subscriber received it or a station alone logged it. */
type Verdict = Pick<LineVerdict, 'station' | 'partId' | 'latencyMs'>
/** A station process's messages to the bench: when it started watching, and (alone) each verdict as it is logged. */
type StationMessage = { ready: number } | { verdict: Verdict; at: number }

/** One station: its model, and unless PUBLISH=0, MQTT with the outbox and a member of the fleet on the workspace; runs until `total` parts are scored. */
async function stationProcess(): Promise<void> {
  const { NAME, DIR, TOTAL, WORKSPACE, FILES, BROKER, PUBLISH } = process.env as Record<string, string>
  await initBackend(process.env.BENCH_BACKEND ?? 'wasm')
  const model = await PbasModel.load(MODEL, ctx)
  await model.predict((await testImages()).slice(0, 8))
  const line = PUBLISH === '0' ? null : await joinLine(model, { NAME, DIR, WORKSPACE, FILES, BROKER })
  const ac = new AbortController()
  let n = 0
  const send = (m: StationMessage) => process.send!(m)
  send({ ready: Date.now() })
  await runStation({ model, modelDir: MODEL, dir: DIR, sort: true, publish: line?.publish, modelSwitch: line?.member.modelSwitch }, {
    signal: ac.signal,
    onProgress: (e) => {
      if (e.kind !== 'part') return
      // Alone, the verdict logged is the station's last step: its time stands where the subscriber's would.
      if (!line) send({ verdict: { station: NAME, partId: e.part.file, latencyMs: e.part.latencyMs }, at: Date.now() })
      if (++n >= Number(TOTAL)) ac.abort()
    },
  })
  if (line) await line.close()
  else model.dispose()
  process.disconnect()
}

/** MQTT with its outbox and the fleet report on the workspace, as `pbas watch --mqtt --workspace` sets them up. */
async function joinLine(model: PbasModel, o: Record<'NAME' | 'DIR' | 'WORKSPACE' | 'FILES' | 'BROKER', string>) {
  const ws = openWorkspace(o.WORKSPACE, { files: o.FILES })
  const mq = await MqttPublisher.start({ url: o.BROKER, station: o.NAME, outbox: join(o.DIR, '..', `${o.NAME}.outbox.jsonl`) })
  const member = new FleetMember({ db: ws.db, station: o.NAME, host: hostname(), model, modelDir: MODEL, load: (m) => PbasModel.load(m, ctx), publishes: { mqtt: true, opcua: false } })
  return {
    member,
    publish: { station: o.NAME, to: [mq, member] },
    close: async () => {
      await mq.close()
      await member.close()
      member.current().dispose()
      ws.db.close()
    },
  }
}

/** Starts a station process; resolves with the time it started watching (its own clock, this machine's) and its end. */
function startStation(env: Record<string, string>, onVerdict: (v: Verdict, at: number) => void): Promise<{ readyAt: number; exited: Promise<void> }> {
  return new Promise((resolveReady, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename], { env: { ...process.env, ...env, BENCH_CASE: 'station-process' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const exited = new Promise<void>((res, rej) => child.once('exit', (code) => (code ? rej(new Error(`station ${env.NAME} exited with ${code}`)) : res())))
    child.on('message', (m: StationMessage) => ('ready' in m ? resolveReady({ readyAt: m.ready, exited }) : onVerdict(m.verdict, m.at)))
    child.once('error', reject)
  })
}

async function runCase(spec: string): Promise<void> {
  if (spec === 'station-process') return stationProcess()
  const backend = await initBackend(process.env.BENCH_BACKEND ?? 'wasm')
  await quickModel()
  const pg = await startPostgres()
  const broker = await startMosquitto()
  if (typeof pg === 'string' || typeof broker === 'string') throw new Error(typeof pg === 'string' ? pg : String(broker))
  const mem = trackPeakMemory()
  const names = spec === 'fleet' ? ['line-1', 'line-2'] : ['line-1']
  // alone: the baseline, one station without the plant (no MQTT, no fleet report, no reviewer), measured in the same run.
  const alone = spec === 'alone'
  const files = join(SCRATCH, 'files')
  await rm(SCRATCH, { recursive: true, force: true })
  const images = await testImages()
  // The line's consumer: every verdict with the time it arrived (alone: the time the station logged it).
  const arrived = new Map<string, { v: Verdict; at: number }>()
  const receive = (v: Verdict, at: number) => {
    const key = `${v.station}/${v.partId}`
    if (!arrived.has(key)) arrived.set(key, { v, at })
  }
  const consumer = mqtt.connect(broker.url, { clientId: 'bench-consumer', clean: false })
  await new Promise<void>((r) => consumer.once('connect', () => consumer.subscribe(names.map((n) => lineTopics(n).verdict), { qos: 1 }, () => r())))
  consumer.on('message', (_t, payload) => receive(JSON.parse(payload.toString()) as LineVerdict, Date.now()))
  // A reviewer giving verdicts on a run of the same workspace the whole time (a desk, not the line).
  const ws = openWorkspace(pg.url, { files })
  const products = new ProductStore(ws.db)
  const p = products.create('Bottle')
  const run = new RunStore(ws.db).create(p.id, products.addDataset(p.id, { root: '/data', layout: 'mvtec', ok: true } as DatasetSummary).id, resolveConfig(), () => MODEL).id
  const evals = new EvaluationStore(ws.db)
  let verdicts = 0
  const reviewer = alone ? undefined : setInterval(() => {
    evals.setVerdict(run, `/review/${verdicts % 300}.png`, verdicts % 2 ? 'good' : 'defect', 'qe-desk')
    verdicts++
  }, 50)

  const phase = async (kind: 'backlog' | 'paced', total: number, paceMs: number) => {
    const dirs = names.map((n) => join(SCRATCH, kind, n))
    for (const d of dirs) await mkdir(d, { recursive: true })
    const written = new Map<string, number>()
    if (kind === 'backlog') {
      const old = new Date(Date.now() - 60_000)
      for (const d of dirs)
        for (let i = 0; i < total; i++) {
          const f = join(d, `part-${String(i).padStart(4, '0')}.png`)
          await copyFile(images[i % images.length], f)
          await utimes(f, old, old)
        }
    }
    console.error(`${spec} ${kind}: starting ${names.length} station(s)`)
    const started = await Promise.all(names.map((n, k) => startStation({ NAME: n, DIR: dirs[k], TOTAL: String(total), WORKSPACE: pg.url, FILES: files, BROKER: broker.url, PUBLISH: alone ? '0' : '1' }, receive)))
    const done = started.map((s) => s.exited)
    if (kind === 'paced')
      for (let i = 0; i < total; i++) {
        const name = `part-${String(i).padStart(4, '0')}.png`
        await Promise.all(dirs.map((d) => copyFile(images[i % images.length], join(d, name))))
        for (const n of names) written.set(`${n}/${name}`, Date.now())
        await new Promise((r) => setTimeout(r, paceMs))
      }
    console.error(`${spec} ${kind}: fed; waiting for the stations`)
    await Promise.all(done)
    console.error(`${spec} ${kind}: stations done, ${arrived.size} verdicts received`)
    const until = Date.now() + 30_000
    while (arrived.size < total * names.length && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
    const mine = [...arrived.values()]
    arrived.clear()
    const perStation = names.map((n) => {
      const v = mine.filter((x) => x.v.station === n)
      const seconds = (Math.max(...v.map((x) => x.at)) - started[names.indexOf(n)].readyAt) / 1000
      return { station: n, parts: v.length, partsPerSecond: Number((v.length / seconds).toFixed(2)) }
    })
    const latency = kind === 'paced' ? mine.map((x) => x.at - written.get(`${x.v.station}/${x.v.partId}`)!) : []
    const stationLatency = mine.map((x) => x.v.latencyMs)
    // On a backlog every part waits its turn in the folder, so latencies say nothing there.
    return kind === 'paced'
      ? { perStation, completeToLoggedP50Ms: round(percentile(stationLatency, 0.5)), completeToLoggedP95Ms: round(percentile(stationLatency, 0.95)), fileToPublishedP50Ms: round(percentile(latency, 0.5)), fileToPublishedP95Ms: round(percentile(latency, 0.95)) }
      : { perStation }
  }
  try {
    const backlog = await phase('backlog', BACKLOG, 0)
    // Paced: each station fed at half the rate it reached on the backlog (a line with 2x headroom).
    const pace = 1000 / (Math.min(...backlog.perStation.map((s) => s.partsPerSecond)) * 0.5)
    console.error(`${spec}: backlog ${JSON.stringify(backlog)}; feeding every ${pace.toFixed(0)} ms`)
    const paced = await phase('paced', PACED, pace)
    clearInterval(reviewer)
    const stations = new (await import('../src/main/workspace/stations')).StationStore(ws.db).list()
    console.log(JSON.stringify({
      scenario: spec, stations: names.length, backlog, paced: { ...paced, partsPerSecondFedPerStation: Number((1000 / pace).toFixed(2)) }, reviewerVerdicts: verdicts,
      fleetRows: stations.map((s) => ({ id: s.id, state: s.report.state, pass: s.report.pass + s.report.review + s.report.fail })), peakRssMiBParent: mem.stop(), backend: backend.name,
      model: 'ResNet18 256 px D 1536 (Quick preset, 1 epoch)',
    }))
  } finally {
    clearInterval(reviewer)
    consumer.end()
    ws.db.close()
    await broker.dispose()
    pg.stop()
  }
}

benchMain(__filename, ['alone', 'single', 'fleet'], runCase, {
  benchmark: 'station-fleet',
  command: 'npm run bench:station-fleet',
  what: 'Stations as separate processes (pbas watch engine: runStation with --sort, MQTT with the on-disk outbox to a local Mosquitto, a fleet member reporting to a PostgreSQL workspace every 2 s) on MVTec bottle test images with the Quick-preset architecture, while a reviewer process gives a verdict every 50 ms on the same workspace. alone: one station without MQTT, fleet report or reviewer (one station as it runs without the plant; its verdict times are when it logged them, not when a subscriber received them); single: one station; fleet: two stations on the same machine (they share its cores). backlog: 166 finished files per station already in its folder, parts/s per station from start to the last verdict received by an MQTT subscriber. paced: 80 parts per station, each fed at half the rate it reached on the backlog; fileToPublished = copy finished -> verdict received by the subscriber (includes the 500 ms settle time that tells a finished file from one still being written); completeToLogged = the latency a station reports itself (file found complete -> verdict logged), the same figure bench:station gives for one station.',
  draft: process.env.BENCH_DRAFT || undefined,
})

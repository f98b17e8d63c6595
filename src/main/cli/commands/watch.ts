// `pbas watch`: the inspection station on a drop folder, until Ctrl-C.
import { mkdir } from 'node:fs/promises'
import { hostname, userInfo } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { renderHeatmap } from '../../engine/image/heatmap'
import { predictionCardPng } from '../../engine/review/heatmap-card'
import { PbasModel } from '../../engine/pipeline/predict'
import { defaultLogPath, runStation, type StationInput } from '../../engine/station/station'
import { outboxPathOf, startLinePublishers } from '../../engine/station/line-publishers'
import { lineSettings, type LineSettings } from '../../../shared/models/line-messages'
import type { StationPublisher } from '../../engine/station/station-publisher'
import { FleetMember } from '../../workspace/fleet-member'
import { openWorkspace, type Workspace } from '../../workspace/workspace-db'
import { CommissionedStation, type CommissionedProgress } from '../../engine/station/commissioned-station'
import { DEFAULT_COMMISSION_K, type StationCounters } from '../../../shared/models/station'
import { commissionCommands, commissioningLine } from '../commission-input'
import { testSplit } from './calibrate'
import { defaultDataDir } from '../../engine/util/data-dir'
import { writeFreshFile } from '../../engine/util/fresh-file'
import { flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { MODEL_OPTION } from '../common-options'

const ms = (v: number | null) => (v === null ? '--' : `${Math.round(v)} ms`)

/** One status line: totals, speed, latency, and a drift flag. */
export function countersLine(c: StationCounters): string {
  return `pass ${c.pass}  review ${c.review}  fail ${c.fail}  unreadable ${c.unreadable} | ${c.imagesPerSecond.toFixed(1)} images/s | latency p50 ${ms(c.latencyP50Ms)} p95 ${ms(c.latencyP95Ms)} | waiting ${c.waiting}${c.drift?.shifted ? ' | DRIFT' : ''}`
}

/** Said once when the line's passed parts start scoring above the calibration images. */
export function driftWarning(d: NonNullable<StationCounters['drift']>): string {
  return `warning: the last ${d.goodImages} passed parts score higher than the model's ${d.calibrationImages} calibration images (${Math.round(d.higherShare * 100)} % of pairs, Mann-Whitney p = ${d.pValue.toPrecision(2)}): the line has moved and the stated false-reject bound may not hold; check the camera and lighting, or recalibrate on parts confirmed good (pbas calibrate)`
}

/** The line settings the flags give; passwords from PBAS_MQTT_PASSWORD and PBAS_OPCUA_PASSWORD (a command line is visible to every user). */
export function lineSettingsOf(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): LineSettings {
  const mqttUrl = flagString(args, 'mqtt')
  const port = args.flags.has('opcua-port') ? flagInt(args, 'opcua-port', 4840, 1, 65535) : null
  const opcuaUser = flagString(args, 'opcua-user')
  if (port !== null && !opcuaUser && !flagBool(args, 'opcua-anonymous')) throw new UsageError('an OPC UA server needs --opcua-user NAME (password in PBAS_OPCUA_PASSWORD), or --opcua-anonymous to let anyone on the network read it')
  try {
    return lineSettings({
      station: flagString(args, 'station') ?? hostname().split('.')[0],
      mqtt: mqttUrl ? { url: mqttUrl, username: flagString(args, 'mqtt-user'), prefix: flagString(args, 'mqtt-prefix') } : undefined,
      opcua: port !== null ? { port, user: opcuaUser, allowAnonymous: flagBool(args, 'opcua-anonymous') } : undefined,
    }, env)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** Runs `pbas watch`. */
async function runWatch(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  const dir = args.positional[0]
  const json = flagBool(args, 'json')
  const heatDir = flagString(args, 'heatmaps')
  await initBackend()
  const ctx = { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }
  const line = lineSettingsOf(args)
  const model = await PbasModel.load(modelDir, ctx)
  const logPath = flagString(args, 'log') ?? defaultLogPath(dir)
  const publishers: StationPublisher[] = await startLinePublishers(line, { outbox: outboxPathOf(logPath), pkiDir: join(ctx.dataDir, 'opcua') }).catch((err) => {
    model.dispose()
    throw err
  })
  // With a workspace, the station is one of its fleet: it reports itself and takes the model runs pushed to it.
  const location = flagString(args, 'workspace')
  let ws: Workspace | null = null
  let member: FleetMember | null = null
  if (location) {
    ws = openWorkspace(location, { files: flagString(args, 'files') })
    member = new FleetMember({ db: ws.db, station: line.station, host: hostname(), model, modelDir, load: (m) => PbasModel.load(m, ctx), publishes: { mqtt: !!line.mqtt, opcua: !!line.opcua } })
    publishers.push(member)
  }
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const { lo, hi } = model.mapRange
  let lastLine = 0
  let warned = false
  let lastState = ''
  const show = (e: CommissionedProgress) => {
    if (json) return void process.stdout.write(JSON.stringify(e) + '\n')
    if (e.kind === 'commissioning') {
      const line = commissioningLine(e.state)
      if (line !== lastState) console.error(line)
      lastState = line
      return
    }
    if (e.kind === 'recalibrated') {
      const c = e.revision.calibration
      return void console.error(`calibration revision ${e.revision.id} recorded (by ${e.revision.by}, ${e.revision.createdAt}, ${c.images} images: ${c.source}); the station goes on with it. Undo: pbas calibrate --model ${modelDir} --use ${e.revision.id - 1}`)
    }
    // Said when the line moves, and again if it moves after having come back.
    if (e.kind === 'counters' && e.counters.drift) {
      if (e.counters.drift.shifted && !warned) console.error(driftWarning(e.counters.drift))
      warned = e.counters.drift.shifted
    }
    if (e.kind === 'station') console.error(`watching ${e.dir}${e.sort ? ' (sorting into pass/ review/ fail/)' : ''}; log ${e.log} and ${e.csv}; ${e.alreadyHandled} file(s) already in the log. Ctrl-C stops.`)
    else if (e.kind === 'part') {
      const p = e.part
      console.log(`${p.verdict.toUpperCase().padEnd(6)} ${p.score.toFixed(4)}  ${p.file}${p.sortedTo ? `  -> ${p.sortedTo}` : ''}  (${Math.round(p.latencyMs)} ms)`)
    } else if (e.kind === 'unreadable') console.log(`UNREADABLE     ${e.record.file}: ${e.record.reason}`)
    else if (e.kind === 'model') console.error(`switched to the pushed model ${e.modelDir} between parts (review from ${e.band.review.toFixed(4)}, fail from ${e.band.fail.toFixed(4)})`)
    else if (Date.now() - lastLine > (process.stderr.isTTY ? 2000 : 10_000)) {
      lastLine = Date.now()
      console.error(countersLine(e.counters))
    }
  }
  const input: Omit<StationInput, 'model'> = {
    modelDir, dir, sort: flagBool(args, 'sort'), log: flagString(args, 'log'),
    settleMs: flagInt(args, 'settle', 500, 0, 600_000), pollMs: flagInt(args, 'poll', 100, 10, 60_000),
    publish: publishers.length ? { station: line.station, to: publishers } : undefined, modelSwitch: member?.modelSwitch,
    onScored: heatDir
      ? async (p, part) => {
          const stem = join(heatDir, part.file.replace(/\.[^./]+$/, '') + '_heatmap')
          await mkdir(dirname(stem), { recursive: true })
          // A new version of a part, or an earlier session's map, keeps its file: this one gets -2, -3...
          const heatmap = await writeFreshFile(dirname(stem), basename(stem), '.png', flagBool(args, 'plain-heatmaps') ? await renderHeatmap(p.image.data, p.map, p.size, lo, hi) : await predictionCardPng(p, { lo, hi }, model.meta.thresholds.band, part.file))
          return { heatmap }
        }
      : undefined,
  }
  const k = args.flags.has('commission') ? flagInt(args, 'commission', DEFAULT_COMMISSION_K, 2, 10_000) : null
  // Commissioning reloads the model after each recalibration; the one loaded above serves heat-map ranges only.
  const commissioned = k === null ? null : new CommissionedStation({ ...input, ctx, k, by: process.env.PBAS_REVIEWER || userInfo().username, exclude: await testSplit(model.meta.dataset.root, model.meta.dataset.category) }, { signal: stop.signal, onProgress: show })
  const stdin = commissioned ? commissionCommands(commissioned, (m) => console.error(m)) : null
  try {
    const summary = commissioned ? await commissioned.run() : await runStation({ ...input, model }, { signal: stop.signal, onProgress: show })
    if (!json) console.error(`stopped. ${countersLine(summary.counters)}\nresults: ${summary.log}, ${summary.csv}`)
    return 0
  } finally {
    stdin?.close()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const p of publishers) await p.close().catch((err: Error) => console.error(`closing the line connection: ${err.message}`))
    ;(member?.current() ?? model).dispose()
    ws?.db.close()
  }
}

export const WATCH_COMMAND = defineCommand({
  name: 'watch',
  summary: 'an inspection station: score every image written into DIR (or its subfolders) as it arrives, until Ctrl-C',
  positionals: 'DIR',
  positionalCount: [1, 1],
  options: {
    model: MODEL_OPTION,
    sort: { type: 'boolean', description: 'move each scored image into pass/, review/ or fail/ under DIR (never overwriting a file)' },
    log: { type: 'string', value: 'FILE.jsonl', description: 'results log (JSON lines; a CSV beside it); a restart skips what it lists', defaultText: 'DIR/pbas-results.jsonl' },
    heatmaps: { type: 'string', value: 'DIR', description: 'write a heat-map PNG per part here (verdict, score, colour scale with the thresholds, flagged-region outline)', defaultText: 'none' },
    'plain-heatmaps': { type: 'boolean', description: 'heat maps without the verdict, score, scale and outline (the bare overlay at the model input size)' },
    settle: { type: 'integer', value: 'MS', min: 0, max: 600000, default: 500, description: 'a file is complete once its size and time are unchanged this long' },
    poll: { type: 'integer', value: 'MS', min: 10, max: 60000, default: 100, description: 'how often the folder is looked at' },
    json: { type: 'boolean', description: 'one JSON object per event (station, part, unreadable, counters; with --commission also commissioning, recalibrated)' },
    station: { type: 'string', value: 'NAME', description: "the station's name on the line and in the fleet (letters, digits, . - _)", defaultText: 'the host name' },
    mqtt: { type: 'string', value: 'URL', description: 'publish each verdict to this MQTT broker (QoS 1, topic pbas/NAME/verdict; retained status on pbas/NAME/status); an outbox beside the log keeps what the broker has not taken. User: --mqtt-user, password: PBAS_MQTT_PASSWORD', defaultText: 'off' },
    'mqtt-user': { type: 'string', value: 'NAME', description: 'MQTT user name' },
    'mqtt-prefix': { type: 'string', value: 'PREFIX', description: 'MQTT topic prefix', defaultText: 'pbas' },
    'opcua-port': { type: 'integer', value: 'PORT', min: 1, max: 65535, description: 'serve the last verdict and the counters as OPC UA variables on this port (opc.tcp://HOST:PORT/PBAS, 4840 is the usual one)', defaultText: 'off' },
    'opcua-user': { type: 'string', value: 'NAME', description: 'the user a PLC signs in as (password: PBAS_OPCUA_PASSWORD)' },
    'opcua-anonymous': { type: 'boolean', description: 'let OPC UA clients in without a user (off by default)' },
    workspace: { type: 'string', value: 'DIR|URL', description: 'join the fleet of this workspace: report to it and take the models pushed from the app', defaultText: 'none' },
    files: { type: 'string', value: 'DIR', description: "a PostgreSQL workspace's shared folder (models, reviews), the same path on every machine; needed by the first client only", defaultText: 'the one recorded in the workspace' },
    commission: { type: 'integer', value: 'K', min: 2, description: `commissioning: uncertain parts go to review; answer on stdin ("good FILE", "defect FILE"); after K parts confirmed good it proposes recalibration on them ("recalibrate" applies it and the station goes on with the new thresholds); it ends once the line's known-good parts score like the calibration images. ${DEFAULT_COMMISSION_K} is the usual K: the first count whose bound, 1/(K+1), is under 10 %`, defaultText: 'off' },
  },
  examples: ['pbas watch --model bottle-model /srv/camera/drop --sort', 'PBAS_OPCUA_PASSWORD=... pbas watch --model bottle-model /srv/camera/drop --station line-3 --mqtt mqtt://broker:1883 --opcua-port 4840 --opcua-user plc --workspace postgres://pbas@db/pbas', 'pbas watch --model bottle-model ./incoming --log line-3.jsonl --json', 'pbas watch --model bottle-model /srv/camera/drop --sort --commission 10'],
  notes: ['Unreadable files are logged with the reason and the station goes on; Ctrl-C (or SIGTERM) stops it cleanly.'],
  run: runWatch,
})

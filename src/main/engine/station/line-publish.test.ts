import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { initBackend } from '../backend/select-backend'
import { PbasModel } from '../pipeline/predict'
import { runStation } from './station'
import { MqttPublisher } from './mqtt-publisher'
import { OPCUA_VARIABLES, OpcuaPublisher, opcuaValues } from './opcua-server'
import { readOpcua } from '../../../test-support/opcua-client'
import { freePort } from '../../../../scripts/servers/free-port'
import { modelRevision, thresholdRevision } from './line-verdict'
import { lineTopics, type LineStatus, type LineVerdict } from '../../../shared/models/line-messages'
import { tinyBackbone, trainTinyModel } from '../../../test-support/tiny-model'
import { startMosquitto, type MosquittoServer } from '../../../../scripts/servers/mosquitto-server'

let dir: string
let model: PbasModel
let modelDir: string
let images: string[]
let broker: MosquittoServer | string

beforeAll(async () => {
  broker = await startMosquitto()
  if (typeof broker === 'string') {
    if (process.env.PBAS_REQUIRE_SERVER_TESTS === '1') throw new Error(`PBAS_REQUIRE_SERVER_TESTS=1 but ${broker}`)
    console.log(`MQTT station test skips: ${broker}`)
    return
  }
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-line-'))
  const tiny = await trainTinyModel(dir)
  modelDir = tiny.model
  model = await PbasModel.load(modelDir, tinyBackbone(dir))
  images = (await readdir(join(tiny.data, 'test', 'dent'))).map((f) => join(tiny.data, 'test', 'dent', f))
  images.push(...(await readdir(join(tiny.data, 'train', 'good'))).map((f) => join(tiny.data, 'train', 'good', f)))
}, 180_000)
afterAll(async () => {
  model?.dispose()
  if (typeof broker !== 'string') await broker?.dispose()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const PARTS = 500

describe('a station publishing to the line', () => {
  it('publishes 500 verdicts through a broker outage: each arrives, once per part after repeats are dropped, in order; OPC UA shows the last', async (t) => {
    if (typeof broker === 'string') return t.skip(broker)
    const server = broker
    const watched = join(dir, 'line')
    await mkdir(watched, { recursive: true })
    // The line's consumer: a persistent session (clean: false), as a PLC gateway keeps, so the broker holds its messages across the outage.
    const received: LineVerdict[] = []
    const statuses: LineStatus[] = []
    const topics = lineTopics('line-1')
    const consumer = mqtt.connect(server.url, { clientId: 'plc-gateway', clean: false, reconnectPeriod: 200 })
    consumer.on('message', (topic, payload) => (topic === topics.verdict ? received.push(JSON.parse(payload.toString())) : statuses.push(JSON.parse(payload.toString()))))
    await new Promise<void>((r) => consumer.once('connect', () => consumer.subscribe([topics.verdict, topics.status], { qos: 1 }, () => r())))

    const publisher = await MqttPublisher.start({ url: server.url, station: 'line-1', outbox: join(dir, 'outbox.jsonl') })
    const plc = { name: 'plc', password: 'line-1-secret' }
    const opcua = await OpcuaPublisher.start({ station: 'line-1', port: await freePort(), user: plc, pkiDir: join(dir, 'opcua') })
    const ac = new AbortController()
    let scored = 0
    let outage: Promise<void> | null = null
    let scoredWhileDown = 0
    const run = runStation({ model, modelDir, dir: watched, settleMs: 50, pollMs: 20, publish: { station: 'line-1', to: [publisher, opcua] } }, {
      signal: ac.signal,
      onProgress: (e) => {
        if (e.kind !== 'part') return
        scored++
        // Broker down from part 150 until 150 more parts were scored.
        if (scored === 150) outage = server.stop()
        else if (outage && scored < 300 && !publisher.state.connected) scoredWhileDown++
        if (scored === 300) outage = outage!.then(() => server.start())
        if (scored === PARTS) ac.abort()
      },
    })
    for (let i = 0; i < PARTS; i++) {
      await copyFile(images[i % images.length], join(watched, `part-${String(i).padStart(4, '0')}.png`))
      if (i % 25 === 24) await new Promise((r) => setTimeout(r, 30))
    }
    const timer = setTimeout(() => ac.abort(), 120_000)
    const summary = await run
    clearTimeout(timer)
    await outage
    await publisher.close()
    const until = Date.now() + 20_000
    while (new Set(received.map((v) => v.seq)).size < PARTS && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
    consumer.end()

    expect(scored).toBe(PARTS)
    expect(scoredWhileDown).toBeGreaterThan(0)
    // Repeats (a message whose acknowledgement the outage cut) carry the same seq and the same content: dropped by seq.
    const bySeq = new Map<number, LineVerdict>()
    for (const v of received) {
      const seen = bySeq.get(v.seq)
      if (seen) expect(v).toEqual(seen)
      else bySeq.set(v.seq, v)
    }
    const unique = [...bySeq.values()]
    const parts = unique.map((v) => v.partId)
    expect(new Set(parts).size).toBe(PARTS)
    expect(parts.length).toBe(PARTS)
    // In order per station: the arrival order of first copies follows seq, and seq follows the scoring order.
    const firstArrivals = received.filter((v, i) => received.findIndex((w) => w.seq === v.seq) === i).map((v) => v.seq)
    expect(firstArrivals).toEqual([...firstArrivals].sort((a, b) => a - b))
    expect(unique[0]).toMatchObject({ station: 'line-1', modelRevision: modelRevision(model.meta), thresholdRevision: thresholdRevision(model.meta) })
    expect(unique.every((v) => v.hottest.x >= 0 && v.hottest.y >= 0 && Number.isFinite(v.hottest.value))).toBe(true)
    // The retained status went offline at the end.
    expect(statuses.at(-1)).toMatchObject({ station: 'line-1', state: 'offline', counters: expect.objectContaining({ pass: expect.any(Number) }) })
    // The PLC's view: the variables hold the last verdict and the final counters; anonymous clients are refused.
    const last = unique.at(-1)!
    const read = await readOpcua(opcua.endpoint, 'line-1', OPCUA_VARIABLES.map((v) => v.name), plc, join(dir, 'opcua-client'))
    await expect(readOpcua(opcua.endpoint, 'line-1', ['LastScore'], null, join(dir, 'opcua-client'))).rejects.toThrow(/denied|Anonymous|BadIdentityTokenInvalid|BadIdentityTokenRejected|BadUserAccessDenied/i)
    await opcua.close()
    expect(read).toEqual(opcuaValues({ ...last, seq: PARTS }, summary.counters))
    expect(read).toMatchObject({ LastPartId: last.partId, LastScore: last.score, LastVerdict: last.verdict, PassCount: summary.counters.pass })
    console.log(`MQTT: ${received.length - PARTS} repeats of ${PARTS} verdicts; ${scoredWhileDown} parts scored while the broker was down`)
  })
})

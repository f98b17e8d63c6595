import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MqttPublisher } from './mqtt-publisher'
import { Outbox } from './outbox'
import { freePort } from '../../../../scripts/servers/free-port'

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const verdict = (partId: string) => ({ station: 's1', partId, score: 0.5, verdict: 'pass' as const, modelRevision: 'abc', thresholdRevision: 1, latencyMs: 10, hottest: { x: 1, y: 2, value: 0.5 }, scoredAt: new Date().toISOString() })

describe('MQTT publishing with no broker', () => {
  it('never holds up the station: verdicts go to the outbox, and closing does not wait for a broker that is not there', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pbas-mqtt-down-'))
    const outbox = join(dir, 'outbox.jsonl')
    const pub = await MqttPublisher.start({ url: `mqtt://127.0.0.1:${await freePort()}`, station: 's1', outbox })
    for (const p of ['a.png', 'b.png']) await pub.verdict(verdict(p))
    expect(pub.state).toMatchObject({ connected: false, pending: 2 })
    const t = Date.now()
    await pub.close()
    expect(Date.now() - t).toBeLessThan(1500)
    // The next start sends them first.
    const again = await Outbox.open(outbox)
    expect(again.pending().map((m) => JSON.parse(m.payload).partId)).toEqual(['a.png', 'b.png'])
    await again.close()
  })
})

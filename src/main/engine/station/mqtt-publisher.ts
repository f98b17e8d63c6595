// Publishes a station's verdicts to an MQTT broker (QoS 1, through the on-disk outbox) and its status (retained, with a last will).
import mqtt, { type MqttClient } from 'mqtt'
import { lineTopics, type LineStatus, type LineVerdict } from '../../../shared/models/line-messages'
import type { StationCounters } from '../../../shared/models/station'
import { Outbox } from './outbox'
import type { StationPublisher } from './station-publisher'

/** How a station reaches its broker. */
export interface MqttSettings {
  /** mqtt://host:1883 or mqtts://host:8883 */
  url: string
  station: string
  /** topic prefix (default `pbas`) */
  prefix?: string
  username?: string
  password?: string
  /** the outbox file (beside the results log) */
  outbox: string
  /** how long `close()` waits for the broker to take what is pending (ms, default 5000) */
  drainMs?: number
}

/** What the publisher knows about the broker, for the station's status line. */
export interface MqttState {
  connected: boolean
  pending: number
  lastError: string | null
}

/**
 * Every verdict is written to the outbox, then published with QoS 1; the broker's acknowledgement marks it done.
 * While the broker is down the client reconnects every second and the outbox keeps what is unacknowledged; a
 * station restarted meanwhile sends that first, in order. A verdict whose acknowledgement was lost is sent again
 * with the same `seq` (QoS 1 is at least once): consumers keep one per station and seq.
 */
export class MqttPublisher implements StationPublisher {
  readonly state: MqttState = { connected: false, pending: 0, lastError: null }
  private status: Omit<LineStatus, 'state' | 'at' | 'station'> = { modelRevision: null, thresholdRevision: null, counters: { pass: 0, review: 0, fail: 0, unreadable: 0, imagesPerSecond: 0, latencyP95Ms: null, driftShifted: false } }
  private lastStatus = 0
  private readonly topics: ReturnType<typeof lineTopics>

  private constructor(private readonly s: MqttSettings, private readonly client: MqttClient, private readonly outbox: Outbox) {
    this.topics = lineTopics(s.station, s.prefix)
    client.on('connect', () => {
      this.state.connected = true
      this.state.lastError = null
      this.publishStatus('online')
    })
    client.on('close', () => (this.state.connected = false))
    client.on('error', (err) => (this.state.lastError = err.message))
    // Unacknowledged messages of an earlier session go first (the client queues them until it is connected).
    for (const m of outbox.pending()) this.send(m.seq, m.topic, m.payload)
    this.state.pending = outbox.pending().length
  }

  /** Opens the outbox and starts connecting (it does not wait for the broker: the line must not stop for it). */
  static async start(s: MqttSettings): Promise<MqttPublisher> {
    const outbox = await Outbox.open(s.outbox)
    const offline: LineStatus = { station: s.station, state: 'offline', modelRevision: null, thresholdRevision: null, counters: { pass: 0, review: 0, fail: 0, unreadable: 0, imagesPerSecond: 0, latencyP95Ms: null, driftShifted: false }, at: '' }
    const client = mqtt.connect(s.url, {
      clientId: `pbas-${s.station}`, clean: true, reconnectPeriod: 1000, connectTimeout: 5000, username: s.username, password: s.password,
      will: { topic: lineTopics(s.station, s.prefix).status, payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
    })
    return new MqttPublisher(s, client, outbox)
  }

  private send(seq: number, topic: string, payload: string): void {
    this.client.publish(topic, payload, { qos: 1 }, (err) => {
      if (err) return // still in the outbox: sent again by this client after a reconnect, or by the next start
      void this.outbox.ack(seq).then(() => (this.state.pending = this.outbox.pending().length))
    })
  }

  async verdict(v: Omit<LineVerdict, 'seq'>): Promise<void> {
    this.status.modelRevision = v.modelRevision
    this.status.thresholdRevision = v.thresholdRevision
    const m = await this.outbox.add(this.topics.verdict, (seq) => JSON.stringify({ ...v, seq } satisfies LineVerdict))
    this.state.pending = this.outbox.pending().length
    this.send(m.seq, m.topic, m.payload)
  }

  counters(c: StationCounters): void {
    this.status.counters = { pass: c.pass, review: c.review, fail: c.fail, unreadable: c.unreadable, imagesPerSecond: c.imagesPerSecond, latencyP95Ms: c.latencyP95Ms, driftShifted: !!c.drift?.shifted }
    if (Date.now() - this.lastStatus >= 5000 && this.state.connected) this.publishStatus('online')
  }

  private publishStatus(state: LineStatus['state']): void {
    this.lastStatus = Date.now()
    const msg: LineStatus = { station: this.s.station, state, ...this.status, at: new Date().toISOString() }
    this.client.publish(this.topics.status, JSON.stringify(msg), { qos: 1, retain: true })
  }

  /** Waits (up to drainMs) for the broker to take what is pending, says offline, disconnects; the rest stays in the outbox. */
  async close(): Promise<void> {
    const until = Date.now() + (this.s.drainMs ?? 5000)
    while (this.outbox.pending().length && this.state.connected && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    if (this.state.connected) this.publishStatus('offline')
    // A graceful end waits for what is in flight, and never ends while the broker is away: then the end is forced
    // (what was not acknowledged is in the outbox, for the next start).
    const ended = new Promise<void>((r) => this.client.end(!this.state.connected, {}, () => r()))
    const late = setTimeout(() => this.client.end(true), 2000)
    await ended
    clearTimeout(late)
    await this.outbox.close()
  }
}

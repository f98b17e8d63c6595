// A station's connections to the line, from its settings: MQTT, OPC UA, both or neither.
import type { StationPublisher } from './station-publisher'
import { MqttPublisher } from './mqtt-publisher'
import { OpcuaPublisher } from './opcua-server'
import { STATION_NAME, type LineSettings } from '../../../shared/models/line-messages'

export type { LineSettings }

/** The MQTT outbox beside a station's results log: pbas-results.jsonl -> pbas-results.mqtt-outbox.jsonl. */
export function outboxPathOf(log: string): string {
  return log.replace(/\.jsonl?$/i, '') + '.mqtt-outbox.jsonl'
}

/** Starts the configured publishers; `outbox` is the MQTT outbox file, `pkiDir` the OPC UA certificate folder. */
export async function startLinePublishers(s: LineSettings, files: { outbox: string; pkiDir: string }): Promise<StationPublisher[]> {
  if ((s.mqtt || s.opcua) && !STATION_NAME.test(s.station))
    throw new Error(`"${s.station}" cannot name a station on the line: use letters, digits, '.', '-' or '_' (it becomes part of MQTT topics and OPC UA node ids)`)
  const out: StationPublisher[] = []
  try {
    if (s.mqtt) out.push(await MqttPublisher.start({ ...s.mqtt, station: s.station, outbox: files.outbox }))
    if (s.opcua) out.push(await OpcuaPublisher.start({ ...s.opcua, station: s.station, pkiDir: files.pkiDir }))
  } catch (err) {
    for (const p of out) await p.close()
    throw err
  }
  return out
}

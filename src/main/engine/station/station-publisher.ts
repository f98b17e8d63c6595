// What a station hands each scored part and its counters to: the line's MQTT broker, its OPC UA server, or both.
import type { LineVerdict } from '../../../shared/models/line-messages'
import type { StationCounters } from '../../../shared/models/station'

/** A receiver of the station's results, configured per station; the station waits for `verdict` (an outbox write), never for the network. */
export interface StationPublisher {
  verdict(v: Omit<LineVerdict, 'seq'>): Promise<void>
  counters(c: StationCounters): void
  close(): Promise<void>
}

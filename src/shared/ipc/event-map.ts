// The main -> renderer event contract: every pushed channel and its payload, declared once.
import type { RunEvent } from '../models/workspace'
import type { JobEvent } from '../models/job'

/** channel -> payload */
export interface EventMap {
  'runs:event': RunEvent
  /** every job's events (e.g. a weights download's progress) */
  'jobs:event': JobEvent
  /** the inspection station's state, counters and parts */
  'stations:event': import('../models/station').StationEvent
}

export type EventChannel = keyof EventMap

/** Every event channel, for the preload's allow-list. */
export const EVENT_CHANNELS: readonly EventChannel[] = ['runs:event', 'jobs:event', 'stations:event']

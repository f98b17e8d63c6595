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

const CHANNELS = { 'runs:event': true, 'jobs:event': true, 'stations:event': true } satisfies Record<EventChannel, true>

/** True for a declared event channel (own keys only). */
export function isEventChannel(name: string): name is EventChannel {
  return Object.hasOwn(CHANNELS, name)
}

/** Every event channel, for the preload's allow-list. */
export const EVENT_CHANNELS: readonly EventChannel[] = Object.keys(CHANNELS).filter(isEventChannel)

/** Sends one event on its channel (Electron windows, the browser bridge). */
export type EventSender = <E extends EventChannel>(channel: E, payload: EventMap[E]) => void

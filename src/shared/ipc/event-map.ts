// The main -> renderer event contract: every pushed channel and its payload, declared once.
import type { RunEvent } from '../models/workspace'

/** channel -> payload */
export interface EventMap {
  'runs:event': RunEvent
}

export type EventChannel = keyof EventMap

/** Every event channel, for the preload's allow-list. */
export const EVENT_CHANNELS: readonly EventChannel[] = ['runs:event']

// What a station tells the line (MQTT messages, OPC UA variables): one verdict per scored part and the station's status.

/** One scored part as the line receives it. */
export interface LineVerdict {
  station: string
  /** per station, +1 for every published verdict, kept across restarts: consumers drop a repeat (QoS 1 may resend one) */
  seq: number
  /** the part's file, relative to the watched folder */
  partId: string
  score: number
  verdict: 'pass' | 'review' | 'fail'
  /** the first 12 hex digits of the model's weights checksum */
  modelRevision: string
  /** the model's active calibration revision (0: the thresholds from training) */
  thresholdRevision: number
  /** file complete -> verdict recorded, ms */
  latencyMs: number
  /** the heat map's hottest point in the photo's pixels, and its value */
  hottest: { x: number; y: number; value: number }
  scoredAt: string
}

/** The station's status, retained on the broker (the last will says offline when the connection drops). */
export interface LineStatus {
  station: string
  state: 'online' | 'offline'
  modelRevision: string | null
  thresholdRevision: number | null
  counters: { pass: number; review: number; fail: number; unreadable: number; imagesPerSecond: number; latencyP95Ms: number | null; driftShifted: boolean }
  at: string
}

/** The MQTT topics of a station under a prefix (default `pbas`). */
export function lineTopics(station: string, prefix = 'pbas'): { verdict: string; status: string } {
  return { verdict: `${prefix}/${station}/verdict`, status: `${prefix}/${station}/status` }
}

/** A station name usable in topics and node ids: letters, digits, `-`, `_`, `.`. */
export const STATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/**
 * A station's line connections, configured per station. Passwords are never part of what the app sends or stores:
 * the process that runs the station reads them from PBAS_MQTT_PASSWORD and PBAS_OPCUA_PASSWORD.
 */
export interface LineSettings {
  station: string
  mqtt?: { url: string; username?: string; password?: string; prefix?: string }
  opcua?: { port: number; user?: { name: string; password: string }; allowAnonymous?: boolean }
}

/** What a person configures (no passwords): the user names only. */
export interface LineChoice {
  station: string
  mqtt?: { url: string; username?: string; prefix?: string }
  opcua?: { port: number; user?: string; allowAnonymous?: boolean }
}

/** The settings for a choice, with the passwords from the environment of the process that publishes. */
export function lineSettings(c: LineChoice, env: Record<string, string | undefined>): LineSettings {
  if (c.opcua?.user && !env.PBAS_OPCUA_PASSWORD) throw new Error(`the OPC UA user ${c.opcua.user} needs its password in PBAS_OPCUA_PASSWORD (set where the app or pbas runs)`)
  return {
    station: c.station,
    mqtt: c.mqtt ? { ...c.mqtt, password: env.PBAS_MQTT_PASSWORD || undefined } : undefined,
    opcua: c.opcua ? { port: c.opcua.port, allowAnonymous: c.opcua.allowAnonymous, user: c.opcua.user ? { name: c.opcua.user, password: env.PBAS_OPCUA_PASSWORD! } : undefined } : undefined,
  }
}

// Pinia store for the inspection station: start/pause/resume/stop, live counters, the latest parts, the review queue.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { invoke, onEvent } from '../api'
import { guarded } from './guarded'
import { useReviewStore } from './review'
import type { RunRecord } from '../../../shared/models/workspace'
import type { StationEvent, StationPart, StationStatus } from '../../../shared/models/station'
import type { LineChoice } from '../../../shared/models/line-messages'

/** Parts shown in the live strip. */
const STRIP = 12
/** The review queue is re-read at most this often while parts arrive (the grid would flicker otherwise). */
const RELOAD_MS = 1000

export const useStationStore = defineStore('station', () => {
  const review = useReviewStore()
  /** the finished run whose model the station uses */
  const run = ref<RunRecord | null>(null)
  const status = ref<StationStatus | null>(null)
  const recent = ref<StationPart[]>([])
  const error = ref<string | null>(null)
  const busy = ref(false)
  const guard = guarded(error, busy)
  let off: (() => void) | null = null
  let reloadTimer: ReturnType<typeof setTimeout> | null = null

  const active = computed(() => !!status.value && !['stopped', 'failed'].includes(status.value.state))
  const counters = computed(() => status.value?.counters ?? null)
  /** another run's station holds the lane: this run cannot start one until it stops */
  const busyElsewhere = computed(() => active.value && status.value!.runId !== run.value?.id)

  function scheduleReload(): void {
    if (reloadTimer) return
    reloadTimer = setTimeout(() => {
      reloadTimer = null
      void review.reloadItems()
    }, RELOAD_MS)
  }

  /** Takes a snapshot unless a newer one already arrived (events can overtake the reply to a click). */
  function apply(s: StationStatus): void {
    if (status.value?.id === s.id && s.version < status.value.version) return
    if (status.value?.id !== s.id) recent.value = s.recent
    status.value = s
  }

  function handle(e: StationEvent): void {
    if (e.type === 'status') return apply(e.station)
    if (!status.value || e.stationId !== status.value.id) return
    if (e.type === 'counters') status.value = { ...status.value, counters: e.counters }
    else {
      recent.value = [e.part, ...recent.value].slice(0, STRIP)
      if (e.queued && review.evaluationId === status.value.evaluationId) scheduleReload()
    }
  }

  /** Shows the station's review queue in the review store (the grid and viewer read it from there). */
  async function openQueue(s: StationStatus): Promise<void> {
    if (!run.value || s.runId !== run.value.id) return
    if (review.run?.id !== s.runId) await review.open(run.value)
    if (review.evaluationId !== s.evaluationId) await review.select(s.evaluationId)
  }

  /** Follows the station from app start, so the main navigation can point at a running one. */
  async function init(): Promise<void> {
    off ??= onEvent('stations:event', handle)
    const s = await guard(() => invoke('stations:status', undefined))
    if (s) apply(s)
  }

  /** Opens the station screen for a finished run; an active station (of any run) is shown as it is, another run's stopped one is not. */
  async function open(r: RunRecord): Promise<void> {
    run.value = r
    off ??= onEvent('stations:event', handle)
    const s = await guard(() => invoke('stations:status', undefined))
    if (s && s.runId !== r.id && ['stopped', 'failed'].includes(s.state)) {
      status.value = null
      recent.value = []
    } else if (s) {
      apply(s)
      await openQueue(s)
    }
  }

  /** Leaves the station screen; the station itself keeps running. */
  function close(): void {
    run.value = null
    review.close()
  }

  /** Starts the station; `line` publishes its verdicts to the line's MQTT broker and/or an OPC UA server. */
  async function start(dir: string, sort: boolean, line?: LineChoice): Promise<void> {
    const runId = run.value?.id
    if (!runId) return
    const s = await guard(() => invoke('stations:start', { runId, dir: dir.trim(), sort, line }))
    if (!s) return
    recent.value = []
    apply(s)
    await openQueue(s)
  }

  async function control(verb: 'stations:pause' | 'stations:resume' | 'stations:stop'): Promise<void> {
    const id = status.value?.id
    if (!id) return
    const s = await guard(() => invoke(verb, { stationId: id }))
    if (s) apply(s)
    if (verb === 'stations:stop') scheduleReload()
  }

  /** Commissioning: applies the proposed recalibration; the station restarts with the new revision. */
  async function recalibrate(): Promise<void> {
    const id = status.value?.id
    if (!id) return
    const s = await guard(() => invoke('stations:recalibrate', { stationId: id }))
    if (s) apply(s)
  }

  async function chooseFolder(): Promise<string | null> {
    return (await guard(() => invoke('dialog:open-folder', undefined))) ?? null
  }

  return {
    run, status, recent, counters, active, busyElsewhere, error, busy,
    init, open, close, start, chooseFolder, handle, recalibrate,
    pause: () => control('stations:pause'), resume: () => control('stations:resume'), stop: () => control('stations:stop'),
  }
})

// The inspection station: watches a drop folder, scores every completed image, logs, sorts, reports live figures.
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isDir } from '../data/list-files'
import { ImageReadError } from '../image/open-image'
import { loadImage, type PreparedImage } from '../image/preprocess'
import type { PbasModel, Prediction } from '../pipeline/predict'
import type { JobOptions } from '../util/job'
import { ENGINE_VERSION } from '../version'
import { FolderWatcher, versionKey, type CompleteFile } from './folder-watcher'
import { ResultsLog, type PartRecord, type UnreadableRecord } from './results-log'
import { linkIntoSortFolder, removeSource } from './sort-part'
import { CounterTracker } from './station-counters'
import { activeCalibrationScores } from '../calibration/calibrate'
import type { StationPartExtra, StationProgress, StationSummary } from '../../../shared/models/station'
import type { StationPublisher } from './station-publisher'
import { lineVerdict } from './line-verdict'

/** What a station watches and how. */
export interface StationInput {
  model: PbasModel
  /** the model folder, for the log's session lines */
  modelDir: string
  dir: string
  /** move each scored image into pass/, review/ or fail/ */
  sort?: boolean
  /** results log (JSON lines; the CSV goes beside it); default `<dir>/pbas-results.jsonl` */
  log?: string
  /** a file is complete once its size and time stay unchanged this long (default 500 ms) */
  settleMs?: number
  pollMs?: number
  /**
   * A file that fails to decode is logged unreadable only once it has not been written to for this long
   * (default 5 s); until then it is retried, so a writer that pauses mid-file is not mistaken for a broken part
   */
  unreadableAfterMs?: number
  batchSize?: number
  /**
   * Called for each scored part before it is recorded (heat maps, review files). May return the heat-map
   * path to log and extra fields for the part's progress event.
   */
  onScored?: (p: Prediction, part: PartRecord) => Promise<{ heatmap?: string; extra?: StationPartExtra } | void>
  /**
   * Commissioning: a part that would pass but scores at or above this level goes to review instead (null: the
   * model's band alone). Read for every part, so commissioning can end mid-session.
   */
  reviewFrom?: () => number | null
  /**
   * A model pushed to the station: asked before each batch; one it returns takes over between parts (the parts
   * already decoded for the old one are decoded again), and `switched` hands back the one it replaced.
   */
  modelSwitch?: { ready(): boolean; next(): { model: PbasModel; modelDir: string } | null; switched(old: PbasModel): void }
  /** where each verdict and the counters go besides the results log (the line's MQTT broker, an OPC UA server); the caller closes them */
  publish?: { station: string; to: readonly StationPublisher[] }
}

export type { StationProgress, StationSummary } from '../../../shared/models/station'

/** Default log location: beside the images it describes, in the watched folder (not an image, so never scored). */
export function defaultLogPath(dir: string): string {
  return join(resolve(dir), 'pbas-results.jsonl')
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      res()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

interface Decoded {
  files: CompleteFile[]
  images: PreparedImage[]
  scoredFiles: CompleteFile[]
  unreadable: { file: CompleteFile; reason: string }[]
}

/**
 * Runs until `signal` aborts, then returns (stopping is a station's normal end, not an error). Restarted
 * on the same folder and log, it skips every file version the log already holds and scores what arrived
 * meanwhile. Decoding the next batch overlaps scoring the current one.
 */
export async function runStation(input: StationInput, opts: JobOptions<StationProgress> = {}): Promise<StationSummary> {
  const model = input.model
  // One stop for both loops: the caller's signal, or a failure in either loop.
  const stop = new AbortController()
  const signal = stop.signal
  const onAbort = () => stop.abort()
  if (opts.signal?.aborted) stop.abort()
  opts.signal?.addEventListener('abort', onAbort)
  try {
    return await watchAndScore(input, model, signal, stop, opts)
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    stop.abort()
  }
}

async function watchAndScore(input: StationInput, first: PbasModel, signal: AbortSignal, stop: AbortController, opts: JobOptions<StationProgress>): Promise<StationSummary> {
  const dir = resolve(input.dir)
  if (!(await isDir(dir))) throw new Error(`${dir} is not a folder; choose the folder the camera writes its images into`)
  const sort = !!input.sort
  const log = await ResultsLog.open(resolve(input.log ?? defaultLogPath(dir)), dir)
  let model = first
  // The first part's latency should be the station's, not the session set-up's.
  await model.warmUp()
  await log.append({ type: 'session', dir, model: input.modelDir, startedAt: new Date().toISOString(), sort, engineVersion: ENGINE_VERSION, band: model.meta.thresholds.band })
  const watcher = new FolderWatcher(dir, { settleMs: input.settleMs })
  const counters = new CounterTracker(log.totals, activeCalibrationScores(model.meta))
  const batchSize = input.batchSize ?? 8
  const pollMs = input.pollMs ?? 100
  const unreadableAfterMs = input.unreadableAfterMs ?? 5000
  const queue: CompleteFile[] = []
  const queued = new Set<string>()
  // Files that failed to decode while possibly still being written: retried at `at`, not logged yet.
  const deferred = new Map<string, { file: CompleteFile; at: number }>()
  // The scorer sleeps on this when the queue is empty; the poller and an abort wake it.
  const waiter: { wake: (() => void) | null } = { wake: null }
  let failure: unknown = null
  const publishers = input.publish?.to ?? []
  const emitCounters = () => {
    const c = counters.snapshot(queue.length)
    for (const pub of publishers) pub.counters(c)
    opts.onProgress?.({ kind: 'counters', counters: c })
    return c
  }
  opts.onProgress?.({ kind: 'station', dir, log: log.path, csv: log.csvPath, sort, alreadyHandled: log.handled.size })

  // Already in the log: with --sort, a kill may have come between recording the move and removing the source.
  const finishMove = async (f: CompleteFile, prior: PartRecord) => {
    if (!prior.sortedTo) return
    const d = await stat(join(dir, prior.sortedTo)).catch(() => null)
    if (d && d.ino === f.ino) await removeSource(f.path)
  }

  const poller = (async () => {
    let lastCounters = 0
    while (!signal.aborted) {
      for (const f of await watcher.poll()) {
        const key = versionKey(f)
        if (queued.has(key)) continue
        const prior = log.get(f)
        if (prior) {
          if (sort && prior.type === 'part') await finishMove(f, prior)
          continue
        }
        queued.add(key)
        queue.push(f)
      }
      for (const [key, d] of deferred)
        if (Date.now() >= d.at && !queued.has(key)) {
          deferred.delete(key)
          queued.add(key)
          queue.push(d.file)
        }
      // A pushed model is taken at once when the line is idle, so the station reports the switch without waiting for a part.
      if (queue.length || input.modelSwitch?.ready()) waiter.wake?.()
      if (Date.now() - lastCounters >= 1000) {
        lastCounters = Date.now()
        emitCounters()
      }
      await sleep(pollMs, signal)
    }
  })().catch((err) => {
    failure = err
    stop.abort()
  })

  const decode = async (files: CompleteFile[]): Promise<Decoded> => {
    const out: Decoded = { files, images: [], scoredFiles: [], unreadable: [] }
    const loaded = await Promise.all(
      files.map((f) => (f.leftOut ? Promise.resolve({ image: null, err: null }) : loadImage(f.path, model.preprocess).then((image) => ({ image, err: null }), (err: unknown) => ({ image: null, err })))),
    )
    for (let i = 0; i < files.length; i++) {
      const { image, err } = loaded[i]
      const f = files[i]
      // A photo the model cannot score as it is (its region does not fit, a tiled model's other photo size) is refused with its name, never scored.
      const misfit = image && model.photoProblem(image)
      if (misfit) {
        out.unreadable.push({ file: f, reason: misfit })
        continue
      }
      if (image) {
        out.images.push(image)
        out.scoredFiles.push(f)
        continue
      }
      if (f.leftOut) {
        out.unreadable.push({ file: f, reason: `${f.path} is left out: it is ${f.leftOut}` })
        continue
      }
      if (!(err instanceof ImageReadError)) throw err
      const now = await stat(f.path).catch(() => null)
      // Gone before we read it (an operator removed it): nothing to report about a part we never saw.
      if (!now) continue
      // Written to since it looked complete: a slow writer, not a broken part; the new version comes by itself.
      if (now.size !== f.size || now.mtimeMs !== f.mtimeMs) continue
      // Quiet for less than the grace time: try again later before calling it unreadable.
      if (Date.now() - f.mtimeMs < unreadableAfterMs) {
        deferred.set(versionKey(f), { file: f, at: Date.now() + Math.max(pollMs, unreadableAfterMs / 4) })
        continue
      }
      out.unreadable.push({ file: f, reason: err.message })
    }
    return out
  }

  const take = () => {
    const files = queue.splice(0, batchSize)
    return decode(files)
  }

  const record = async (batch: Decoded, preds: Prediction[]) => {
    for (const { file: f, reason } of batch.unreadable) {
      const r: UnreadableRecord = { type: 'unreadable', file: f.rel, size: f.size, mtimeMs: f.mtimeMs, reason, at: new Date().toISOString() }
      await log.append(r)
      opts.onProgress?.({ kind: 'unreadable', record: r })
    }
    for (let i = 0; i < preds.length; i++) {
      const floor = input.reviewFrom?.() ?? null
      const p = floor !== null && preds[i].verdict === 'pass' && preds[i].score >= floor ? { ...preds[i], verdict: 'review' as const } : preds[i]
      const f = batch.scoredFiles[i]
      const sortedTo = sort ? await linkIntoSortFolder(dir, f.path, p.verdict, f.rel) : undefined
      const part: PartRecord = {
        type: 'part', file: f.rel, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, score: p.score, verdict: p.verdict,
        completedAt: new Date(f.completedAt).toISOString(), scoredAt: '', latencyMs: 0, sortedTo,
      }
      const hook = await input.onScored?.(p, part)
      if (hook?.heatmap) part.heatmap = hook.heatmap
      const t = Date.now()
      part.scoredAt = new Date(t).toISOString()
      part.latencyMs = t - f.completedAt
      await log.append(part)
      // Recorded first: a verdict in the outbox always has its part in the log.
      for (const pub of publishers) await pub.verdict(lineVerdict(input.publish!.station, model.meta, p, part))
      if (sortedTo) await removeSource(f.path)
      counters.scored(part.latencyMs, part)
      opts.onProgress?.({ kind: 'part', part, extra: hook?.extra })
    }
    for (const f of batch.files) queued.delete(versionKey(f))
  }

  const abort = () => waiter.wake?.()
  signal.addEventListener('abort', abort)
  let pending: Promise<Decoded> | null = null
  /** Between parts: the pushed model takes over, recorded in the log as a new session. */
  const switchModel = async () => {
    const next = input.modelSwitch?.next()
    if (!next) return
    const stale = pending ? await pending : null
    pending = null
    if (stale) queue.unshift(...stale.files)
    const old = model
    model = next.model
    await model.warmUp()
    await log.append({ type: 'session', dir, model: next.modelDir, startedAt: new Date().toISOString(), sort, engineVersion: ENGINE_VERSION, band: model.meta.thresholds.band })
    counters.modelChanged(activeCalibrationScores(model.meta))
    input.modelSwitch!.switched(old)
    opts.onProgress?.({ kind: 'model', modelDir: next.modelDir, band: model.meta.thresholds.band })
  }
  try {
    while (!signal.aborted) {
      // Only awaited when there is a model to take: an await here could let an abort slip by before the wait below.
      if (input.modelSwitch?.ready()) await switchModel()
      if (!pending) {
        if (!queue.length && !signal.aborted) await new Promise<void>((r) => (waiter.wake = r))
        waiter.wake = null
        if (signal.aborted || !queue.length) continue
        pending = take()
      }
      const batch: Decoded = await pending
      const scoring = batch.images.length ? model.predictPrepared(batch.images) : Promise.resolve([])
      // Decode the next batch while this one is scored.
      pending = queue.length ? take() : null
      await record(batch, await scoring)
      emitCounters()
    }
  } finally {
    signal.removeEventListener('abort', abort)
    waiter.wake = null
    stop.abort()
    // A decode still running is dropped: its files are not in the log, so the next start scores them.
    await pending?.catch(() => {})
    await poller
  }
  if (failure) throw failure
  // The line's publishers get the same final counters as the summary (a rate read moments apart would differ).
  const final = emitCounters()
  return { counters: final, log: log.path, csv: log.csvPath }
}

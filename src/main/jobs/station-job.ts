// Worker-side station job: the engine's station plus the app's review queue and live-strip thumbnails.
import { join } from 'node:path'
import { defaultDataDir } from '../engine/util/data-dir'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { PbasModel } from '../engine/pipeline/predict'
import { runStation } from '../engine/station/station'
import { outboxPathOf, startLinePublishers } from '../engine/station/line-publishers'
import type { StationPublisher } from '../engine/station/station-publisher'
import type { StationProgress, StationSummary } from '../../shared/models/station'
import { ReviewQueue } from '../engine/station/review-queue'
import { overlayThumb } from '../engine/review/review-pictures'
import type { JobOptions } from '../engine/util/job'
import type { JobRequestOf } from '../../shared/models/job'

const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`

/**
 * Runs a station until cancelled. Parts in the review band and failed parts join the review queue (their
 * pictures written to `reviewDir`, their item in the 'part' event for the app's database); every part's
 * event carries a small overlay thumbnail for the live strip.
 */
export async function runStationJob(request: JobRequestOf<'station'>, opts: JobOptions<StationProgress>): Promise<StationSummary> {
  const model = await PbasModel.load(request.model, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
  let publishers: StationPublisher[] = []
  try {
    publishers = request.line ? await startLinePublishers(request.line, { outbox: outboxPathOf(request.log), pkiDir: join(defaultDataDir(), 'opcua') }) : []
    const queue = await ReviewQueue.open(request.reviewDir, model, request.dir, request.queueStart)
    const range = model.mapRange
    return await runStation(
      {
        model, modelDir: request.model, dir: request.dir, sort: request.sort, log: request.log, reviewFrom: () => request.reviewFrom ?? null,
        publish: request.line && publishers.length ? { station: request.line.station, to: publishers } : undefined,
        onScored: async (p, part) => {
          const path = join(request.dir, part.sortedTo ?? part.file)
          if (part.verdict === 'pass') return { extra: { thumb: dataUrl(await overlayThumb(p, range)) } }
          const { item, thumb } = await queue.add(p, path)
          return { extra: { thumb: dataUrl(thumb), item } }
        },
      },
      {
        signal: opts.signal,
        onProgress: (e) => {
          if (e.kind === 'unreadable') void queue.skip(join(request.dir, e.record.file), e.record.reason)
          opts.onProgress?.(e)
        },
      },
    )
  } finally {
    for (const p of publishers) await p.close().catch(() => {})
    model.dispose()
  }
}

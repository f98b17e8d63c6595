// `pbas watch`: the inspection station on a drop folder, until Ctrl-C.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { renderHeatmap } from '../../engine/image/heatmap'
import { PbasModel } from '../../engine/pbas/predict'
import { runStation, type StationProgress } from '../../engine/station/station'
import type { StationCounters } from '../../engine/station/station-counters'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagInt, flagString, UsageError, type ParsedArgs } from '../args'

export const WATCH_HELP = 'pbas watch --model MODEL DIR [--sort] [--log FILE.jsonl] [--heatmaps DIR] [--settle MS] [--poll MS] [--json]   score each image written into DIR, until Ctrl-C'

const ms = (v: number | null) => (v === null ? '--' : `${Math.round(v)} ms`)

/** One status line: totals, speed, latency. */
export function countersLine(c: StationCounters): string {
  return `pass ${c.pass}  review ${c.review}  fail ${c.fail}  unreadable ${c.unreadable} | ${c.imagesPerSecond.toFixed(1)} images/s | latency p50 ${ms(c.latencyP50Ms)} p95 ${ms(c.latencyP95Ms)} | waiting ${c.waiting}`
}

/** Runs `pbas watch`. */
export async function runWatch(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['model', 'sort', 'log', 'heatmaps', 'settle', 'poll', 'json'])
  const modelDir = flagString(args, 'model')
  if (!modelDir || args.positional.length !== 1) throw new UsageError('--model and exactly one folder to watch are required\n' + WATCH_HELP)
  const dir = args.positional[0]
  const json = flagBool(args, 'json')
  const heatDir = flagString(args, 'heatmaps')
  await initBackend()
  const model = await PbasModel.load(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const { lo, hi } = model.mapRange
  let lastLine = 0
  const show = (e: StationProgress) => {
    if (json) return void process.stdout.write(JSON.stringify(e) + '\n')
    if (e.kind === 'station') console.error(`watching ${e.dir}${e.sort ? ' (sorting into pass/ review/ fail/)' : ''}; log ${e.log} and ${e.csv}; ${e.alreadyHandled} file(s) already in the log. Ctrl-C stops.`)
    else if (e.kind === 'part') {
      const p = e.part
      console.log(`${p.verdict.toUpperCase().padEnd(6)} ${p.score.toFixed(4)}  ${p.file}${p.sortedTo ? `  -> ${p.sortedTo}` : ''}  (${Math.round(p.latencyMs)} ms)`)
    } else if (e.kind === 'unreadable') console.log(`UNREADABLE     ${e.record.file}: ${e.record.reason}`)
    else if (Date.now() - lastLine > (process.stderr.isTTY ? 2000 : 10_000)) {
      lastLine = Date.now()
      console.error(countersLine(e.counters))
    }
  }
  try {
    const summary = await runStation(
      {
        model, modelDir, dir, sort: flagBool(args, 'sort'), log: flagString(args, 'log'),
        settleMs: flagInt(args, 'settle', 500, 0, 600_000), pollMs: flagInt(args, 'poll', 100, 10, 60_000),
        onScored: heatDir
          ? async (p, part) => {
              const heatmap = join(heatDir, part.file.replace(/\.[^./]+$/, '') + '_heatmap.png')
              await mkdir(dirname(heatmap), { recursive: true })
              await writeFile(heatmap, await renderHeatmap(p.image.data, p.map, p.size, lo, hi))
              return { heatmap }
            }
          : undefined,
      },
      { signal: stop.signal, onProgress: show },
    )
    if (!json) console.error(`stopped. ${countersLine(summary.counters)}\nresults: ${summary.log}, ${summary.csv}`)
    return 0
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    model.dispose()
  }
}

// `pbas infer`: score images with a trained model; verdicts and optional heat-map PNGs.
import { mkdir } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { renderHeatmap } from '../../engine/image/heatmap'
import { predictionCardPng } from '../../engine/review/heatmap-card'
import { withModel } from '../../engine/pipeline/review-pipeline'
import { modelMapRange } from '../../engine/review/map-range'
import { defaultDataDir } from '../../engine/util/data-dir'
import { writeFreshFile } from '../../engine/util/fresh-file'
import { checkOutputFolder } from '../../engine/util/output-guard'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { MODEL_OPTION } from '../common-options'

/** Runs `pbas infer`. */
async function runInfer(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  await initBackend()
  return withModel(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }, async (model) => {
    const heatDir = flagString(args, 'heatmaps')
    if (heatDir) {
      // An earlier run's heat maps are kept (new ones get free names); a folder of other files needs --force.
      await checkOutputFolder(heatDir, { option: '--heatmaps', writes: 'heat maps', force: flagBool(args, 'force'), isOwn: (_d, names) => names.every((n) => HEATMAP_NAME.test(n)) })
      await mkdir(heatDir, { recursive: true })
    }
    // The review's colour range, so a heat map here looks like the same image in the app.
    const range = modelMapRange(model.meta)
    // By default a heat map carries its verdict, score, colour scale and outline; --plain-heatmaps: the bare overlay.
    const plain = flagBool(args, 'plain-heatmaps')
    const json = flagBool(args, 'json')
    const taken = new Set<string>()
    const failed: string[] = []
    // One unreadable file is reported and skipped; the others are still scored (exit code 1 says something failed).
    const onUnreadable = (path: string, err: Error) => {
      failed.push(path)
      if (json) console.log(JSON.stringify({ path, error: err.message }))
      else console.error(`ERROR  ${path}: ${err.message}`)
    }
    await model.predictEach(args.positional, async (batch) => {
      for (const p of batch) {
        let heatmap: string | undefined
        if (heatDir) {
          const png = plain ? await renderHeatmap(p.image.data, p.map, p.size, range.lo, range.hi) : await predictionCardPng(p, range, model.meta.thresholds.band, basename(p.path))
          heatmap = await writeFreshFile(heatDir, `${basename(p.path, extname(p.path))}_heatmap`, '.png', png, taken)
        }
        if (json) console.log(JSON.stringify({ path: p.path, score: p.score, verdict: p.verdict, heatmap }))
        else console.log(`${p.verdict.toUpperCase().padEnd(6)} ${p.score.toFixed(4)}  ${p.path}${heatmap ? `  -> ${heatmap}` : ''}`)
      }
    }, { onUnreadable })
    return failed.length ? 1 : 0
  })
}

/** The names `pbas infer --heatmaps` writes. */
const HEATMAP_NAME = /_heatmap(-\d+)?\.png$/

export const INFER_COMMAND = defineCommand({
  name: 'infer',
  summary: "score images with a model: score, pass/review/fail verdict from the model's thresholds, optional heat maps",
  positionals: 'PATH...',
  positionalCount: [1, Number.MAX_SAFE_INTEGER],
  options: {
    model: MODEL_OPTION,
    heatmaps: { type: 'string', value: 'DIR', description: 'write one heat-map PNG per image here (verdict, score, colour scale with the thresholds, flagged-region outline)', defaultText: 'none written' },
    'plain-heatmaps': { type: 'boolean', description: 'heat maps without the verdict, score, scale and outline (the bare overlay at the model input size)' },
    json: { type: 'boolean', description: 'one JSON object per image: path, score, verdict, heatmap' },
    force: { type: 'boolean', description: 'write heat maps into a --heatmaps folder that holds other files (none is ever overwritten)' },
  },
  examples: ['pbas infer --model bottle-model photos/*.png --heatmaps heat'],
  notes: ['Heat maps never overwrite a file: a name already taken (an earlier run) gets -2, -3...', 'An unreadable file is reported (ERROR line, or {"path","error"} with --json) and the rest are scored; the exit code is then 1.'],
  run: runInfer,
})

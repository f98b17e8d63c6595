// `pbas infer`: score images with a trained model; verdicts and optional heat-map PNGs.
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { renderHeatmap } from '../../engine/image/heatmap'
import { predictionCardPng } from '../../engine/review/heatmap-card'
import { withModel } from '../../engine/pipeline/review-pipeline'
import { modelMapRange } from '../../engine/review/map-range'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { MODEL_OPTION } from '../common-options'

/** Runs `pbas infer`. */
async function runInfer(args: ParsedArgs): Promise<number> {
  const modelDir = flagString(args, 'model')!
  await initBackend()
  return withModel(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }, async (model) => {
    const heatDir = flagString(args, 'heatmaps')
    if (heatDir) await mkdir(heatDir, { recursive: true })
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
          heatmap = join(heatDir, uniqueName(`${basename(p.path, extname(p.path))}_heatmap`, '.png', taken))
          await writeFile(heatmap, plain ? await renderHeatmap(p.image.data, p.map, p.size, range.lo, range.hi) : await predictionCardPng(p, range, model.meta.thresholds.band, basename(p.path)))
        }
        if (json) console.log(JSON.stringify({ path: p.path, score: p.score, verdict: p.verdict, heatmap }))
        else console.log(`${p.verdict.toUpperCase().padEnd(6)} ${p.score.toFixed(4)}  ${p.path}${heatmap ? `  -> ${heatmap}` : ''}`)
      }
    }, { onUnreadable })
    return failed.length ? 1 : 0
  })
}

/** `stem.png`, or `stem-2.png`, `stem-3.png`... when an earlier image of this run (same name, other folder) took it. */
function uniqueName(stem: string, ext: string, taken: Set<string>): string {
  let name = `${stem}${ext}`
  for (let k = 2; taken.has(name); k++) name = `${stem}-${k}${ext}`
  taken.add(name)
  return name
}

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
  },
  examples: ['pbas infer --model bottle-model photos/*.png --heatmaps heat'],
  notes: ['An unreadable file is reported (ERROR line, or {"path","error"} with --json) and the rest are scored; the exit code is then 1.'],
  run: runInfer,
})

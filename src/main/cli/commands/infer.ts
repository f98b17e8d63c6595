// `pbas infer`: score images with a trained model; verdicts and optional heat-map PNGs.
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { renderHeatmap } from '../../engine/image/heatmap'
import { PbasModel } from '../../engine/pbas/predict'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'

export const INFER_HELP = 'pbas infer --model MODEL PATH... [--heatmaps DIR] [--json]'

/** Runs `pbas infer`. */
export async function runInfer(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['model', 'heatmaps', 'json'])
  const modelDir = flagString(args, 'model')
  if (!modelDir || args.positional.length === 0) throw new UsageError('--model and at least one image are required\n' + INFER_HELP)
  await initBackend()
  const model = await PbasModel.load(modelDir, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })
  try {
    const heatDir = flagString(args, 'heatmaps')
    if (heatDir) await mkdir(heatDir, { recursive: true })
    const preds = await model.predict(args.positional)
    const { lo, hi } = model.mapRange
    for (const p of preds) {
      let heatmap: string | undefined
      if (heatDir) {
        heatmap = join(heatDir, `${basename(p.path, extname(p.path))}_heatmap.png`)
        await writeFile(heatmap, await renderHeatmap(p.image.data, p.map, p.size, lo, hi))
      }
      if (flagBool(args, 'json')) console.log(JSON.stringify({ path: p.path, score: p.score, verdict: p.verdict, heatmap }))
      else console.log(`${p.verdict.toUpperCase().padEnd(6)} ${p.score.toFixed(4)}  ${p.path}${heatmap ? `  -> ${heatmap}` : ''}`)
    }
    return 0
  } finally {
    model.dispose()
  }
}

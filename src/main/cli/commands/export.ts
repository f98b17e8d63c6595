// `pbas export`: a trained model as model.onnx + model.json + README.md for the line's own software.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { exportModel } from '../../engine/export/export-model'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'

export const EXPORT_HELP = 'pbas export --model MODEL --out DIR [--json]   model.onnx (image -> score and map), model.json, README.md'

/** Runs `pbas export`. */
export async function runExport(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['model', 'out', 'json'])
  const model = flagString(args, 'model')
  const out = flagString(args, 'out')
  if (!model || !out || args.positional.length) throw new UsageError('--model and --out are required\n' + EXPORT_HELP)
  const json = flagBool(args, 'json')
  await initBackend()
  const r = await exportModel({ model, out, backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() } }, { onProgress: json ? undefined : (e) => console.error(e.message) })
  const v = r.meta.verification
  if (json) console.log(JSON.stringify({ dir: r.dir, files: r.files, sha256: r.meta.file.sha256, bytes: r.meta.file.bytes, verification: v }))
  else {
    console.log(`exported to ${r.dir}: model.onnx (${(r.meta.file.bytes / 2 ** 20).toFixed(1)} MiB), model.json, README.md`)
    console.log(v ? `verified: the graph matches the engine to ${v.maxScoreDifference.toExponential(1)} (score) and ${v.maxMapDifference.toExponential(1)} (map) on ${v.images} probe images` : 'not verified: onnxruntime is not available here')
  }
  return 0
}

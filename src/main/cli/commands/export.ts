// `pbas export`: a trained model as model.onnx + model.json + README.md for the line's own software.
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { exportModel } from '../../engine/export/export-model'
import { defaultDataDir, defaultWorkspaceDir } from '../../engine/util/data-dir'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { MODEL_OPTION } from '../common-options'

/** Runs `pbas export`. */
async function runExport(args: ParsedArgs): Promise<number> {
  const model = flagString(args, 'model')!
  const out = flagString(args, 'out')!
  const json = flagBool(args, 'json')
  await initBackend()
  const r = await exportModel({ model, out, force: flagBool(args, 'force'), protect: [{ path: defaultWorkspaceDir(), what: "PBAS Inspect's workspace" }], backbone: { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() } }, { onProgress: json ? undefined : (e) => console.error(e.message) })
  const v = r.meta.verification
  if (json) console.log(JSON.stringify({ dir: r.dir, files: r.files, sha256: r.meta.file.sha256, bytes: r.meta.file.bytes, verification: v }))
  else {
    console.log(`exported to ${r.dir}: model.onnx (${(r.meta.file.bytes / 2 ** 20).toFixed(1)} MiB), model.json, README.md`)
    console.log(v ? `verified: the graph matches the engine to ${v.maxScoreDifference.toExponential(1)} (score) and ${v.maxMapDifference.toExponential(1)} (map) on ${v.images} probe images` : 'not verified: onnxruntime is not available here')
  }
  return 0
}

export const EXPORT_COMMAND = defineCommand({
  name: 'export',
  summary: "a model as model.onnx (RGB image -> score and smoothed anomaly map), model.json (thresholds, preprocessing, checksums) and README.md",
  options: {
    model: MODEL_OPTION,
    out: { type: 'string', value: 'DIR', required: true, description: 'folder to write (new, empty, or an earlier export, which is replaced)' },
    force: { type: 'boolean', description: 'replace a --out folder that holds other files (never the model folder itself)' },
    json: { type: 'boolean', description: 'print the files, checksum and verification as JSON' },
  },
  examples: ['pbas export --model bottle-model --out bottle-onnx'],
  notes: ['The graph is checked against the engine on probe images before anything is written; no training images or features are exported.'],
  run: runExport,
})

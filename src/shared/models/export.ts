// An ONNX export of a run's model as the app reports it (the 'export' job's result).

/** Where the export went, how big it is, and how closely it reproduced the engine when written. */
export interface ExportOutcome {
  dir: string
  files: { onnx: string; json: string; readme: string }
  bytes: number
  sha256: string
  /** largest score / map differences against the engine on probe images; null without onnxruntime */
  verification: { images: number; maxScoreDifference: number; maxMapDifference: number } | null
}

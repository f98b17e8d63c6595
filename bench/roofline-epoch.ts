// Roofline section: one training epoch (placeholder).
import type * as Ort from 'onnxruntime-node'
export async function epochSection(_ort: typeof Ort, _reps: number): Promise<Record<string, unknown>> {
  return {}
}

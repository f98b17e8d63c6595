// Roofline section: inference (placeholder).
import type * as Ort from 'onnxruntime-node'
export async function inferenceSection(_ort: typeof Ort, _shared: string, _res: string, _data: string, _reps: number): Promise<Record<string, unknown>> {
  return {}
}

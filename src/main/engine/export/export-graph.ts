// The exported model as one ONNX graph: preprocessed RGB image -> image score and smoothed anomaly map.
import { OnnxGraph } from '../onnx/graph'
import { addFusedScoreNodes, type FusedParts } from '../pbas/fused-inference'
import { anomalyMapOperator } from '../pbas/anomaly-map'

/** Names of the exported graph's input and outputs (model.json repeats them for the line's software). */
export const EXPORT_IO = { input: 'image', score: 'score', map: 'anomaly_map' } as const

/** Shape facts of the graph: input size S, patch grid g, smoothing sigma. */
export interface ExportShape {
  size: number
  grid: number
  sigma: number
  /** the region's grid x grid patch mask for the product's photo size (absent: every patch scores) */
  mask?: Uint8Array
}

/**
 * Builds the graph. Input `image` [n, S, S, 3] float32 RGB in [0, 1] (NHWC, as decoded pixels come);
 * ImageNet normalisation, backbone, E_phi and the fused head run inside (the very nodes fused inference
 * runs). Outputs: `score` [n] = the highest patch score (Eq. 11), `anomaly_map` [n, S, S] = A P A^T with
 * A from anomalyMapOperator (bilinear upsampling + scipy-exact Gaussian, reflect borders, truncate 4;
 * Eq. 12), two small MatMuls instead of Resize + Pad + Conv: ONNX's Pad 'reflect' is numpy's reflect, not
 * scipy's half-sample one, so a padded convolution would differ at the borders.
 */
export function buildExportGraph(parts: FusedParts, shape: ExportShape, props: Record<string, string> = {}): Uint8Array {
  const { size: S, grid: g, sigma, mask } = shape
  const graph = new OnnxGraph()
  const raw = addFusedScoreNodes(graph, graph.input(EXPORT_IO.input, ['n', S, S, 3]), parts)
  // Ignored patches score 0, as in the engine: a constant [1, 1, g, g] mask times the [n, 1, g, g] scores.
  const scores = mask ? graph.node('Mul', [raw, graph.init(Float32Array.from(mask), [1, 1, g, g])]) : raw
  graph.node('ReduceMax', [scores], { axes: [1, 2, 3], keepdims: 0 }, EXPORT_IO.score)
  graph.output(EXPORT_IO.score, ['n'])
  const A = anomalyMapOperator(g, S, sigma)
  const At = new Float32Array(g * S)
  for (let y = 0; y < S; y++) for (let i = 0; i < g; i++) At[i * S + y] = A[y * g + i]
  const rows = graph.node('MatMul', [graph.init(A, [S, g]), scores]) // [n, 1, S, g]
  const map = graph.node('MatMul', [rows, graph.init(At, [g, S])]) // [n, 1, S, S]
  graph.node('Squeeze', [map, graph.initInt64([1])], {}, EXPORT_IO.map)
  graph.output(EXPORT_IO.map, ['n', S, S])
  return graph.encode(props)
}

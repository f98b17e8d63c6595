// The exported model as one ONNX graph: preprocessed RGB image -> image score and smoothed anomaly map.
import { OnnxGraph } from '../onnx/graph'
import { addFusedScoreNodes, type FusedParts } from '../pbas/fused-inference'
import { anomalyMapOperator } from '../pbas/anomaly-map'
import type { TiledMapOperators } from '../pbas/tiled-map'

/** Names of the exported graph's input and outputs (model.json repeats them for the line's software). */
export const EXPORT_IO = { input: 'image', score: 'score', map: 'anomaly_map' } as const

/** Shape facts of the graph: input size S, patch grid g, smoothing sigma. */
export interface ExportShape {
  size: number
  grid: number
  sigma: number
  /** the region's patch mask for the product's photo size, grid x grid (per tile with tiles; absent: every patch scores) */
  mask?: Uint8Array
  /** a tiled model: the input holds each photo's tiles one after another, and the map stitches them (image/tiles.ts) */
  tiled?: TiledMapOperators
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
  const { size: S, grid: g, sigma, mask, tiled } = shape
  const graph = new OnnxGraph()
  const raw = addFusedScoreNodes(graph, graph.input(EXPORT_IO.input, [tiled ? 'n_tiles' : 'n', S, S, 3]), parts)
  if (tiled) return encodeTiled(graph, raw, tiled, mask, props)
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

/**
 * The tiled model's outputs: the [n * T, 1, g, g] tile scores as [n, T, g, g]; `score` [n] their largest;
 * `anomaly_map` [n, S, S] = sum over tiles of rows_r P_t cols_c^T, the engine's operators (Eq. 12 per tile,
 * stitched with feathered overlaps, resampled onto the whole photo) as two batched MatMuls and a sum.
 */
function encodeTiled(graph: OnnxGraph, raw: string, ops: TiledMapOperators, mask: Uint8Array | undefined, props: Record<string, string>): Uint8Array {
  const { patchGrid: g, size: S, grid } = ops
  const cols = grid.xs.length
  const T = cols * grid.ys.length
  const tiles = graph.node('Reshape', [raw, graph.initInt64([-1, T, g, g])])
  // Ignored patches score 0, as in the engine: a constant [1, T, g, g] mask (each tile's own).
  const scores = mask ? graph.node('Mul', [tiles, graph.init(Float32Array.from(mask), [1, T, g, g])]) : tiles
  graph.node('ReduceMax', [scores], { axes: [1, 2, 3], keepdims: 0 }, EXPORT_IO.score)
  graph.output(EXPORT_IO.score, ['n'])
  const L = new Float32Array(T * S * g)
  const Rt = new Float32Array(T * g * S)
  for (let k = 0; k < T; k++) {
    L.set(ops.rows[Math.floor(k / cols)], k * S * g)
    const C = ops.cols[k % cols]
    for (let x = 0; x < S; x++) for (let j = 0; j < g; j++) Rt[k * g * S + j * S + x] = C[x * g + j]
  }
  const left = graph.node('MatMul', [graph.init(L, [T, S, g]), scores]) // [n, T, S, g]
  const both = graph.node('MatMul', [left, graph.init(Rt, [T, g, S])]) // [n, T, S, S]
  graph.node('ReduceSum', [both, graph.initInt64([1])], { keepdims: 0 }, EXPORT_IO.map)
  graph.output(EXPORT_IO.map, ['n', S, S])
  return graph.encode(props)
}

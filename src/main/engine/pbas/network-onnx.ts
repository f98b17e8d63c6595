// The network's layers (network.ts) as ONNX nodes, for the step graph, the scoring head and fused inference.
import type { OnnxGraph } from '../onnx/graph'
import { LEAKY_SLOPE } from './network'

/** A dense layer x W + b (b broadcast over rows); `b` null for discW2, which has none. */
export function onnxDense(g: OnnxGraph, x: string, W: string, b: string | null, output?: string): string {
  return b ? g.node('Add', [g.node('MatMul', [x, W]), b], {}, output) : g.node('MatMul', [x, W], {}, output)
}

/** D_psi's LeakyReLU. */
export function onnxLeaky(g: OnnxGraph, x: string, output?: string): string {
  return g.node('LeakyRelu', [x], { alpha: { float: LEAKY_SLOPE } }, output)
}

/**
 * LeakyReLU's derivative at the layer's output `l`: 1 above zero and the slope elsewhere (torch: x > 0 ? 1 : slope),
 * i.e. max(sign(l), slope): exact, since sign(leaky(a)) = sign(a), and two cheap passes where onnxruntime's Where costs several.
 */
export function onnxLeakyGrad(g: OnnxGraph, l: string): string {
  return g.node('Max', [g.node('Sign', [l]), g.init(Float32Array.of(LEAKY_SLOPE), [])])
}

/** The fused head (projector folded into the first dense layer, batch norm folded in): sigmoid(leaky(x W + b) w2). */
export function onnxFusedHead(g: OnnxGraph, x: string, W: string, b: string, w2: string, output?: string): string {
  return g.node('Sigmoid', [onnxDense(g, onnxLeaky(g, onnxDense(g, x, W, b)), w2, null)], {}, output)
}

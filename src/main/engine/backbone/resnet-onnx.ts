// A folded ResNet as an ONNX graph for onnxruntime: NHWC RGB [0, 1] in, NHWC taps out.
import { OnnxGraph } from '../onnx/graph'
import type { InputNorm } from './backbone'
import type { FoldedConv } from './resnet-weights'

/** Stem and blocks (with folded convs) up to some layer. */
export interface FoldedResNet {
  stem: FoldedConv
  blocks: { convs: FoldedConv[]; down: FoldedConv | null }[][]
}

/**
 * Adds the network to `g` reading NHWC RGB [0, 1] from `x`; returns the NCHW output name of each layer
 * up to `lastLayer` (0 = layer1).
 */
export function addResNetNodes(g: OnnxGraph, x: string, net: FoldedResNet, norm: InputNorm, lastLayer: number): string[] {
  let h = g.node('Transpose', [x], { perm: [0, 3, 1, 2] })
  h = g.node('Sub', [h, g.init(Float32Array.from(norm.mean), [1, 3, 1, 1])])
  h = g.node('Div', [h, g.init(Float32Array.from(norm.std), [1, 3, 1, 1])])
  const conv = (input: string, c: FoldedConv, relu: boolean) => {
    const { outCh, inCh, k, stride, pad } = c.spec
    const y = g.node('Conv', [input, g.init(c.weight, [outCh, inCh, k, k]), g.init(c.bias, [outCh])], {
      kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad],
    })
    return relu ? g.node('Relu', [y]) : y
  }
  h = conv(h, net.stem, true)
  h = g.node('MaxPool', [h], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })
  const outs: string[] = []
  for (let l = 0; l <= lastLayer; l++) {
    for (const b of net.blocks[l]) {
      let y = h
      b.convs.forEach((c, i) => (y = conv(y, c, i < b.convs.length - 1)))
      const id = b.down ? conv(h, b.down, false) : h
      h = g.node('Relu', [g.node('Add', [y, id])])
    }
    outs.push(h)
  }
  return outs
}

/** Output channels of layer `l`. */
export function layerChannels(net: FoldedResNet, l: number): number {
  return net.blocks[l][0].convs.at(-1)!.spec.outCh
}

/** Builds the graph up to the deepest requested tap; `taps` are indices 0..3 (layer1..layer4), outputs NHWC. */
export function resnetToOnnx(net: FoldedResNet, norm: InputNorm, taps: number[], names: string[]): Uint8Array {
  const g = new OnnxGraph()
  const layers = addResNetNodes(g, g.input('x', ['n', 'h', 'w', 3]), net, norm, Math.max(...taps))
  taps.forEach((l, k) => {
    g.node('Transpose', [layers[l]], { perm: [0, 2, 3, 1] }, names[k])
    g.output(names[k], ['n', `h${k}`, `w${k}`, layerChannels(net, l)])
  })
  return g.encode()
}

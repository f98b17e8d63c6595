// Whole-model inference as one onnxruntime graph: ResNet -> E_phi folded into the head's first layer -> scores.
import type { InferenceSession } from 'onnxruntime-node'
import type * as Ort from 'onnxruntime-node'
import { OnnxGraph } from '../onnx/graph'
import { createSession } from '../onnx/ort'
import { addResNetNodes, type FoldedResNet } from '../backbone/resnet-onnx'
import type { InputNorm } from '../backbone/backbone'
import { composePoolingMaps } from '../features/pooling-map'
import type { EmbedConfig } from '../features/patch-embedder'
import { onnxLeaky } from './network-onnx'

/** The fused discriminator head: sigmoid(leaky(x W + b) w2), W [D, H] with projector and BN folded in. */
export interface HeadWeights {
  W: Float32Array
  b: Float32Array
  w2: Float32Array
  D: number
  H: number
}

/** Everything the whole-model graph needs: the folded ResNet, which of its layers E_phi reads, and the fused head. */
export interface FusedParts {
  net: FoldedResNet
  norm: InputNorm
  /** backbone layer index (0 = layer1) of each E_phi level, finest first */
  tapLayers: number[]
  /** channels of each level */
  channels: number[]
  embed: EmbedConfig
  head: HeadWeights
}

/**
 * Adds backbone -> E_phi -> head to `g`, reading NHWC RGB [0, 1] from `x`; returns the name of the patch
 * scores (named `output` if given), NCHW [n, 1, grid, grid]. Used by fused inference and by the ONNX export, so both run one graph.
 *
 * E_phi is linear (unfold, pooling, bilinear resize), and so is the head's first layer, so per level
 * x W = unfold(level) (A_l^T W): a 3x3 convolution of the backbone map with H output channels. The deeper
 * level is convolved on its own grid and then resized, which is exact because resize is linear too.
 * No D-wide patch vector is ever formed, and everything runs in onnxruntime's multi-threaded kernels.
 */
export function addFusedScoreNodes(g: OnnxGraph, x: string, parts: FusedParts, output?: string): string {
  const { net, norm, tapLayers, channels, embed, head } = parts
  const p = embed.patchSize
  const r = (p - 1) / 2
  const { H } = head
  const layers = addResNetNodes(g, x, net, norm, Math.max(...tapLayers))
  const maps = composePoolingMaps(channels.map((c) => c * p * p), embed.pretrainDim, embed.targetDim)
  let sum = ''
  tapLayers.forEach((layer, l) => {
    const C = channels[l]
    const { first, count, k, index, weight } = maps[l]
    // Conv weight [H, C, p, p]: element (h, c, ky, kx) collects every pooled output j that reads unfold index e.
    const K = new Float32Array(H * C * p * p)
    for (let j = 0; j < count; j++)
      for (let t = j * k; t < (j + 1) * k; t++) {
        const w = weight[t]
        if (w === 0) continue
        const e = index[t]
        const row = (first + j) * H
        for (let h = 0; h < H; h++) K[h * C * p * p + e] += w * head.W[row + h]
      }
    let y = g.node('Conv', [layers[layer], g.init(K, [H, C, p, p])], { kernel_shape: [p, p], pads: [r, r, r, r] })
    if (l > 0) {
      // Bilinear to the first level's grid with half-pixel centres, as torch align_corners=False.
      const size = g.node('Slice', [g.node('Shape', [layers[tapLayers[0]]]), g.initInt64([2]), g.initInt64([4])])
      const nc = g.node('Slice', [g.node('Shape', [y]), g.initInt64([0]), g.initInt64([2])])
      y = g.node('Resize', [y, '', '', g.node('Concat', [nc, size], { axis: 0 })], { mode: { str: 'linear' }, coordinate_transformation_mode: { str: 'half_pixel' } })
    }
    sum = sum ? g.node('Add', [sum, y]) : y
  })
  const h = onnxLeaky(g, g.node('Add', [sum, g.init(head.b, [1, H, 1, 1])]))
  return g.node('Sigmoid', [g.node('Conv', [h, g.init(head.w2, [1, H, 1, 1])], { kernel_shape: [1, 1] })], {}, output)
}

/** The fused-inference graph: NHWC RGB [0, 1] images of any size in, patch scores 'scores' [n, 1, g, g] out. */
export function buildFusedGraph(parts: FusedParts): Uint8Array {
  const g = new OnnxGraph()
  addFusedScoreNodes(g, g.input('x', ['n', 's', 's2', 3]), parts, 'scores')
  g.output('scores', ['n', 1, 'g', 'g2'])
  return g.encode()
}

/** A ready fused-inference session: NHWC RGB [0, 1] images in, patch scores [n, grid*grid] out. */
export class FusedInference {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: InferenceSession,
  ) {}

  static async create(ort: typeof Ort, graph: Uint8Array): Promise<FusedInference> {
    return new FusedInference(ort, await createSession(ort, graph))
  }

  async scores(x: Float32Array, n: number, size: number): Promise<Float32Array> {
    const out = await this.session.run({ x: new this.ort.Tensor('float32', x, [n, size, size, 3]) })
    return out.scores.data as Float32Array
  }

  dispose(): void {
    void this.session.release()
  }
}

// The contract every feature backbone meets, whatever its architecture or weight format.
import type * as tf from '@tensorflow/tfjs'

/** Input scaling applied to RGB in [0, 1]: x' = (x - mean) / std per channel. */
export interface InputNorm {
  mean: [number, number, number]
  std: [number, number, number]
}

export const IMAGENET_NORM: InputNorm = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }

/** A frozen feature extractor with named intermediate outputs ("taps"). */
export interface Backbone {
  /** architecture or model id, e.g. 'resnet18', 'wide_resnet50_2', 'tfjs-layers:mobilenet_v1' */
  readonly id: string
  /** sha256 of the weight file(s), or 'random:<seed>' for untrained weights */
  readonly weightsChecksum: string
  readonly inputNorm: InputNorm
  /** tap names in network order; forward() runs only up to the deepest one requested */
  readonly taps: readonly string[]
  /** default taps for PBAS (mid-level features, as layer2+layer3 for ResNets) */
  readonly defaultTaps: readonly string[]
  /** channels per tap */
  readonly channels: Readonly<Record<string, number>>
  /** spatial stride per tap relative to the input */
  readonly strides: Readonly<Record<string, number>>
  /**
   * Runs the network on NHWC RGB in [0, 1] and returns the requested taps (NHWC), in the order asked.
   * The caller owns (and disposes) the returned tensors.
   */
  forward(x: tf.Tensor4D, taps: readonly string[]): tf.Tensor4D[]
  /**
   * Same as forward() on host arrays (NHWC in, NHWC out). Backbones with a faster native path
   * (onnxruntime) override it; the default runs forward() and reads the taps back.
   */
  forwardHost(x: HostMap, taps: readonly string[]): Promise<HostMap[]>
  /** which runtime executes forwardHost ('tfjs' or 'onnxruntime') */
  readonly runtime: string
  /** folded torchvision ResNet weights, when the backbone is one (lets inference fuse it into one ONNX graph) */
  readonly folded?: import('./resnet-onnx').FoldedResNet
  dispose(): void
}

/** A feature map or image batch in host memory, NHWC. */
export interface HostMap {
  data: Float32Array
  shape: [number, number, number, number]
}

/** forwardHost via tfjs: upload, forward, read back, free. */
export async function tfForwardHost(tfl: typeof tf, b: Pick<Backbone, 'forward'>, x: HostMap, taps: readonly string[]): Promise<HostMap[]> {
  const t = tfl.tensor4d(x.data, x.shape)
  try {
    const outs = b.forward(t, taps)
    const res: HostMap[] = []
    for (const o of outs) {
      res.push({ data: (await o.data()) as Float32Array, shape: o.shape as [number, number, number, number] })
      o.dispose()
    }
    return res
  } finally {
    t.dispose()
  }
}

/** Scales [0, 1] RGB with the backbone's normalisation. */
export function normalizeInput(tfl: typeof tf, x: tf.Tensor4D, norm: InputNorm): tf.Tensor4D {
  return tfl.tidy(() => x.sub(tfl.tensor1d(norm.mean)).div(tfl.tensor1d(norm.std)) as tf.Tensor4D)
}

/** Checks requested taps exist and returns the index of the deepest. */
export function deepestTap(backbone: Pick<Backbone, 'id' | 'taps'>, taps: readonly string[]): number {
  let deepest = -1
  for (const t of taps) {
    const i = backbone.taps.indexOf(t)
    if (i < 0) throw new Error(`backbone ${backbone.id} has no tap '${t}'; available: ${backbone.taps.join(', ')}`)
    deepest = Math.max(deepest, i)
  }
  return deepest
}

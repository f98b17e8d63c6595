// torchvision ResNet18/50/WideResNet50-2 in TensorFlow.js (NHWC, batch norm folded into the convs).
import * as tf from '@tensorflow/tfjs'
import { IMAGENET_NORM, deepestTap, normalizeInput, type Backbone } from './backbone'
import { RESNET_TAPS, resnetExpectedKeys, resnetLayout, type ConvSpec, type ResNetArch } from './resnet-spec'
import { checkStateDict } from './weights/read-weights'
import type { StateDict } from './weights/host-tensor'

interface FoldedConv {
  spec: ConvSpec
  filter: tf.Tensor4D
  bias: tf.Tensor1D
}

const BN_EPS = 1e-5

/**
 * Folds eval-mode batch norm into the preceding conv: w' = w * g / sqrt(v + eps), b' = beta - m * g / sqrt(v + eps),
 * and reorders the filter from torch OIHW to tfjs HWIO. Folding is exact in real arithmetic and saves a pass per conv.
 */
function foldConv(spec: ConvSpec, dict: StateDict): FoldedConv {
  const w = dict.get(`${spec.conv}.weight`)!.data
  const g = dict.get(`${spec.bn}.weight`)!.data
  const beta = dict.get(`${spec.bn}.bias`)!.data
  const mean = dict.get(`${spec.bn}.running_mean`)!.data
  const v = dict.get(`${spec.bn}.running_var`)!.data
  const { outCh: O, inCh: I, k } = spec
  const hwio = new Float32Array(k * k * I * O)
  const bias = new Float32Array(O)
  for (let o = 0; o < O; o++) {
    const scale = g[o] / Math.sqrt(v[o] + BN_EPS)
    bias[o] = beta[o] - mean[o] * scale
    for (let i = 0; i < I; i++)
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++) hwio[((y * k + x) * I + i) * O + o] = w[((o * I + i) * k + y) * k + x] * scale
  }
  return { spec, filter: tf.tensor4d(hwio, [k, k, I, O]), bias: tf.tensor1d(bias) }
}

/** Random weights as torchvision initialises them (kaiming-normal, fan_out), BN identity; for benchmarks. */
function randomConv(spec: ConvSpec, seed: number): FoldedConv {
  const std = Math.sqrt(2 / (spec.outCh * spec.k * spec.k))
  return {
    spec,
    filter: tf.randomNormal([spec.k, spec.k, spec.inCh, spec.outCh], 0, std, 'float32', seed) as tf.Tensor4D,
    bias: tf.zeros([spec.outCh]) as tf.Tensor1D,
  }
}

function conv(x: tf.Tensor4D, c: FoldedConv, relu: boolean): tf.Tensor4D {
  const p = c.spec.pad
  return tf.fused.conv2d({
    x,
    filter: c.filter,
    strides: c.spec.stride,
    // Explicit symmetric padding as torch does; 'same' would pad stride-2 convs asymmetrically.
    pad: p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]],
    bias: c.bias,
    activation: relu ? 'relu' : 'linear',
  })
}

/** Options for building a ResNet backbone. */
export interface ResNetOptions {
  arch: ResNetArch
  /** state dict with torchvision keys; omit for seeded random weights */
  weights?: StateDict
  weightsChecksum?: string
  /** deepest layer to build (weights for deeper layers may be absent) */
  layers?: number
  seed?: number
  /** file name for error messages */
  source?: string
}

/** A torchvision ResNet as a Backbone with taps layer1..layerN. */
export function createResNet(opts: ResNetOptions): Backbone {
  const layers = opts.layers ?? (opts.weights ? inferLayers(opts.weights) : 3)
  const layout = resnetLayout(opts.arch, layers)
  if (opts.weights) checkStateDict(opts.weights, resnetExpectedKeys(opts.arch, layers), opts.source ?? opts.arch)
  let n = 0
  const seed = opts.seed ?? 0
  const make = (s: ConvSpec) => (opts.weights ? foldConv(s, opts.weights) : randomConv(s, seed + n++))
  const stem = make(layout.stem)
  const blocks = layout.layers.map((ls) => ls.map((b) => ({ convs: b.convs.map(make), down: b.downsample ? make(b.downsample) : null })))
  const taps = RESNET_TAPS.slice(0, layers)
  const channels: Record<string, number> = {}
  const strides: Record<string, number> = {}
  taps.forEach((t, i) => {
    channels[t] = layout.channels[i]
    strides[t] = 4 * 2 ** i
  })
  const backbone: Backbone = {
    id: opts.arch,
    weightsChecksum: opts.weights ? (opts.weightsChecksum ?? 'unknown') : `random:${seed}`,
    inputNorm: IMAGENET_NORM,
    taps,
    defaultTaps: ['layer2', 'layer3'],
    channels,
    strides,
    forward(x, want) {
      const last = deepestTap(backbone, want)
      return tf.tidy(() => {
        let h = conv(normalizeInput(tf, x, IMAGENET_NORM), stem, true)
        h = tf.maxPool(h, 3, 2, 1)
        const outs: Record<string, tf.Tensor4D> = {}
        for (let l = 0; l <= last; l++) {
          for (const b of blocks[l]) {
            let y = h
            b.convs.forEach((c, i) => (y = conv(y, c, i < b.convs.length - 1)))
            const id = b.down ? conv(h, b.down, false) : h
            h = tf.relu(tf.add(y, id)) as tf.Tensor4D
          }
          outs[taps[l]] = h
        }
        return want.map((t) => outs[t])
      })
    },
    dispose() {
      for (const c of [stem, ...blocks.flat().flatMap((b) => [...b.convs, ...(b.down ? [b.down] : [])])]) {
        c.filter.dispose()
        c.bias.dispose()
      }
    },
  }
  return backbone
}

/** Deepest layer fully present in a state dict (files cut after layer3 are common for feature extraction). */
function inferLayers(dict: StateDict): number {
  for (let l = 4; l >= 1; l--) if (dict.has(`layer${l}.0.conv1.weight`)) return l
  return 1
}

// torchvision ResNet18/50/WideResNet50-2 as a Backbone: tfjs (NHWC) or onnxruntime, batch norm folded.
import * as tf from '@tensorflow/tfjs'
import type { InferenceSession } from 'onnxruntime-node'
import { IMAGENET_NORM, deepestTap, normalizeInput, tfForwardHost, type Backbone, type HostMap } from './backbone'
import { RESNET_TAPS, layersPresent, resnetExpectedKeys, resnetLayout, type ResNetArch } from './resnet-spec'
import { foldConv, randomConv, toHwio, type FoldedConv } from './resnet-weights'
import { resnetToOnnx, type FoldedResNet } from './resnet-onnx'
import { checkStateDict } from './weights/read-weights'
import type { StateDict } from './weights/host-tensor'
import { createSession } from '../onnx/ort'
import { computeOrt } from '../backend/select-backend'

interface TfConv {
  spec: FoldedConv['spec']
  filter: tf.Tensor4D
  bias: tf.Tensor1D
}

function toTf(c: FoldedConv): TfConv {
  const { k, inCh, outCh } = c.spec
  return { spec: c.spec, filter: tf.tensor4d(toHwio(c), [k, k, inCh, outCh]), bias: tf.tensor1d(c.bias) }
}

function conv(x: tf.Tensor4D, c: TfConv, relu: boolean): tf.Tensor4D {
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
  /** 'auto' uses onnxruntime when it loads and no GPU backend is active, else tfjs */
  runtime?: 'auto' | 'tfjs'
}

/** A torchvision ResNet as a Backbone with taps layer1..layerN. */
export function createResNet(opts: ResNetOptions): Backbone {
  const layers = opts.layers ?? (opts.weights ? Math.max(1, layersPresent(opts.weights)) : 3)
  const layout = resnetLayout(opts.arch, layers)
  if (opts.weights) checkStateDict(opts.weights, resnetExpectedKeys(opts.arch, layers), opts.source ?? opts.arch)
  let n = 0
  const seed = opts.seed ?? 0
  const fold = (s: FoldedConv['spec']) => (opts.weights ? foldConv(s, opts.weights) : randomConv(s, seed * 1000 + n++))
  const host: FoldedResNet = {
    stem: fold(layout.stem),
    blocks: layout.layers.map((ls) => ls.map((b) => ({ convs: b.convs.map(fold), down: b.downsample ? fold(b.downsample) : null }))),
  }
  const ort = opts.runtime === 'tfjs' ? null : computeOrt()
  // tfjs tensors are made on first use: with onnxruntime they are only needed by forward().
  let tfNet: { stem: TfConv; blocks: { convs: TfConv[]; down: TfConv | null }[][] } | null = null
  const tfWeights = () =>
    (tfNet ??= { stem: toTf(host.stem), blocks: host.blocks.map((ls) => ls.map((b) => ({ convs: b.convs.map(toTf), down: b.down ? toTf(b.down) : null }))) })
  const sessions = new Map<string, Promise<InferenceSession>>()
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
    runtime: ort ? 'onnxruntime' : 'tfjs',
    folded: host,
    forward(x, want) {
      const last = deepestTap(backbone, want)
      const net = tfWeights()
      return tf.tidy(() => {
        let h = conv(normalizeInput(tf, x, IMAGENET_NORM), net.stem, true)
        h = tf.maxPool(h, 3, 2, 1)
        const outs: Record<string, tf.Tensor4D> = {}
        for (let l = 0; l <= last; l++) {
          for (const b of net.blocks[l]) {
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
    async forwardHost(x: HostMap, want) {
      deepestTap(backbone, want)
      if (!ort) return tfForwardHost(tf, backbone, x, want)
      const key = want.join('|')
      if (!sessions.has(key)) {
        const names = want.map((_, i) => `tap${i}`)
        sessions.set(key, createSession(ort, resnetToOnnx(host, IMAGENET_NORM, want.map((t) => (taps as readonly string[]).indexOf(t)), names)))
      }
      const session = await sessions.get(key)!
      const res = await session.run({ x: new ort.Tensor('float32', x.data, x.shape) })
      return want.map((_, i) => {
        const t = res[`tap${i}`]
        return { data: t.data as Float32Array, shape: t.dims as [number, number, number, number] }
      })
    },
    dispose() {
      if (tfNet)
        for (const c of [tfNet.stem, ...tfNet.blocks.flat().flatMap((b) => [...b.convs, ...(b.down ? [b.down] : [])])]) {
          c.filter.dispose()
          c.bias.dispose()
        }
      tfNet = null
      for (const s of sessions.values()) void s.then((x) => x.release())
      sessions.clear()
    },
  }
  return backbone
}

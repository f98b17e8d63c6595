// Host-side ResNet weights with batch norm folded in (OIHW), shared by the tfjs and onnxruntime paths.
import { normalSamples } from '../util/random'
import type { ConvSpec } from './resnet-spec'
import type { StateDict } from './weights/host-tensor'

/** One conv with its batch norm folded in: weights OIHW (torch layout) and a bias. */
export interface FoldedConv {
  spec: ConvSpec
  weight: Float32Array
  bias: Float32Array
}

const BN_EPS = 1e-5

/**
 * Folds eval-mode batch norm into the preceding conv: w' = w * g / sqrt(v + eps), b' = beta - m * g / sqrt(v + eps).
 * Exact in real arithmetic, and saves a pass over every activation.
 */
export function foldConv(spec: ConvSpec, dict: StateDict): FoldedConv {
  const w = dict.get(`${spec.conv}.weight`)!.data
  const g = dict.get(`${spec.bn}.weight`)!.data
  const beta = dict.get(`${spec.bn}.bias`)!.data
  const mean = dict.get(`${spec.bn}.running_mean`)!.data
  const v = dict.get(`${spec.bn}.running_var`)!.data
  const per = spec.inCh * spec.k * spec.k
  const weight = new Float32Array(spec.outCh * per)
  const bias = new Float32Array(spec.outCh)
  for (let o = 0; o < spec.outCh; o++) {
    const scale = g[o] / Math.sqrt(v[o] + BN_EPS)
    bias[o] = beta[o] - mean[o] * scale
    for (let i = 0; i < per; i++) weight[o * per + i] = w[o * per + i] * scale
  }
  return { spec, weight, bias }
}

/** Random weights as torchvision initialises them (kaiming-normal, fan_out), BN identity; for benchmarks. */
export function randomConv(spec: ConvSpec, seed: number): FoldedConv {
  const std = Math.sqrt(2 / (spec.outCh * spec.k * spec.k))
  return { spec, weight: normalSamples(spec.outCh * spec.inCh * spec.k * spec.k, std, seed), bias: new Float32Array(spec.outCh) }
}

/** OIHW -> HWIO (tfjs' filter layout). */
export function toHwio(c: FoldedConv): Float32Array {
  const { outCh: O, inCh: I, k } = c.spec
  const out = new Float32Array(c.weight.length)
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[((y * k + x) * I + i) * O + o] = c.weight[((o * I + i) * k + y) * k + x]
  return out
}

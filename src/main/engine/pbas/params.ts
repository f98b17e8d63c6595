// PBAS' trainable parameters (projector P_theta, discriminator D_psi) and their torch-equivalent init.
import * as tf from '@tensorflow/tfjs'
import { DISCRIMINATOR_PARAMS, PARAM_NAMES, PARAMS, PROJECTOR_PARAMS, type ParamInit, type ParamName } from './network'

export { PARAM_NAMES } from './network'

/** Projector and discriminator weights by name (see network.ts for each one's shape, role and init). */
export type PbasParams = Record<ParamName, tf.Variable>

/** xavier-normal weights as torch.nn.init.xavier_normal_: std = sqrt(2 / (fan_in + fan_out)). */
function xavier(fanIn: number, fanOut: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', seed) as tf.Tensor2D
}

/** torch.nn.Linear's default bias: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
function torchBias(fanIn: number, n: number, seed: number): tf.Tensor1D {
  const b = 1 / Math.sqrt(fanIn)
  return tf.randomUniform([n], -b, b, 'float32', seed) as tf.Tensor1D
}

function initial(init: ParamInit, shape: number[], D: number, seed: number): tf.Tensor {
  switch (init.kind) {
    case 'xavier':
      return xavier(shape[0], shape[1], seed + init.seedOffset)
    case 'linearBias':
      return torchBias(D, shape[0], seed + init.seedOffset)
    case 'ones':
      return tf.ones(shape)
    case 'zeros':
      return tf.zeros(shape)
  }
}

/** Fresh parameters for feature size D and hidden width H, deterministic for a seed (see network.ts). */
export function initParams(D: number, H: number, seed: number): PbasParams {
  return tf.tidy(() => {
    const vars: Partial<Record<string, tf.Variable>> = {}
    for (const p of PARAMS) vars[p.name] = tf.variable(initial(p.init, p.shape(D, H), D, seed), p.group !== 'running')
    return vars as tf.TensorContainerObject
  }) as unknown as PbasParams
}

/** Trainable variables of the projector (Adam) and of the discriminator (AdamW). */
export function projectorVars(p: PbasParams): tf.Variable[] {
  return PROJECTOR_PARAMS.map((k) => p[k])
}
export function discriminatorVars(p: PbasParams): tf.Variable[] {
  return DISCRIMINATOR_PARAMS.map((k) => p[k])
}

/** Host copies of every parameter, for model files and checkpoints (read asynchronously, as a GPU backend must). */
export async function exportParams(p: PbasParams): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {}
  for (const k of PARAM_NAMES) out[k] = { shape: p[k].shape, data: Float32Array.from((await p[k].data()) as Float32Array) }
  return out
}

/** Rebuilds parameters from host copies; shapes must match. */
export function importParams(src: Record<string, { shape: number[]; data: Float32Array }>): PbasParams {
  for (const k of PARAM_NAMES) if (!src[k]) throw new Error(`model weights lack ${k}`)
  return tf.tidy(() => {
    const vars: Partial<PbasParams> = {}
    for (const p of PARAMS) vars[p.name] = tf.variable(tf.tensor(src[p.name].data, src[p.name].shape), p.group !== 'running')
    return vars as unknown as tf.TensorContainerObject
  }) as unknown as PbasParams
}

/** Overwrites parameters in place (e.g. to restore the best validation epoch). */
export function assignParams(p: PbasParams, src: Record<string, { shape: number[]; data: Float32Array }>): void {
  tf.tidy(() => {
    for (const k of PARAM_NAMES) p[k].assign(tf.tensor(src[k].data, src[k].shape))
  })
}

export function disposeParams(p: PbasParams): void {
  tf.dispose(PARAM_NAMES.map((k) => p[k]))
}

// PBAS' trainable parameters (projector P_theta, discriminator D_psi) and their torch-equivalent init.
import * as tf from '@tensorflow/tfjs'

/** Projector and discriminator weights; matrices are stored [in, out] (torch stores [out, in]). */
export interface PbasParams {
  projW: tf.Variable
  projB: tf.Variable
  discW1: tf.Variable
  discB1: tf.Variable
  bnGamma: tf.Variable
  bnBeta: tf.Variable
  /** batch-norm running statistics: updated by training steps, not by the optimiser */
  bnMean: tf.Variable
  bnVar: tf.Variable
  discW2: tf.Variable
}

export const PARAM_NAMES = ['projW', 'projB', 'discW1', 'discB1', 'bnGamma', 'bnBeta', 'bnMean', 'bnVar', 'discW2'] as const

/** xavier-normal weights as torch.nn.init.xavier_normal_: std = sqrt(2 / (fan_in + fan_out)). */
function xavier(fanIn: number, fanOut: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', seed) as tf.Tensor2D
}

/** torch.nn.Linear's default bias: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
function torchBias(fanIn: number, n: number, seed: number): tf.Tensor1D {
  const b = 1 / Math.sqrt(fanIn)
  return tf.randomUniform([n], -b, b, 'float32', seed) as tf.Tensor1D
}

/** Fresh parameters for feature size D and hidden width H, deterministic for a seed. */
export function initParams(D: number, H: number, seed: number): PbasParams {
  return tf.tidy(() => ({
    projW: tf.variable(xavier(D, D, seed + 1), true, undefined),
    projB: tf.variable(torchBias(D, D, seed + 2), true),
    discW1: tf.variable(xavier(D, H, seed + 3), true),
    discB1: tf.variable(torchBias(D, H, seed + 4), true),
    bnGamma: tf.variable(tf.ones([H]), true),
    bnBeta: tf.variable(tf.zeros([H]), true),
    bnMean: tf.variable(tf.zeros([H]), false),
    bnVar: tf.variable(tf.ones([H]), false),
    discW2: tf.variable(xavier(H, 1, seed + 5), true),
  }))
}

/** Trainable variables of the projector (Adam) and of the discriminator (AdamW). */
export function projectorVars(p: PbasParams): tf.Variable[] {
  return [p.projW, p.projB]
}
export function discriminatorVars(p: PbasParams): tf.Variable[] {
  return [p.discW1, p.discB1, p.bnGamma, p.bnBeta, p.discW2]
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
    for (const k of PARAM_NAMES) vars[k] = tf.variable(tf.tensor(src[k].data, src[k].shape), !['bnMean', 'bnVar'].includes(k))
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

// PBAS' projector P_theta and discriminator D_psi described once: layers, parameter shapes, init and constants.
// Every runtime builds from this file: the tfjs step and heads (train-step.ts, score.ts), the ONNX step graph
// (step-graph.ts) and the ONNX heads (network-onnx.ts, used by scoring-head.ts and fused-inference.ts).

/** LeakyReLU's negative slope in D_psi (torch nn.LeakyReLU(0.2)). */
export const LEAKY_SLOPE = 0.2
/** Batch norm's epsilon (torch nn.BatchNorm1d default). */
export const BN_EPS = 1e-5
/** Batch norm's running-statistics momentum (torch default); running variance uses the unbiased batch estimate. */
export const BN_MOMENTUM = 0.1

/**
 * The network, in order: u = x projW + projB (P_theta, no nonlinearity); h = u discW1 + discB1;
 * batch norm (bnGamma, bnBeta; running bnMean, bnVar); LeakyReLU(LEAKY_SLOPE); logit = . discW2 (no bias);
 * the patch's anomaly score is sigmoid(logit). Matrices are stored [in, out] (torch stores [out, in]).
 */
export const LAYERS = [
  { layer: 'dense', part: 'projector', W: 'projW', b: 'projB' },
  { layer: 'dense', part: 'discriminator', W: 'discW1', b: 'discB1' },
  { layer: 'batchNorm', part: 'discriminator', gamma: 'bnGamma', beta: 'bnBeta', mean: 'bnMean', variance: 'bnVar', eps: BN_EPS, momentum: BN_MOMENTUM },
  { layer: 'leakyRelu', part: 'discriminator', slope: LEAKY_SLOPE },
  { layer: 'dense', part: 'discriminator', W: 'discW2', b: null },
  { layer: 'sigmoid', part: 'discriminator' },
] as const

/** How a parameter starts: torch's xavier-normal weights, nn.Linear's default bias, or a constant. */
export type ParamInit = { kind: 'xavier'; seedOffset: number } | { kind: 'linearBias'; fanIn: 'D'; seedOffset: number } | { kind: 'ones' } | { kind: 'zeros' }

/** One parameter: its shape for feature size D and hidden width H, which optimiser updates it, and its init. */
export interface ParamSpec {
  name: ParamName
  shape: (D: number, H: number) => number[]
  /** projector: Adam; discriminator: AdamW; running: batch-norm statistics updated by the step, not an optimiser */
  group: 'projector' | 'discriminator' | 'running'
  init: ParamInit
}

/** Every parameter, in the order model files, checkpoints and the step graph list them. */
export const PARAMS = [
  { name: 'projW', shape: (D) => [D, D], group: 'projector', init: { kind: 'xavier', seedOffset: 1 } },
  { name: 'projB', shape: (D) => [D], group: 'projector', init: { kind: 'linearBias', fanIn: 'D', seedOffset: 2 } },
  { name: 'discW1', shape: (D, H) => [D, H], group: 'discriminator', init: { kind: 'xavier', seedOffset: 3 } },
  { name: 'discB1', shape: (_D, H) => [H], group: 'discriminator', init: { kind: 'linearBias', fanIn: 'D', seedOffset: 4 } },
  { name: 'bnGamma', shape: (_D, H) => [H], group: 'discriminator', init: { kind: 'ones' } },
  { name: 'bnBeta', shape: (_D, H) => [H], group: 'discriminator', init: { kind: 'zeros' } },
  { name: 'bnMean', shape: (_D, H) => [H], group: 'running', init: { kind: 'zeros' } },
  { name: 'bnVar', shape: (_D, H) => [H], group: 'running', init: { kind: 'ones' } },
  { name: 'discW2', shape: (_D, H) => [H, 1], group: 'discriminator', init: { kind: 'xavier', seedOffset: 5 } },
] as const satisfies readonly (Omit<ParamSpec, 'name'> & { name: string })[]

/** A parameter's name. */
export type ParamName = (typeof PARAMS)[number]['name']

/** Parameter names in file order. */
export const PARAM_NAMES: readonly ParamName[] = PARAMS.map((p) => p.name)
/** The projector's parameters (Adam, coupled weight decay). */
export const PROJECTOR_PARAMS: readonly ParamName[] = PARAMS.filter((p) => p.group === 'projector').map((p) => p.name)
/** The discriminator's trainable parameters (AdamW, decoupled weight decay). */
export const DISCRIMINATOR_PARAMS: readonly ParamName[] = PARAMS.filter((p) => p.group === 'discriminator').map((p) => p.name)
/** Everything an optimiser updates: projector then discriminator (the order gradients are applied in). */
export const TRAINABLE_PARAMS: readonly ParamName[] = [...PROJECTOR_PARAMS, ...DISCRIMINATOR_PARAMS]

/** Running batch-norm statistics after a training step on `n` rows with batch mean `m` and (biased) variance `v`. */
export function runningStats(mean: number, variance: number, m: number, v: number, n: number): [number, number] {
  return [(1 - BN_MOMENTUM) * mean + BN_MOMENTUM * m, (1 - BN_MOMENTUM) * variance + (BN_MOMENTUM * v * n) / (n - 1)]
}

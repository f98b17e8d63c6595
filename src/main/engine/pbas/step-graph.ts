// The whole PBAS training step (forward, losses, hand-derived gradients) as one ONNX graph for onnxruntime.
import { OnnxGraph } from '../onnx/graph'
import type { MatchRule } from './config-helpers'
import { BN_EPS } from './network'
import { onnxDense, onnxLeaky, onnxLeakyGrad } from './network-onnx'

/** Static settings baked into the graph. */
export interface StepGraphOptions {
  D: number
  H: number
  P: number
  rule: MatchRule
  synthesis: 'afs' | 'gaussian'
  alpha: number
}

/** One matrix product of the step: [m, k] x [k, n], for FLOP counts and roofline shapes. */
export interface StepGemm {
  name: string
  m: number
  n: number
  k: number
  transA: 0 | 1
  transB: 0 | 1
}

/**
 * The large products the graph below executes for N rows (2 m n k FLOPs each). The discriminator's two
 * inputs u and z = u + offset share W1, so hz = hu + offset W1, dW1 = u^T (dh_u + dh_z) + offset^T dh_z and
 * du = (dh_u + dh_z) W1^T: one product for du instead of two, and z is never formed.
 */
export function stepGemms(N: number, D: number, H: number, P: number): StepGemm[] {
  return [
    { name: 'u = x Wp', m: N, n: D, k: D, transA: 0, transB: 0 },
    { name: 'match u centre^T', m: N, n: P, k: D, transA: 0, transB: 0 },
    { name: 'hu = u W1', m: N, n: H, k: D, transA: 0, transB: 0 },
    { name: 'hz = hu + offset W1', m: N, n: H, k: D, transA: 0, transB: 0 },
    { name: 'dW1 += u^T dh', m: D, n: H, k: N, transA: 1, transB: 0 },
    { name: 'dW1 += offset^T dh_z', m: D, n: H, k: N, transA: 1, transB: 0 },
    { name: 'du = dh W1^T', m: N, n: D, k: H, transA: 0, transB: 1 },
    { name: 'dWp = x^T du', m: D, n: D, k: N, transA: 1, transB: 0 },
  ]
}

/**
 * Inputs: x [N,D], projW [D,D], projB [D], discW1 [D,H], discB1 [H], bnGamma [H], bnBeta [H], discW2 [H,1],
 * centre [P,D], matchT [D,P], matchBias [P] (cosine: unit centre rows and 0; euclidean: -2c^T and |c|^2),
 * noise [N,D] (gaussian synthesis only).
 * Outputs: gradients g_<param>, batch statistics bnMeanBatch/bnVarBatch, and stats [7]
 * (L_c, L_n, L_a, p_true, p_fake, dist centre->synthetic, dist normal->synthetic).
 * Same maths as train-step.ts (which tfjs differentiates automatically); a test checks they agree. The
 * expressions are rearranged to touch each [N, H] and [N, D] intermediate as few times as possible.
 */
export function buildStepGraph(o: StepGraphOptions): Uint8Array {
  const g = new OnnxGraph()
  const { D, H, P } = o
  const x = g.input('x', ['n', D])
  const Wp = g.input('projW', [D, D])
  const bp = g.input('projB', [D])
  const W1 = g.input('discW1', [D, H])
  const b1 = g.input('discB1', [H])
  const gamma = g.input('bnGamma', [H])
  const beta = g.input('bnBeta', [H])
  const w2 = g.input('discW2', [H, 1])
  const c = g.input('centre', [P, D])
  const matchT = g.input('matchT', [D, P])
  const matchBias = g.input('matchBias', [P])
  const noise = o.synthesis === 'gaussian' ? g.input('noise', ['n', D]) : null
  const scalar = (v: number) => g.init(Float32Array.of(v), [])
  const op = (type: string, ...inputs: string[]) => g.node(type, inputs)
  const sumSq1 = (t: string) => g.node('ReduceSumSquare', [t], { axes: [1], keepdims: 1 }) // [N,1]
  const mean = (t: string) => g.node('ReduceMean', [t], { keepdims: 0 })
  const gemm = (a: string, b: string, cIn: string | null, transA = 0, transB = 0) => g.node('Gemm', cIn ? [a, b, cIn] : [a, b], { transA, transB })
  const rowsInt = g.node('Slice', [op('Shape', x), g.initInt64([0]), g.initInt64([1])]) // [1] int64
  const N = g.node('Cast', [rowsInt], { to: 1 }) // rows as float [1]
  // Column sums as ones[1,N] x t: onnxruntime's GEMV streams t once on all threads, ~8x cheaper than ReduceSum(axis 0).
  const ones = op('Expand', g.init(Float32Array.of(1), [1, 1]), g.node('Concat', [g.initInt64([1]), rowsInt], { axis: 0 }))
  const sum0 = (t: string) => g.node('Reshape', [op('MatMul', ones, t), g.initInt64([-1])])
  const M = op('Mul', N, scalar(2)) // rows through the discriminator (normal + synthetic)

  // Projection, nearest centre, L_c (Eq. 6)
  const u = gemm(x, Wp, bp)
  const idx = onnxNearest(g, u, matchT, matchBias, o.rule)
  const d = op('Sub', u, g.node('Gather', [c, idx], { axis: 0 }))
  const sq = sumSq1(d) // |d|^2 [N,1]
  const dist = op('Sqrt', op('Add', sq, scalar(1e-12)))
  const lossC = mean(dist)
  const invDist = op('Reciprocal', op('Max', dist, scalar(1e-12)))
  // AFS (Eq. 7): offset = alpha L_c d / |d|, detached; Gaussian ablation: offset = noise.
  const k = op('Mul', lossC, scalar(o.alpha))
  const offset = noise ?? op('Mul', d, op('Mul', invDist, k))

  // Discriminator on u and z = u + offset with shared batch norm (batch statistics over both halves).
  const hu = gemm(u, W1, b1)
  const hz = gemm(offset, W1, hu)
  const bnMean = op('Div', op('Add', sum0(hu), sum0(hz)), M)
  const cu = op('Sub', hu, bnMean)
  const cz = op('Sub', hz, bnMean)
  const bnVar = op('Div', op('Add', sum0(op('Mul', cu, cu)), sum0(op('Mul', cz, cz))), M)
  const r = op('Reciprocal', op('Sqrt', op('Add', bnVar, scalar(BN_EPS))))
  const scale = op('Mul', r, gamma)
  const au = op('Add', op('Mul', cu, scale), beta)
  const az = op('Add', op('Mul', cz, scale), beta)
  const lu = onnxLeaky(g, au)
  const lz = onnxLeaky(g, az)
  const su = op('MatMul', lu, w2) // [N,1] logits
  const sz = op('MatMul', lz, w2)
  const lossN = mean(op('Softplus', su))
  const lossA = mean(op('Softplus', op('Neg', sz)))

  // Backward of loss = L_c + L_n + L_a.
  const dsu = op('Div', op('Sigmoid', su), N)
  const dsz = op('Neg', op('Div', op('Sigmoid', op('Neg', sz)), N))
  const dw2 = gemm(lz, dsz, gemm(lu, dsu, null, 1), 1) // [H,1]
  const w2row = g.node('Transpose', [w2], { perm: [1, 0] }) // [1,H]
  const leakyBack = (l: string, ds: string) => op('Mul', op('Mul', onnxLeakyGrad(g, l), ds), w2row)
  const dau = leakyBack(lu, dsu)
  const daz = leakyBack(lz, dsz)
  // Batch-norm backward: dh = r gamma (da - mean(da) - n mean(da n)), n = c r. With
  // dbeta = sum(da), dgamma = r sum(da c): dh = A F, A = r gamma, F = da - dbeta/M - c r dgamma/M.
  const dbeta = op('Add', sum0(dau), sum0(daz))
  const dgamma = op('Mul', r, op('Add', sum0(op('Mul', dau, cu)), sum0(op('Mul', daz, cz))))
  const cCoef = op('Neg', op('Div', op('Mul', r, dgamma), M))
  const shift = op('Neg', op('Div', dbeta, M))
  const fu = op('Add', op('Add', dau, op('Mul', cu, cCoef)), shift)
  const fz = op('Add', op('Add', daz, op('Mul', cz, cCoef)), shift)
  const fsum = op('Add', fu, fz)
  // A scales columns on the H side, so it is applied to the small [D,H] matrices, not to F.
  const A = op('Mul', r, gamma)
  const dW1 = op('Mul', gemm(offset, fz, gemm(u, fsum, null, 1), 1), A)
  const db1 = op('Mul', sum0(fsum), A)
  // z = u + offset with the offset detached, so dL/du collects both discriminator paths plus L_c's.
  const dLc = op('Mul', d, op('Div', op('Reciprocal', dist), N))
  const du = gemm(fsum, op('Mul', W1, A), dLc, 0, 1)
  const dWp = gemm(x, du, null, 1)
  const dbp = sum0(du)
  for (const [name, t, dims] of [
    ['g_projW', dWp, [D, D]], ['g_projB', dbp, [D]], ['g_discW1', dW1, [D, H]], ['g_discB1', db1, [H]],
    ['g_bnGamma', dgamma, [H]], ['g_bnBeta', dbeta, [H]], ['g_discW2', dw2, [H, 1]], ['bnMeanBatch', bnMean, [H]], ['bnVarBatch', bnVar, [H]],
  ] as [string, string, number[]][]) {
    g.node('Identity', [t], {}, name)
    g.output(name, dims)
  }

  // Stats for the progress log. For AFS the offset is parallel to d, so |z - c~| = |d| (1 + k/|d|) and
  // |offset| = k |d| / |d|: per-row scalars, no further pass over [N, D].
  const frac = (cond: string) => mean(g.node('Cast', [cond], { to: 1 }))
  const norm = op('Sqrt', sq)
  const [distSynthetic, distNormalSynthetic] = noise
    ? [mean(op('Sqrt', sumSq1(op('Add', d, noise)))), mean(op('Sqrt', sumSq1(noise)))]
    : [mean(op('Mul', norm, op('Add', scalar(1), op('Mul', invDist, k)))), mean(op('Mul', norm, op('Mul', invDist, k)))]
  const stats = [lossC, lossN, lossA, frac(op('Less', su, scalar(0))), frac(op('Not', op('Less', sz, scalar(0)))), distSynthetic, distNormalSynthetic]
  g.node('Concat', stats.map((s) => g.node('Reshape', [s, g.initInt64([1])])), { axis: 0 }, 'stats')
  g.output('stats', [7])
  return g.encode()
}

/**
 * The nearest centre row of each row of u: argmax of u . unit centre rows (cosine), or argmin of |c|^2 - 2 u . c
 * (euclidean), from the host-prepared matchT [D,P] and matchBias [P] (matchTensors).
 */
function onnxNearest(g: OnnxGraph, u: string, matchT: string, matchBias: string, rule: MatchRule): string {
  return g.node(rule === 'cosine' ? 'ArgMax' : 'ArgMin', [g.node('Gemm', [u, matchT, matchBias], { transA: 0, transB: 0 })], { axis: 1, keepdims: 0 })
}

/** The nearest-centre match alone (the centre initialisation's batches): u [n,D] -> idx [n] (as float32: exact while the centre has fewer than 2^24 rows). */
export function buildMatchGraph(D: number, rule: MatchRule): Uint8Array {
  const g = new OnnxGraph()
  g.node('Cast', [onnxNearest(g, g.input('u', ['n', D]), g.input('matchT', [D, 'p']), g.input('matchBias', ['p']), rule)], { to: 1 }, 'idx')
  g.output('idx', ['n'])
  return g.encode()
}

/** Inference-style graph: u = x Wp + bp (centre initialisation) */
export function buildProjectGraph(D: number): Uint8Array {
  const g = new OnnxGraph()
  const x = g.input('x', ['n', D])
  onnxDense(g, x, g.input('projW', [D, D]), g.input('projB', [D]), 'u')
  g.output('u', ['n', D])
  return g.encode()
}

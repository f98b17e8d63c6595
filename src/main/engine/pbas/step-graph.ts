// The whole PBAS training step (forward, losses, hand-derived gradients) as one ONNX graph for onnxruntime.
import { OnnxGraph } from '../onnx/graph'

/** Static settings baked into the graph. */
export interface StepGraphOptions {
  D: number
  H: number
  P: number
  rule: 'cosine' | 'euclidean'
  synthesis: 'afs' | 'gaussian'
  alpha: number
}

const EPS_BN = 1e-5

/**
 * Inputs: x [N,D], projW [D,D], projB [D], discW1 [D,H], discB1 [H], bnGamma [H], bnBeta [H], discW2 [H,1],
 * centre [P,D], matchT [D,P], matchBias [P] (cosine: unit centre rows and 0; euclidean: -2c^T and |c|^2),
 * noise [N,D] (gaussian synthesis only).
 * Outputs: gradients g_<param>, batch statistics bnMeanBatch/bnVarBatch, and stats [7]
 * (L_c, L_n, L_a, p_true, p_fake, dist centre->synthetic, dist normal->synthetic).
 * Same maths as train-step.ts (which tfjs differentiates automatically); a test checks they agree.
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
  const axes0 = g.initInt64([0])
  const axes1 = g.initInt64([1])
  const sum0 = (t: string) => g.node('ReduceSum', [t, axes0], { keepdims: 0 })
  const rows = g.node('Cast', [g.node('Gather', [g.node('Shape', [x]), g.initInt64([0])], { axis: 0 })], { to: 1 }) // N as float [1]
  const gemm = (a: string, b: string, transA = 0, transB = 0) => g.node('Gemm', [a, b], { transA, transB })

  // Forward
  const u = g.node('Add', [g.node('MatMul', [x, Wp]), bp])
  const score = g.node('Add', [g.node('MatMul', [u, matchT]), matchBias])
  const idx = g.node(o.rule === 'cosine' ? 'ArgMax' : 'ArgMin', [score], { axis: 1, keepdims: 0 })
  const cm = g.node('Gather', [c, idx], { axis: 0 })
  const d = g.node('Sub', [u, cm])
  const dist = g.node('Sqrt', [g.node('Add', [g.node('ReduceSum', [g.node('Mul', [d, d]), axes1], { keepdims: 1 }), scalar(1e-12)])]) // [N,1]
  const lossC = g.node('ReduceMean', [dist], { keepdims: 0 })
  const offset = noise ?? g.node('Mul', [g.node('Div', [d, g.node('Max', [dist, scalar(1e-12)])]), g.node('Mul', [lossC, scalar(o.alpha)])])
  const z = g.node('Add', [u, offset])
  const hu = g.node('Add', [g.node('MatMul', [u, W1]), b1])
  const hz = g.node('Add', [g.node('MatMul', [z, W1]), b1])
  const M = g.node('Mul', [rows, scalar(2)])
  const mean = g.node('Div', [g.node('Add', [sum0(hu), sum0(hz)]), M])
  const cu = g.node('Sub', [hu, mean])
  const cz = g.node('Sub', [hz, mean])
  const variance = g.node('Div', [g.node('Add', [sum0(g.node('Mul', [cu, cu])), sum0(g.node('Mul', [cz, cz]))]), M])
  const r = g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [variance, scalar(EPS_BN)])])])
  const nu = g.node('Mul', [cu, r])
  const nz = g.node('Mul', [cz, r])
  const au = g.node('Add', [g.node('Mul', [nu, gamma]), beta])
  const az = g.node('Add', [g.node('Mul', [nz, gamma]), beta])
  const lu = g.node('LeakyRelu', [au], { alpha: { float: 0.2 } })
  const lz = g.node('LeakyRelu', [az], { alpha: { float: 0.2 } })
  const su = g.node('MatMul', [lu, w2]) // [N,1]
  const sz = g.node('MatMul', [lz, w2])
  const lossN = g.node('ReduceMean', [g.node('Softplus', [su])], { keepdims: 0 })
  const lossA = g.node('ReduceMean', [g.node('Softplus', [g.node('Neg', [sz])])], { keepdims: 0 })

  // Backward (d loss / d ...), loss = L_c + L_n + L_a
  const dsu = g.node('Div', [g.node('Sigmoid', [su]), rows])
  const dsz = g.node('Div', [g.node('Neg', [g.node('Sigmoid', [g.node('Neg', [sz])])]), rows])
  const dw2 = g.node('Add', [gemm(lu, dsu, 1), gemm(lz, dsz, 1)]) // [H,1]
  const w2row = g.node('Transpose', [w2], { perm: [1, 0] }) // [1,H]
  const slope = (a: string) => g.node('Where', [g.node('Greater', [a, scalar(0)]), scalar(1), scalar(0.2)])
  const dau = g.node('Mul', [g.node('Mul', [dsu, w2row]), slope(au)])
  const daz = g.node('Mul', [g.node('Mul', [dsz, w2row]), slope(az)])
  const dgamma = g.node('Add', [sum0(g.node('Mul', [dau, nu])), sum0(g.node('Mul', [daz, nz]))])
  const dbeta = g.node('Add', [sum0(dau), sum0(daz)])
  const dnu = g.node('Mul', [dau, gamma])
  const dnz = g.node('Mul', [daz, gamma])
  const s1 = g.node('Div', [g.node('Add', [sum0(dnu), sum0(dnz)]), M])
  const s2 = g.node('Div', [g.node('Add', [sum0(g.node('Mul', [dnu, nu])), sum0(g.node('Mul', [dnz, nz]))]), M])
  const bnBack = (dn: string, n: string) => g.node('Mul', [g.node('Sub', [g.node('Sub', [dn, s1]), g.node('Mul', [n, s2])]), r])
  const dhu = bnBack(dnu, nu)
  const dhz = bnBack(dnz, nz)
  const dW1 = g.node('Add', [gemm(u, dhu, 1), gemm(z, dhz, 1)])
  const db1 = g.node('Add', [sum0(dhu), sum0(dhz)])
  // z = u + offset with the offset detached, so dL/du collects both discriminator paths plus L_c's.
  const dLc = g.node('Div', [g.node('Div', [d, dist]), rows])
  const du = g.node('Add', [g.node('Add', [gemm(dhu, W1, 0, 1), gemm(dhz, W1, 0, 1)]), dLc])
  const dWp = gemm(x, du, 1)
  const dbp = sum0(du)
  for (const [name, t, dims] of [
    ['g_projW', dWp, [D, D]], ['g_projB', dbp, [D]], ['g_discW1', dW1, [D, H]], ['g_discB1', db1, [H]],
    ['g_bnGamma', dgamma, [H]], ['g_bnBeta', dbeta, [H]], ['g_discW2', dw2, [H, 1]], ['bnMeanBatch', mean, [H]], ['bnVarBatch', variance, [H]],
  ] as [string, string, number[]][]) {
    g.node('Identity', [t], {}, name)
    g.output(name, dims)
  }
  // Stats for the progress log.
  const frac = (cond: string) => g.node('ReduceMean', [g.node('Cast', [cond], { to: 1 })], { keepdims: 0 })
  const norm1 = (t: string) => g.node('ReduceMean', [g.node('Sqrt', [g.node('ReduceSum', [g.node('Mul', [t, t]), axes1], { keepdims: 0 })])], { keepdims: 0 })
  const dz = g.node('Sub', [z, cm])
  const stats = [lossC, lossN, lossA, frac(g.node('Less', [su, scalar(0)])), frac(g.node('Not', [g.node('Less', [sz, scalar(0)])])), norm1(dz), norm1(offset)]
  g.node('Concat', stats.map((s) => g.node('Reshape', [s, g.initInt64([1])])), { axis: 0 }, 'stats')
  g.output('stats', [7])
  return g.encode()
}

/** Inference-style graph: u = x Wp + bp (centre initialisation) */
export function buildProjectGraph(D: number): Uint8Array {
  const g = new OnnxGraph()
  const x = g.input('x', ['n', D])
  g.node('Add', [g.node('MatMul', [x, g.input('projW', [D, D])]), g.input('projB', [D])], {}, 'u')
  g.output('u', ['n', D])
  return g.encode()
}

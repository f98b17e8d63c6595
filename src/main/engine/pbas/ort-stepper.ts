// Stepper on onnxruntime: the hand-derived step graph on all CPU cores, parameters and Adam on the host.
import * as tf from '@tensorflow/tfjs'
import type * as Ort from 'onnxruntime-node'
import type { NamedArray } from '../util/tensor-bundle'
import { createSession } from '../onnx/ort'
import { normalSamples } from '../util/random'
import type { PbasConfig } from './config'
import { centreRule, type MatchRule } from './config-helpers'
import { HostAdam } from './host-adam'
import { disposeParams, exportParams, importParams, initParams, PARAM_NAMES } from './params'
import { disposeCentre, prepareCentre } from './synthesis'
import { validationLoss } from './validate'
import { buildMatchGraph, buildProjectGraph, buildStepGraph } from './step-graph'
import type { Stepper } from './stepper'
import type { StepStats } from './train-step'
import { DISCRIMINATOR_PARAMS, PROJECTOR_PARAMS, runningStats, TRAINABLE_PARAMS } from './network'


/** Creates an onnxruntime stepper; initial parameters equal the tfjs stepper's for the same seed. */
export async function createOrtStepper(ort: typeof Ort, cfg: PbasConfig, P: number): Promise<Stepper> {
  const D = cfg.targetDim
  const H = cfg.discHidden
  const init = initParams(D, H, cfg.seed)
  const p: Record<string, NamedArray> = await exportParams(init)
  disposeParams(init)
  const rule = centreRule(cfg)
  const [stepSession, projectSession, matchSession] = await Promise.all([
    createSession(ort, buildStepGraph({ D, H, P, rule, synthesis: cfg.synthesis, alpha: cfg.alpha })),
    createSession(ort, buildProjectGraph(D)),
    createSession(ort, buildMatchGraph(D, rule)),
  ])
  const makeOpts = () => ({
    projector: new HostAdam(PROJECTOR_PARAMS.map((k) => p[k].data), { lr: cfg.lrProjector, weightDecay: cfg.weightDecayProjector, decoupled: false }),
    discriminator: new HostAdam(DISCRIMINATOR_PARAMS.map((k) => p[k].data), { lr: cfg.lrDiscriminator, weightDecay: cfg.weightDecayDiscriminator, decoupled: true }),
  })
  let opts = makeOpts()
  let centre: Record<string, Ort.Tensor> = {}
  const T = (a: NamedArray) => new ort.Tensor('float32', a.data, a.shape)
  const project = async (x: Float32Array, rows: number) =>
    (await projectSession.run({ x: new ort.Tensor('float32', x, [rows, D]), projW: T(p.projW), projB: T(p.projB) })).u.data as Float32Array
  const stepper: Stepper = {
    runtime: 'onnxruntime',
    async step(x, rows, seed) {
      const feeds: Record<string, Ort.Tensor> = { x: new ort.Tensor('float32', x, [rows, D]), ...centre }
      for (const k of TRAINABLE_PARAMS) feeds[k] = T(p[k])
      if (cfg.synthesis === 'gaussian') feeds.noise = new ort.Tensor('float32', normalSamples(rows * D, cfg.noiseStd, seed), [rows, D])
      const out = await stepSession.run(feeds)
      const grad = (k: string) => out[`g_${k}`].data as Float32Array
      opts.projector.apply(PROJECTOR_PARAMS.map(grad))
      opts.discriminator.apply(DISCRIMINATOR_PARAMS.map(grad))
      const bm = out.bnMeanBatch.data as Float32Array
      const bv = out.bnVarBatch.data as Float32Array
      const n = 2 * rows
      for (let i = 0; i < H; i++) [p.bnMean.data[i], p.bnVar.data[i]] = runningStats(p.bnMean.data[i], p.bnVar.data[i], bm[i], bv[i], n)
      const [lossC, lossN, lossA, pTrue, pFake, distSynthetic, distNormalSynthetic] = Array.from(out.stats.data as Float32Array)
      return { lossC, lossN, lossA, pTrue, pFake, distNormal: lossC, distSynthetic, distNormalSynthetic } satisfies StepStats
    },
    project,
    setCentre(c) {
      centre = matchTensors(ort, c, P, D, rule)
    },
    async nearest(c, u) {
      const m = matchTensors(ort, c, P, D, rule)
      const out = await matchSession.run({ u: new ort.Tensor('float32', u, [u.length / D, D]), matchT: m.matchT, matchBias: m.matchBias })
      return Int32Array.from(out.idx.data as Float32Array)
    },
    async validationLoss(features) {
      // Small and rare: reuse the tfjs evaluation on a temporary copy of the host parameters.
      const params = importParams(p)
      const ct = tf.tensor2d(centre.centre.data as Float32Array, [P, D])
      const centreT = prepareCentre(ct)
      try {
        return await validationLoss(features, P, { params, centre: centreT, config: cfg })
      } finally {
        ct.dispose()
        disposeCentre(centreT)
        disposeParams(params)
      }
    },
    exportParams: async () => Object.fromEntries(PARAM_NAMES.map((k) => [k, { shape: [...p[k].shape], data: Float32Array.from(p[k].data) }])),
    loadParams(a) {
      for (const k of PARAM_NAMES) p[k].data.set(a[k].data)
    },
    optimizerStates: async () => ({ projector: opts.projector.state(), discriminator: opts.discriminator.state() }),
    loadOptimizerStates(s) {
      opts = makeOpts()
      opts.projector.load(s.projector)
      opts.discriminator.load(s.discriminator)
    },
    dispose() {
      void stepSession.release()
      void projectSession.release()
      void matchSession.release()
    },
  }
  return stepper
}

/** The step and match graphs' centre inputs: cosine: unit rows and 0 bias; euclidean: -2c^T and |c|^2. */
function matchTensors(ort: typeof Ort, c: Float32Array, P: number, D: number, rule: MatchRule): Record<'centre' | 'matchT' | 'matchBias', Ort.Tensor> {
  const cc = new Float32Array(c)
  const matchT = new Float32Array(D * P)
  const bias = new Float32Array(P)
  for (let k = 0; k < P; k++) {
    let sq = 0
    for (let d = 0; d < D; d++) sq += cc[k * D + d] ** 2
    const inv = 1 / Math.max(Math.sqrt(sq), 1e-12)
    for (let d = 0; d < D; d++) matchT[d * P + k] = rule === 'cosine' ? cc[k * D + d] * inv : -2 * cc[k * D + d]
    bias[k] = rule === 'cosine' ? 0 : sq
  }
  return { centre: new ort.Tensor('float32', cc, [P, D]), matchT: new ort.Tensor('float32', matchT, [D, P]), matchBias: new ort.Tensor('float32', bias, [P]) }
}

// This machine's matrix-multiply limit with onnxruntime at given shapes, measured beside the workload it bounds.
import type * as Ort from 'onnxruntime-node'
import { OnnxGraph } from '../src/main/engine/onnx/graph'
import { createSession } from '../src/main/engine/onnx/ort'
import type { FoldedResNet } from '../src/main/engine/backbone/resnet-onnx'

/** One product [m, k] x [k, n] (operands transposed as flagged), run `count` times per workload unit. */
export interface GemmShape {
  name: string
  m: number
  n: number
  k: number
  transA?: 0 | 1
  transB?: 0 | 1
  count?: number
}

/** FLOPs of a list of products: 2 m n k per product (a multiply and an add per term), times its count. */
export function gemmFlops(shapes: readonly GemmShape[]): number {
  return shapes.reduce((a, s) => a + 2 * s.m * s.n * s.k * (s.count ?? 1), 0)
}

/** Best-of timings in milliseconds: wall clock and this process's CPU time (user + system). */
export interface Timing {
  wallMs: number
  cpuMs: number
}

/** Runs `fn` and returns its wall and CPU time. */
export async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const wallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  return { wallMs, cpuMs: (c.user + c.system) / 1000 }
}

/** Element-wise minimum of two timings (best of repetitions; other jobs on the machine only add time). */
export function best(a: Timing | null, b: Timing): Timing {
  return a ? { wallMs: Math.min(a.wallMs, b.wallMs), cpuMs: Math.min(a.cpuMs, b.cpuMs) } : b
}

/** A ready single-Gemm session with its operands; run() multiplies once. */
export interface GemmProbe {
  shape: GemmShape
  run(): Promise<void>
  release(): Promise<void>
}

/**
 * One Gemm node in a session made exactly like the engine's (same threads, arena and optimisation level).
 * The product stays inside onnxruntime (only its first row is returned), as in the step graph.
 */
export async function gemmProbe(ort: typeof Ort, s: GemmShape): Promise<GemmProbe> {
  const g = new OnnxGraph()
  const aDims = s.transA ? [s.k, s.m] : [s.m, s.k]
  const bDims = s.transB ? [s.n, s.k] : [s.k, s.n]
  const y = g.node('Gemm', [g.input('a', aDims), g.input('b', bDims)], { transA: s.transA ?? 0, transB: s.transB ?? 0 })
  g.node('Slice', [y, g.initInt64([0]), g.initInt64([1]), g.initInt64([0])], {}, 'y')
  g.output('y', [1, s.n])
  const session = await createSession(ort, g.encode())
  const fill = (n: number) => {
    const a = new Float32Array(n)
    for (let i = 0; i < n; i++) a[i] = ((i * 2654435761) % 1000) / 1000 - 0.5
    return a
  }
  const feeds = { a: new ort.Tensor('float32', fill(s.m * s.k), aDims), b: new ort.Tensor('float32', fill(s.k * s.n), bDims) }
  return {
    shape: s,
    run: async () => void (await session.run(feeds)),
    release: () => session.release(),
  }
}

/** Roofline of a workload: the best time of each of its products alone, summed, and the FLOP rate that gives. */
export interface Roofline {
  flops: number
  wallMs: number
  cpuMs: number
  gflopsPerSecond: number
  perShape: { name: string; m: number; n: number; k: number; transA: number; transB: number; count: number; bestMs: number; gflopsPerSecond: number }[]
}

/**
 * For products whose orientation is free (a convolution's im2col product can be [out, in k k] x [in k k,
 * pixels] or its transpose [pixels, in k k] x [in k k, out]): both orientations, so the roofline can take
 * the faster one per shape.
 */
export function bothOrientations(shapes: readonly GemmShape[]): GemmShape[] {
  return shapes.flatMap((s) => [s, { ...s, name: `${s.name} (transposed)`, m: s.n, n: s.m }])
}

/** Keeps, of each pair made by {@link bothOrientations}, the probe and timing of the faster orientation. */
export function fasterOfPairs(probes: readonly GemmProbe[], timings: readonly Timing[]): { probes: GemmProbe[]; timings: Timing[] } {
  const p: GemmProbe[] = []
  const t: Timing[] = []
  for (let i = 0; i < probes.length; i += 2) {
    const k = timings[i].wallMs <= timings[i + 1].wallMs ? i : i + 1
    p.push(probes[k])
    t.push(timings[k])
  }
  return { probes: p, timings: t }
}

/** Turns per-probe best timings into the workload's roofline. */
export function roofline(probes: readonly GemmProbe[], timings: readonly Timing[]): Roofline {
  let wallMs = 0
  let cpuMs = 0
  const perShape = probes.map((p, i) => {
    const count = p.shape.count ?? 1
    wallMs += timings[i].wallMs * count
    cpuMs += timings[i].cpuMs * count
    const one = gemmFlops([{ ...p.shape, count: 1 }])
    return { name: p.shape.name, m: p.shape.m, n: p.shape.n, k: p.shape.k, transA: p.shape.transA ?? 0, transB: p.shape.transB ?? 0, count, bestMs: round(timings[i].wallMs, 2), gflopsPerSecond: round(one / timings[i].wallMs / 1e6, 1) }
  })
  const flops = gemmFlops(probes.map((p) => p.shape))
  return { flops, wallMs, cpuMs, gflopsPerSecond: flops / wallMs / 1e6, perShape }
}

/**
 * Alternates the roofline probes with the workloads `reps` times and keeps the best of each, so all see
 * the same machine (other jobs sharing the cores slow every one; the best repetitions are the least disturbed).
 */
export async function interleaved(probes: readonly GemmProbe[], workloads: readonly (() => Promise<unknown>)[], reps: number): Promise<{ probes: Timing[]; workloads: Timing[] }> {
  for (const p of probes) await p.run() // warm-up: arena growth, kernel selection
  for (const w of workloads) await w()
  const pt: (Timing | null)[] = probes.map(() => null)
  const wt: (Timing | null)[] = workloads.map(() => null)
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < probes.length; i++) pt[i] = best(pt[i], await timed(() => probes[i].run()))
    for (let i = 0; i < workloads.length; i++) wt[i] = best(wt[i], await timed(workloads[i]))
  }
  return { probes: pt as Timing[], workloads: wt as Timing[] }
}

export function round(v: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

/**
 * The convolutions of a folded ResNet up to `lastLayer` on a batch of images as im2col products:
 * [out channels, in channels x k x k] x [in channels x k x k, batch x output pixels]; repeated shapes
 * (e.g. layer1's four convolutions) are one entry with a count.
 */
export function resnetConvGemms(net: FoldedResNet, size: number, lastLayer: number, batch: number): GemmShape[] {
  const out: GemmShape[] = []
  const add = (name: string, c: FoldedResNet['stem'], inSize: number): number => {
    const { outCh, inCh, k, stride, pad } = c.spec
    const o = Math.floor((inSize + 2 * pad - k) / stride) + 1
    const prev = out.find((s) => s.m === outCh && s.k === inCh * k * k && s.n === batch * o * o)
    if (prev) prev.count! += 1
    else out.push({ name, m: outCh, k: inCh * k * k, n: batch * o * o, count: 1 })
    return o
  }
  let s = add('stem conv', net.stem, size)
  s = Math.floor((s + 2 - 3) / 2) + 1 // max pool 3x3 stride 2 pad 1
  for (let l = 0; l <= lastLayer; l++)
    for (const [b, block] of net.blocks[l].entries()) {
      let t = s
      block.convs.forEach((c, i) => (t = add(`layer${l + 1}.${b}.conv${i + 1}`, c, t)))
      if (block.down) add(`layer${l + 1}.${b}.downsample`, block.down, s)
      s = t
    }
  return out
}

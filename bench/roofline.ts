// Benchmark: training step, epoch and inference against this machine's own matrix-multiply limit, in one run.
// Run with `npm run bench:roofline`; writes bench/results/roofline.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { loadOrt } from '../src/main/engine/onnx/ort'
import { machineInfo } from './machine-info'
import { stepSection } from './roofline-step'
import { epochSection } from './roofline-epoch'
import { inferenceSection } from './roofline-inference'

const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const REPS = Number(process.env.ROOFLINE_REPS ?? 5)
const SKIP = new Set((process.env.ROOFLINE_SKIP ?? '').split(',').filter(Boolean))

async function main(): Promise<void> {
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const ort = loadOrt()
  if (!ort) throw new Error('onnxruntime-node did not load; the roofline is measured with the runtime the engine uses')
  const out: Record<string, unknown> = {
    benchmark: 'roofline',
    command: 'npm run bench:roofline',
    what:
      'Achieved FLOP rate of the PBAS training step, a training epoch and inference, as a fraction of the rate onnxruntime reaches on the same matrix products alone (same process, same session settings, both cores), measured alternately so both see the same machine.',
    flopCounting:
      '2 m n k per matrix product [m, k] x [k, n] (convolutions as their im2col products); element-wise work, reductions, Adam, decoding and heat maps count no FLOPs but their time counts. The step counts the products its graph executes; the issue\'s 258 GFLOP counts du as two products (dh_u W1^T + dh_z W1^T), the graph does one ((dh_u + dh_z) W1^T), so it executes 232 GFLOP.',
    fraction:
      'fraction = roofline time / measured time = achieved GFLOP/s / roofline GFLOP/s, with roofline time = the sum over the workload\'s products of the best time of each alone. Best of ROOFLINE_REPS alternating repetitions for both; cpuFraction is the same ratio in process CPU seconds (less sensitive to other jobs sharing the cores).',
    machine: machineInfo(backend),
    reps: REPS,
  }
  if (process.env.ROOFLINE_DRAFT) out.draft = process.env.ROOFLINE_DRAFT
  if (!SKIP.has('step')) out.step = await stepSection(ort, REPS)
  if (!SKIP.has('epoch')) out.epoch = await epochSection(ort)
  if (!SKIP.has('inference')) out.inference = await inferenceSection(ort, SHARED, join(ROOT, 'resources'), join(ROOT, 'scratch', 'bench-data'), REPS)
  out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024)
  const dir = resolve(__dirname, 'results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'roofline.json'), JSON.stringify(out, null, 2) + '\n')
  console.log(JSON.stringify(out, null, 2))
}

void main()

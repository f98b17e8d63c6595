// Benchmark: peak RSS of `pbas train` (Quick settings) for 100 and 1,000 good images (bottle's images repeated
// under new names in a temp folder): memory must not grow with the data set.
// Run with `npm run build && npm run bench:train-memory`; writes bench/results/train-memory.json.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { machineInfo } from './machine-info'
import { epochSeconds, runPbas, SHARED } from './run-pbas'

/** An MVTec-layout folder with `n` good training images copied round-robin from bottle's 209. */
function repeatedDataset(root: string, n: number): string {
  const src = join(SHARED, 'datasets/mvtec_bottle/train/good')
  const files = readdirSync(src).filter((f) => f.endsWith('.png')).sort()
  const dir = join(root, `bottle-x${n}`)
  mkdirSync(join(dir, 'train/good'), { recursive: true })
  mkdirSync(join(dir, 'test/good'), { recursive: true })
  for (let i = 0; i < n; i++) copyFileSync(join(src, files[i % files.length]), join(dir, 'train/good', `${String(i).padStart(4, '0')}.png`))
  copyFileSync(join(src, files[0]), join(dir, 'test/good/000.png'))
  return dir
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number)
  const root = mkdtempSync(join(tmpdir(), 'pbas-bench-memory-'))
  const backbone = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
  const results: Record<string, unknown>[] = []
  try {
    for (const n of sizes) {
      const data = repeatedDataset(root, n)
      const run = await runPbas(['train', '--data', data, '--out', join(root, `model-${n}`), '--preset', 'quick', '--backbone', backbone, '--epochs', '1'])
      if (run.exitCode !== 0) throw new Error(`pbas train on ${n} images exited with ${run.exitCode}`)
      const cache = run.events.find((e) => e.kind === 'stage' && String(e.message).startsWith('feature cache:'))
      results.push({ images: n, peakRssMiB: run.peakRssMiB, epochSeconds: epochSeconds(run), wallSeconds: run.wallSeconds, featureCache: cache?.message })
      rmSync(data, { recursive: true, force: true })
    }
    const peaks = results.map((r) => r.peakRssMiB as number)
    const out = {
      benchmark: 'train-memory',
      command: 'npm run bench:train-memory',
      what: 'peak RSS (/usr/bin/time -v, kernel high-water mark) of pbas train --preset quick with the real ResNet18 ImageNet weights (256 px, D 1536, batch 8), 1 epoch, on MVTec bottle good images repeated under new names; features stream from the disk cache',
      ...(process.env.BENCH_DRAFT ? { draft: process.env.BENCH_DRAFT } : {}),
      machine: machineInfo(await initBackend(process.env.PBAS_BACKEND ?? 'wasm')),
      results,
      largestOverSmallest: Number((Math.max(...peaks) / Math.min(...peaks)).toFixed(3)),
      official: { peakRssMiB: Math.round(1.45e6 / 1024), note: 'official PyTorch code on bottle (209 images), measured on a machine like this one (issue 13)' },
    }
    writeFileSync(resolve(__dirname, 'results', 'train-memory.json'), JSON.stringify(out, null, 2) + '\n')
    console.log(JSON.stringify(out, null, 2))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

void main()

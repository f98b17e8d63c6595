// Runs each benchmark case in its own process (so peak memory is per case) and writes the results file.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { machineInfo } from './machine-info'

/** Runs `script` once per case (passing BENCH_CASE) and parses the last JSON line each prints. */
export function runCases<T>(script: string, cases: string[]): T[] {
  return cases.map((c) => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, BENCH_CASE: c },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    })
    const last = stdout.trim().split('\n').pop()!
    console.log(last)
    return JSON.parse(last) as T
  })
}

/** What a results file says about itself. */
export interface BenchDoc {
  benchmark: string
  /** the command that writes this file, as README names it (bench/readme-figures.test.ts checks README does) */
  command?: string
  what: string
  reference?: string
  /** set when the figures were taken on a busy machine and are to be measured again */
  draft?: string
}

/**
 * Entry point shared by the benchmarks: in a child (BENCH_CASE set) run that one case; otherwise run
 * every case (BENCH_CASES overrides the list) and write bench/results/<benchmark>.json with machine info.
 */
export function benchMain(script: string, cases: string[], runCase: (spec: string) => Promise<void>, doc: BenchDoc, keyOf?: (result: Record<string, unknown>) => string): void {
  if (process.env.BENCH_CASE) {
    void runCase(process.env.BENCH_CASE)
    return
  }
  const results = runCases<Record<string, unknown>>(script, (process.env.BENCH_CASES ?? cases.join(',')).split(','))
  const out = resolve(__dirname, 'results')
  mkdirSync(out, { recursive: true })
  const file = join(out, `${doc.benchmark}.json`)
  void initBackend('wasm').then((backend) => {
    const machine = machineInfo(backend)
    // BENCH_MERGE=1 adds or replaces these cases in the file and keeps the others; each result then names its own run.
    const merged = process.env.BENCH_MERGE && keyOf && existsSync(file) ? mergeResults(JSON.parse(readFileSync(file, 'utf8')), results, machine, keyOf) : results
    writeFileSync(file, JSON.stringify({ ...doc, machine, results: merged }, null, 2) + '\n')
  })
}

/** The earlier file's results without the ones just measured (each keeps the run it came from), then the new ones with this run. */
function mergeResults(old: { machine: unknown; results: Record<string, unknown>[] }, fresh: Record<string, unknown>[], machine: unknown, keyOf: (r: Record<string, unknown>) => string): Record<string, unknown>[] {
  const now = new Set(fresh.map(keyOf))
  return [...old.results.filter((r) => !now.has(keyOf(r))).map((r) => ({ ...r, run: r.run ?? old.machine })), ...fresh.map((r) => ({ ...r, run: machine }))]
}

// Runs each benchmark case in its own process so peak memory is per case, then collects JSON results.
import { execFileSync } from 'node:child_process'

/** Runs `script` once per case (passing BENCH_CASE) and parses the last JSON line each prints. */
export function runCases<T>(script: string, cases: string[], env: Record<string, string> = {}): T[] {
  const out: T[] = []
  for (const c of cases) {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env, BENCH_CASE: c },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    })
    const last = stdout.trim().split('\n').pop()!
    const r = JSON.parse(last) as T
    console.log(last)
    out.push(r)
  }
  return out
}

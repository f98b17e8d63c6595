// Runs the built `pbas` CLI in a child process under /usr/bin/time -v: its JSON progress lines and peak RSS.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..')
export const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')

/** What one CLI run left behind. */
export interface PbasRun {
  events: Record<string, unknown>[]
  /** the child's peak resident set (kernel high-water mark, /usr/bin/time -v), MiB */
  peakRssMiB: number
  wallSeconds: number
  exitCode: number
}

/** Runs `pbas <args> --json`; stderr (non-JSON lines) is passed through so progress stays visible. */
export function runPbas(args: string[], env: NodeJS.ProcessEnv = {}): Promise<PbasRun> {
  const cli = resolve(ROOT, 'bin', 'pbas.js')
  if (!existsSync(resolve(ROOT, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` first')
  const t0 = Date.now()
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, cli, ...args, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString()
      process.stderr.write(b)
    })
    child.on('error', fail)
    child.on('close', (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err)
      const events = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
      done({ events, peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : NaN, wallSeconds: (Date.now() - t0) / 1000, exitCode: code ?? -1 })
    })
  })
}

/** The epoch events of a training run, in order. */
export function epochSeconds(run: PbasRun): number[] {
  return run.events.filter((e) => e.kind === 'epoch').map((e) => e.seconds as number)
}

export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

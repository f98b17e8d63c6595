// Renders engine progress on a terminal: a one-line bar with ETA on a TTY, JSON lines with --json.
import type { JobUpdate } from '../../shared/models/job'

/** Formats seconds as 1h02m, 3m05s or 12s. */
export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--'
  s = Math.round(s)
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

/** Where progress goes: a redrawn bar on a TTY, JSON lines when asked, plain lines otherwise. */
export class ProgressView {
  private lastPlain = 0
  constructor(
    private readonly json: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Shows one progress event. */
  show(e: JobUpdate['progress']): void {
    if (this.json) {
      process.stdout.write(JSON.stringify(e) + '\n')
      return
    }
    if (e.kind !== 'progress') return
    const p = e
    const frac = p.total > 0 ? p.done / p.total : 0
    const line = `${p.stage.padEnd(9)} ${this.bar(frac)} ${String(p.done).padStart(String(p.total).length)}/${p.total}  ETA ${formatDuration(p.etaSeconds)}${p.message ? '  ' + p.message : ''}`
    if (this.out.isTTY) {
      this.out.write('\r' + line.slice(0, (this.out.columns ?? 100) - 1).padEnd((this.out.columns ?? 100) - 1))
      if (p.done >= p.total) this.out.write('\n')
    } else if (Date.now() - this.lastPlain > 2000 || p.done >= p.total) {
      this.lastPlain = Date.now()
      this.out.write(line + '\n')
    }
  }

  private bar(frac: number, width = 24): string {
    const n = Math.round(Math.min(1, Math.max(0, frac)) * width)
    return '[' + '#'.repeat(n) + '.'.repeat(width - n) + ']'
  }
}

// The station's results log: JSON lines (the record) and a CSV beside it (for spreadsheets), surviving restarts.
import { existsSync } from 'node:fs'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileAtomic } from '../util/atomic-write'
import { versionKey } from './folder-watcher'

export type { PartRecord, UnreadableRecord } from '../../../shared/models/station'
import type { PartRecord, UnreadableRecord } from '../../../shared/models/station'

/** Written at every start: which folder, model and thresholds the following lines were scored with. */
export interface SessionRecord {
  type: 'session'
  dir: string
  model: string
  startedAt: string
  sort: boolean
  engineVersion: string
  band: { review: number; fail: number }
}

export type LogRecord = PartRecord | UnreadableRecord | SessionRecord

const CSV_HEADER = 'time,file,verdict,score,latency_ms,sorted_to,heatmap,error\n'

function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csvRow(r: PartRecord | UnreadableRecord): string {
  const cells = r.type === 'part'
    ? [r.scoredAt, r.file, r.verdict, r.score.toFixed(6), Math.round(r.latencyMs), r.sortedTo, r.heatmap, undefined]
    : [r.at, r.file, 'unreadable', undefined, undefined, undefined, undefined, r.reason]
  return cells.map(csvCell).join(',') + '\n'
}

/** The CSV file beside a JSONL log: results.jsonl -> results.csv. */
export function csvPathOf(jsonl: string): string {
  return jsonl.replace(/\.jsonl?$/i, '') + '.csv'
}

/**
 * Appends records as they happen. On open it reads the existing log (a line torn by a kill is dropped and
 * the file repaired), indexes every file version already handled, and rewrites the CSV from the log so the
 * two always agree, whatever moment the last run was killed at.
 */
export class ResultsLog {
  private constructor(
    readonly path: string,
    readonly csvPath: string,
    /** file version key -> its record */
    readonly handled: Map<string, PartRecord | UnreadableRecord>,
    readonly totals: { pass: number; review: number; fail: number; unreadable: number },
  ) {}

  /** Opens (or creates) a log for `dir`; refuses a log that belongs to another folder. */
  static async open(path: string, dir: string): Promise<ResultsLog> {
    await mkdir(dirname(path), { recursive: true })
    const handled = new Map<string, PartRecord | UnreadableRecord>()
    const totals = { pass: 0, review: 0, fail: 0, unreadable: 0 }
    const lines: string[] = []
    if (existsSync(path)) {
      const text = await readFile(path, 'utf8')
      const raw = text.split('\n')
      let torn = !text.endsWith('\n') && text.length > 0
      raw.forEach((line, i) => {
        if (!line.trim()) return
        let r: LogRecord
        try {
          r = JSON.parse(line) as LogRecord
        } catch {
          // Only the last line can be torn by a kill; anything else is damage we must not paper over.
          if (i >= raw.length - 2) return void (torn = true)
          throw new Error(`${path} line ${i + 1} is not JSON; move the damaged log aside (the station starts a new one) or repair that line`)
        }
        lines.push(line)
        if (r.type === 'session' && r.dir !== dir)
          throw new Error(`${path} is the results log of ${r.dir}, not of ${dir}; give this folder its own log with --log`)
        if (r.type === 'part' || r.type === 'unreadable') {
          const key = versionKey({ rel: r.file, size: r.size, mtimeMs: r.mtimeMs })
          const before = handled.get(key)
          if (before) totals[before.type === 'part' ? before.verdict : 'unreadable']--
          handled.set(key, r)
          totals[r.type === 'part' ? r.verdict : 'unreadable']++
        }
      })
      if (torn) await writeFileAtomic(path, lines.map((l) => l + '\n').join(''))
    }
    const csvPath = csvPathOf(path)
    const rows = [...handled.values()].map(csvRow).join('')
    await writeFileAtomic(csvPath, CSV_HEADER + rows)
    return new ResultsLog(path, csvPath, handled, totals)
  }

  /** The record of a file version already scored or found unreadable, if any. */
  get(f: { rel: string; size: number; mtimeMs: number }): PartRecord | UnreadableRecord | undefined {
    return this.handled.get(versionKey(f))
  }

  /** Appends one record (JSON line, then its CSV row); a kill between the two is mended at the next open. */
  async append(r: LogRecord): Promise<void> {
    await appendFile(this.path, JSON.stringify(r) + '\n')
    if (r.type === 'session') return
    this.handled.set(versionKey({ rel: r.file, size: r.size, mtimeMs: r.mtimeMs }), r)
    this.totals[r.type === 'part' ? r.verdict : 'unreadable']++
    await appendFile(this.csvPath, csvRow(r))
  }
}

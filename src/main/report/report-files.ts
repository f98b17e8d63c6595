// The reports a workspace holds: listing a run's past reports and reading one back (to open or save it from the app).
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import type { PastReport, ReportFile } from '../../shared/ipc/invoke-map'
import { InputError } from '../engine/util/errors'

const TYPES: Record<string, string> = { '.html': 'text/html', '.pdf': 'application/pdf', '.csv': 'text/csv' }

/** The reports written for a run (names `<product>-<run 8>-<evaluation 8>[-N].*`), newest first. */
export async function listReports(dir: string, runId: string): Promise<PastReport[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  // A later report of the same evaluation gets -2, -3... (reports never overwrite one another).
  const tag = new RegExp(`-${runId.slice(0, 8).replace(/[^0-9a-z]/gi, '')}-([0-9a-f]{8})(?:-\\d+)?$`, 'i')
  const out: PastReport[] = []
  for (const n of names.filter((x) => x.endsWith('.html'))) {
    const base = n.slice(0, -'.html'.length)
    const m = tag.exec(base)
    if (!m) continue
    const has = (ext: string) => names.includes(`${base}${ext}`)
    out.push({
      name: base,
      evaluation: m[1],
      writtenAt: (await stat(join(dir, n))).mtime.toISOString(),
      html: join(dir, n),
      pdf: has('.pdf') ? join(dir, `${base}.pdf`) : null,
      csv: has('.csv') ? join(dir, `${base}.csv`) : null,
    })
  }
  return out.sort((a, b) => b.writtenAt.localeCompare(a.writtenAt))
}

/** One report file's bytes (base64) with its type; only HTML, PDF and CSV files directly in `dir`. */
export async function readReportFile(dir: string, path: string): Promise<ReportFile> {
  const type = TYPES[extname(path).toLowerCase()]
  if (!type || resolve(dirname(path)) !== resolve(dir)) throw new InputError(`${path} is not a report of this workspace (reports are the .html, .pdf and .csv files in ${dir})`)
  return { name: basename(path), type, base64: (await readFile(path)).toString('base64') }
}

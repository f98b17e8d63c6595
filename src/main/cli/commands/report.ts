// `pbas report`: a run's report (HTML, CSV and PDF via headless Chromium) from a workspace, without the app.
import { join } from 'node:path'
import { defaultWorkspaceDir } from '../../engine/util/data-dir'
import { openWorkspace } from '../../workspace/workspace-db'
import { ProductStore } from '../../workspace/products'
import { RunStore } from '../../workspace/runs'
import { EvaluationStore } from '../../workspace/evaluations'
import { exportReport } from '../../report/export-report'
import { chromiumPdf } from '../../report/pdf-chromium'
import { flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'

/** Runs `pbas report`; without --run or --evaluation it lists what can be reported. */
async function runReport(args: ParsedArgs): Promise<number> {
  const ws = openWorkspace(flagString(args, 'workspace') ?? defaultWorkspaceDir(), { files: flagString(args, 'files') })
  const { db, location: workspace } = ws
  try {
    const products = new ProductStore(db)
    const runs = new RunStore(db)
    const evaluations = new EvaluationStore(db)
    let evaluationId = flagString(args, 'evaluation')
    const runId = flagString(args, 'run')
    if (!evaluationId && runId) {
      const done = evaluations.list(runId).filter((e) => e.state === 'succeeded')
      if (!done.length) throw new UsageError(`run ${runId} has no finished evaluation; evaluate it in the app first`)
      // Prefer the test-split review (labelled) over folder evaluations; newest first otherwise.
      evaluationId = (done.find((e) => e.dir.endsWith('test-split')) ?? done[0]).id
    }
    if (!evaluationId) {
      const lines = products.list().flatMap((p) => runs.list(p.id).flatMap((r) => evaluations.list(r.id).filter((e) => e.state === 'succeeded').map((e) => `  ${p.name}: --run ${r.id} --evaluation ${e.id} (${e.images} images of ${e.source})`)))
      throw new UsageError(`say which run or evaluation to report on.${lines.length ? `\nFinished evaluations in ${workspace}:\n${lines.join('\n')}` : ` ${workspace} has no finished evaluations.`}`)
    }
    const out = flagString(args, 'out') ?? join(ws.files, 'reports')
    const files = await exportReport({ products, runs, evaluations }, evaluationId, out, flagBool(args, 'no-pdf') ? null : chromiumPdf)
    if (flagBool(args, 'json')) console.log(JSON.stringify(files, null, 2))
    else {
      console.log(`HTML: ${files.html}\nCSV:  ${files.csv}`)
      console.log(files.pdf ? `PDF:  ${files.pdf}` : `PDF:  not written${files.pdfError ? ` (${files.pdfError})` : ''}`)
    }
    return files.pdfError ? 1 : 0
  } finally {
    db.close()
  }
}

export const REPORT_COMMAND = defineCommand({
  name: 'report',
  summary: "a run's or an evaluation's report: self-contained HTML, CSV of scores and verdicts, PDF (headless Chromium)",
  options: {
    run: { type: 'string', value: 'ID', description: "report the run's test-split review (or its newest finished evaluation)" },
    evaluation: { type: 'string', value: 'ID', description: 'report this evaluation' },
    workspace: { type: 'string', value: 'DIR|URL', description: 'workspace folder, or a postgres:// URL', defaultText: 'PBAS_DATA_DIR/workspace' },
    files: { type: 'string', value: 'DIR', description: "a PostgreSQL workspace's shared folder (models, reviews), the same path on every machine; needed by the first client only", defaultText: 'the one recorded in the workspace' },
    out: { type: 'string', value: 'DIR', description: 'where the report files go', defaultText: 'WORKSPACE/reports' },
    'no-pdf': { type: 'boolean', description: 'HTML and CSV only' },
    json: { type: 'boolean', description: 'print the written paths as JSON' },
  },
  examples: ['pbas report --run 3f2a9c --out reports'],
  notes: ['Without --run or --evaluation it lists the finished evaluations to choose from.', 'Exit code 1 when the PDF could not be written (the HTML and CSV were). PBAS_CHROMIUM names the browser.'],
  run: runReport,
})

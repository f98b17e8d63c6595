// The `pbas` command's dispatcher: a thin adapter from the command line to the engine.
import { parseArgs, UsageError } from './args'
import { INFO_HELP, runInfo } from './commands/info'
import { DATASET_HELP, runDataset } from './commands/dataset'
import { BACKBONE_HELP, runBackbone } from './commands/backbone'
import { DEMO_HELP, runDemo } from './commands/demo'
import { TRAIN_HELP, runTrain } from './commands/train'
import { EVAL_HELP, runEval } from './commands/eval'
import { INFER_HELP, runInfer } from './commands/infer'
import { METRICS_HELP, runMetrics } from './commands/metrics'
import { SERVE_HELP, runServe } from './commands/serve'
import { REPORT_HELP, runReport } from './commands/report'
import { EXPORT_HELP, runExport } from './commands/export'
import { WATCH_HELP, runWatch } from './commands/watch'
import { CancelledError } from '../engine/util/job'

const HELP = `PBAS Inspect — unsupervised visual anomaly detection (PBAS, Chen et al., TCSVT 2025)

usage:
  ${DEMO_HELP}
  ${TRAIN_HELP.replace(/\n/g, '\n  ')}
  ${EVAL_HELP}
  ${INFER_HELP}
  ${WATCH_HELP}
  ${EXPORT_HELP}
  ${METRICS_HELP}
  ${SERVE_HELP}
  ${REPORT_HELP}
  ${INFO_HELP}
  ${DATASET_HELP}
${BACKBONE_HELP.split('\n').map((l) => '  ' + l).join('\n')}

Environment: PBAS_BACKEND (tfjs-node-gpu|tfjs-node|wasm|cpu), PBAS_DATA_DIR, PBAS_WEIGHTS_BASE_URL.`

const COMMANDS: Record<string, { run: (a: ReturnType<typeof parseArgs>) => Promise<number>; booleans: string[] }> = {
  info: { run: runInfo, booleans: ['json'] },
  dataset: { run: runDataset, booleans: ['json'] },
  backbone: { run: runBackbone, booleans: ['json'] },
  demo: { run: runDemo, booleans: ['json'] },
  train: { run: runTrain, booleans: ['json'] },
  eval: { run: runEval, booleans: ['json'] },
  infer: { run: runInfer, booleans: ['json'] },
  metrics: { run: runMetrics, booleans: ['json'] },
  serve: { run: runServe, booleans: [] },
  report: { run: runReport, booleans: ['no-pdf', 'json'] },
  export: { run: runExport, booleans: ['json'] },
  watch: { run: runWatch, booleans: ['sort', 'json'] },
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(HELP)
    return cmd ? 0 : 2
  }
  const c = COMMANDS[cmd]
  if (!c) {
    console.error(`pbas: unknown command '${cmd}'\n\n${HELP}`)
    return 2
  }
  try {
    return await c.run(parseArgs(rest, c.booleans))
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`pbas ${cmd}: ${err.message}`)
      return 2
    }
    if (err instanceof CancelledError) {
      console.error(`pbas ${cmd}: cancelled`)
      return 130
    }
    console.error(`pbas ${cmd}: ${(err as Error).message}`)
    if (process.env.PBAS_DEBUG) console.error((err as Error).stack)
    return 1
  }
}

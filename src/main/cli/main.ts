// The `pbas` command's dispatcher: a thin adapter from the command line to the engine.
import { parseArgs, UsageError, type ParsedArgs } from './args'
import { commandHelp, groupHelp, parseCommand, usageLine, type CommandGroup, type CommandSpec } from './command-spec'
import { closest } from './suggest'
import { INFO_COMMAND } from './commands/info'
import { DATASET_GROUP } from './commands/dataset'
import { BACKBONE_GROUP } from './commands/backbone'
import { DEMO_COMMAND } from './commands/demo'
import { TRAIN_COMMAND } from './commands/train'
import { EVAL_COMMAND } from './commands/eval'
import { CALIBRATE_COMMAND } from './commands/calibrate'
import { INFER_COMMAND } from './commands/infer'
import { METRICS_COMMAND } from './commands/metrics'
import { SERVE_COMMAND } from './commands/serve'
import { REPORT_COMMAND } from './commands/report'
import { EXPORT_COMMAND } from './commands/export'
import { WATCH_COMMAND } from './commands/watch'
import { WORKSPACE_GROUP } from './commands/workspace'
import { CancelledError } from '../engine/util/job'

/**
 * To add a command: write `defineCommand({ name, summary, options: { name: { type, default, description } },
 * examples, run })` in commands/NAME.ts (run reads its flags with flagString/flagInt/flagBool) and register it
 * below; its --help, defaults and typo suggestions come from the table.
 *
 * A command registered without an option table: parsed by the older parseArgs (names in `booleans` take no
 * value) and checked by its own allowOnly; `help` is printed for --help. Prefer a CommandSpec.
 */
export interface LegacyCommand {
  run: (args: ParsedArgs) => Promise<number>
  booleans: string[]
  help?: string
}

type Entry = CommandSpec | CommandGroup | LegacyCommand

/** Every command, in the order `pbas --help` lists them. A new command adds one line here. */
const COMMANDS: Record<string, Entry> = {
  demo: DEMO_COMMAND,
  train: TRAIN_COMMAND,
  eval: EVAL_COMMAND,
  calibrate: CALIBRATE_COMMAND,
  infer: INFER_COMMAND,
  watch: WATCH_COMMAND,
  export: EXPORT_COMMAND,
  metrics: METRICS_COMMAND,
  serve: SERVE_COMMAND,
  report: REPORT_COMMAND,
  info: INFO_COMMAND,
  dataset: DATASET_GROUP,
  backbone: BACKBONE_GROUP,
  workspace: WORKSPACE_GROUP,
}

const isGroup = (e: Entry): e is CommandGroup => 'subcommands' in e
const isSpec = (e: Entry): e is CommandSpec => 'options' in e

function overview(): string {
  const lines: string[] = []
  for (const [name, e] of Object.entries(COMMANDS)) {
    const specs = isGroup(e) ? e.subcommands : isSpec(e) ? [e] : []
    for (const s of specs) lines.push(`  ${usageLine(s).slice(7)}\n      ${s.summary}`)
    if (!isGroup(e) && !isSpec(e)) lines.push(`  ${e.help ?? `pbas ${name}`}`)
  }
  return [
    'PBAS Inspect — unsupervised visual anomaly detection (PBAS, Chen et al., TCSVT 2025)',
    '',
    'commands:',
    ...lines,
    '',
    '`pbas COMMAND --help` shows a command\'s options, defaults and an example.',
    'Environment: PBAS_BACKEND (tfjs-node-gpu|tfjs-node|wasm|cpu), PBAS_DATA_DIR, PBAS_WEIGHTS_BASE_URL, PBAS_CHROMIUM.',
  ].join('\n')
}

function unknown(kind: string, name: string, known: string[], help: string): number {
  const near = closest(name, known)
  console.error(`pbas: unknown ${kind} '${name}'${near ? `; did you mean '${near}'?` : ''}\n\n${help}`)
  return 2
}

/** Parses and runs one command (a spec or a legacy entry); returns the exit code. */
async function dispatch(entry: CommandSpec | LegacyCommand, argv: string[]): Promise<number> {
  if (isSpec(entry)) {
    const parsed = parseCommand(entry, argv)
    if (parsed !== 'help') return entry.run(parsed)
    console.log(commandHelp(entry))
    return 0
  }
  if (!(argv.includes('--help') || argv.includes('-h'))) return entry.run(parseArgs(argv, entry.booleans))
  // Without a help text of its own, the overview at least shows its usage line.
  console.log(entry.help ?? overview())
  return 0
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(overview())
    return cmd ? 0 : 2
  }
  const entry = COMMANDS[cmd]
  if (!entry) return unknown('command', cmd, Object.keys(COMMANDS), overview())
  let target: CommandSpec | LegacyCommand
  let args = rest
  if (isGroup(entry)) {
    const [sub, ...subArgs] = rest
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
      console.log(groupHelp(entry))
      return sub ? 0 : 2
    }
    const found = entry.subcommands.find((s) => s.name === `${entry.name} ${sub}`)
    if (!found) return unknown(`${entry.name} subcommand`, sub, entry.subcommands.map((s) => s.name.split(' ')[1]), groupHelp(entry))
    target = found
    args = subArgs
  } else target = entry
  const label = isSpec(target) ? target.name : cmd
  try {
    return await dispatch(target, args)
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`pbas ${label}: ${err.message}\n(\`pbas ${label} --help\` lists the options)`)
      return 2
    }
    if (err instanceof CancelledError) {
      console.error(`pbas ${label}: cancelled`)
      return 130
    }
    console.error(`pbas ${label}: ${(err as Error).message}`)
    if (process.env.PBAS_DEBUG) console.error((err as Error).stack)
    return 1
  }
}

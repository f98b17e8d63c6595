// A pbas command as a declarative option table plus its run function: parsed by Node's util.parseArgs, --help rendered from the table.
import { parseArgs as nodeParseArgs } from 'node:util'
import { UsageError, unknownOption, type ParsedArgs } from './args'

/** One option of a command. `integer` and `number` arrive as strings in ParsedArgs, checked here. */
export interface OptionSpec {
  type: 'string' | 'boolean' | 'integer' | 'number'
  description: string
  /** placeholder of the value in help, e.g. DIR (default: N for numbers, VALUE for strings) */
  value?: string
  /** put into ParsedArgs when the option is absent, and shown in help */
  default?: string | number
  /** shown in help when the default comes from elsewhere (a preset, the config file); nothing is filled in */
  defaultText?: string
  required?: boolean
  choices?: readonly string[]
  min?: number
  max?: number
}

/** A command: `pbas NAME [positionals] [options]`. */
export interface CommandSpec {
  /** the words after `pbas`, e.g. 'train' or 'dataset check' */
  name: string
  /** one line saying what it does */
  summary: string
  /** positional arguments as the usage line shows them, e.g. 'DIR' or 'PATH...' */
  positionals?: string
  /** how many positional arguments it takes: [min, max] (default [0, 0]) */
  positionalCount?: [number, number]
  options: Record<string, OptionSpec>
  /** at least one full command line a user can copy */
  examples: string[]
  /** lines after the options: what the output is, exit codes, environment */
  notes?: string[]
  run: (args: ParsedArgs) => Promise<number>
}

/** A command made of subcommands: `pbas backbone list|fetch|import`. */
export interface CommandGroup {
  name: string
  summary: string
  subcommands: CommandSpec[]
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const

/** Identity with type checking, so command files read as one declaration. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec
}

function placeholder(o: OptionSpec): string {
  return o.type === 'boolean' ? '' : ` ${o.value ?? (o.choices ? o.choices.join('|') : o.type === 'string' ? 'VALUE' : 'N')}`
}

function checkValue(name: string, o: OptionSpec, v: string): void {
  if (o.choices && !o.choices.includes(v)) throw new UsageError(`--${name} must be one of ${o.choices.join(', ')}, got '${v}'`)
  if (o.type === 'integer' || o.type === 'number') {
    const n = Number(v)
    const min = o.min ?? (o.type === 'integer' ? 0 : -Infinity)
    const max = o.max ?? Infinity
    if (v.trim() === '' || !Number.isFinite(n) || (o.type === 'integer' && !Number.isInteger(n)) || n < min || n > max)
      throw new UsageError(`--${name} must be ${o.type === 'integer' ? 'a whole number' : 'a number'}${Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` of at least ${min}` : ''}, got '${v}'`)
  }
}

/** Parses `argv` (the words after the command name) against the table; 'help' when -h/--help is given. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs | 'help' {
  const words = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  if (words.includes('--help') || words.includes('-h')) return 'help'
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]))
  // Non-strict so that unknown options come back as tokens we can answer with a suggestion.
  const { tokens } = nodeParseArgs({ args: [...argv], options: { ...options, ...HELP_OPTION }, strict: false, allowPositionals: true, tokens: true })
  const known = Object.keys(spec.options)
  const flags = new Map<string, string | true>()
  const positional: string[] = []
  for (const t of tokens) {
    if (t.kind === 'positional') positional.push(t.value)
    if (t.kind !== 'option') continue
    const o = spec.options[t.name]
    if (!o) throw new UsageError(t.rawName.startsWith('--') ? unknownOption(t.name, known) : `unknown option ${t.rawName}`)
    if (o.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`--${t.name} takes no value`)
      flags.set(t.name, true)
      continue
    }
    // util.parseArgs hands a string option the next word even when it is another option: that is a missing value.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) throw new UsageError(`--${t.name} needs a value${t.value ? ` (got ${t.value})` : ''}`)
    checkValue(t.name, o, t.value)
    flags.set(t.name, t.value)
  }
  for (const [k, o] of Object.entries(spec.options)) {
    if (!flags.has(k) && o.default !== undefined) flags.set(k, String(o.default))
    if (o.required && !flags.has(k)) throw new UsageError(`--${k} is required\n${usageLine(spec)}`)
  }
  const [min, max] = spec.positionalCount ?? [0, 0]
  if (positional.length < min) throw new UsageError(`expected ${spec.positionals ?? 'arguments'}\n${usageLine(spec)}`)
  if (positional.length > max) throw new UsageError(`unexpected argument '${positional[max]}'\n${usageLine(spec)}`)
  return { positional, flags }
}

/** `usage: pbas train --data DIR --out MODEL [options]` */
export function usageLine(spec: CommandSpec): string {
  const req = Object.entries(spec.options).filter(([, o]) => o.required).map(([k, o]) => `--${k}${placeholder(o)}`)
  const optional = Object.values(spec.options).some((o) => !o.required)
  return `usage: pbas ${[spec.name, spec.positionals, ...req, optional ? '[options]' : ''].filter(Boolean).join(' ')}`
}

const HELP_WIDTH = 110

/** Splits `text` into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...out, line]
}

/** The full help of one command: usage, every option with its default, examples, notes. */
export function commandHelp(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([k, o]) => {
    const dflt = o.required ? ' (required)' : o.defaultText ? ` (default: ${o.defaultText})` : o.default !== undefined ? ` (default: ${o.default})` : ''
    return [`--${k}${placeholder(o)}`, o.description + dflt]
  })
  rows.push(['-h, --help', 'print this help'])
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2)
  const lines = [`pbas ${spec.name}: ${spec.summary}`, '', usageLine(spec), '', 'options:']
  const indent = ''.padEnd(width + 2)
  for (const [l, d] of rows) {
    const text = wrap(d, HELP_WIDTH - indent.length).join(`\n${indent}`)
    lines.push(l.length + 2 > width ? `  ${l}\n${indent}${text}` : `  ${l.padEnd(width)}${text}`)
  }
  lines.push('', spec.examples.length > 1 ? 'examples:' : 'example:', ...spec.examples.map((e) => `  ${e}`))
  if (spec.notes?.length) lines.push('', ...spec.notes)
  return lines.join('\n')
}

/** The help of a group: its subcommands' usage lines. */
export function groupHelp(group: CommandGroup): string {
  return [`pbas ${group.name}: ${group.summary}`, '', 'usage:', ...group.subcommands.map((s) => `  ${usageLine(s).slice(7).padEnd(44)} ${s.summary}`), '', `\`pbas ${group.name} SUBCOMMAND --help\` shows a subcommand's options.`].join('\n')
}

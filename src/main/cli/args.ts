// The helpers every pbas command reads its arguments with (ParsedArgs, flag*, UsageError). Commands declare
// their options in a table (command-spec.ts, parsed by Node's util.parseArgs); parseArgs/allowOnly below
// remain for commands registered the older way, with a list of boolean flags only.
import { closest } from './suggest'

/** Parsed command line. */
export interface ParsedArgs {
  positional: string[]
  flags: Map<string, string | true>
}

/** Thrown for bad usage; the CLI prints the message and the command's help, exit code 2. */
export class UsageError extends Error {}

/** Older-style parsing for commands without an option table: names in `booleans` never take a value. */
export function parseArgs(argv: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
      if (eq > 0) flags.set(name, a.slice(eq + 1))
      else if (booleans.includes(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) flags.set(name, true)
      else flags.set(name, argv[++i])
    } else positional.push(a)
  }
  return { positional, flags }
}

/** String flag value, or `fallback`. */
export function flagString(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name)
  if (v === true) throw new UsageError(`--${name} needs a value`)
  return v ?? fallback
}

/** Integer flag value with bounds, or `fallback`. */
export function flagInt(args: ParsedArgs, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = flagString(args, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${v}'`)
  return n
}

/** True when a boolean flag is present. */
export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name)
}

/** The message for an option the command does not know, naming the closest known one. */
export function unknownOption(name: string, known: readonly string[]): string {
  const near = closest(name, known)
  return `unknown option --${name}${near ? `; did you mean --${near}?` : known.length ? ` (options: ${known.map((k) => `--${k}`).join(', ')})` : ' (this command takes no options)'}`
}

/** Rejects flags the command does not know, so typos do not pass silently. */
export function allowOnly(args: ParsedArgs, known: readonly string[]): void {
  for (const k of args.flags.keys()) if (!known.includes(k)) throw new UsageError(unknownOption(k, known))
}

import { describe, expect, it } from 'vitest'
import { allowOnly, flagBool, flagInt, flagString, parseArgs, UsageError } from './args'
import { commandHelp, defineCommand, parseCommand, usageLine } from './command-spec'
import { closest } from './suggest'

const spec = defineCommand({
  name: 'watch',
  summary: 'score new images as they land in a folder',
  positionals: 'DIR',
  positionalCount: [1, 1],
  options: {
    model: { type: 'string', value: 'MODEL', required: true, description: 'model folder' },
    interval: { type: 'integer', min: 1, max: 3600, default: 5, description: 'seconds between scans' },
    share: { type: 'number', min: 0, max: 1, description: 'a share', defaultText: 'from the model' },
    layout: { type: 'string', choices: ['mvtec', 'plain'], description: 'layout' },
    json: { type: 'boolean', description: 'JSON lines' },
  },
  examples: ['pbas watch ./incoming --model m'],
  run: async () => 0,
})

const parse = (...argv: string[]) => parseCommand(spec, argv)
const usage = (...argv: string[]) => {
  try {
    parse(...argv)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return (err as Error).message.split('\n')[0]
  }
  throw new Error('expected a UsageError')
}

describe('a command declared as an option table', () => {
  it('parses into the ParsedArgs the flag helpers read, with defaults filled in', () => {
    const a = parse('in', '--model', 'm', '--json', '--share=0.25')
    if (a === 'help') throw new Error('unexpected help')
    expect(a.positional).toEqual(['in'])
    expect([flagString(a, 'model'), flagInt(a, 'interval', 99), flagBool(a, 'json'), Number(flagString(a, 'share'))]).toEqual(['m', 5, true, 0.25])
    const b = parse('--interval', '60', 'in', '--model=m')
    expect(b !== 'help' && flagInt(b, 'interval', 99)).toBe(60)
  })

  it('answers -h/--help anywhere before --, even with other mistakes on the line', () => {
    expect(parse('--help')).toBe('help')
    expect(parse('--bogus', '-h')).toBe('help')
    // After --, '--help' is a positional argument (here one too many), not a request for help.
    expect(usage('in', '--model', 'm', '--', '--help')).toBe("unexpected argument '--help'")
  })

  it('names the closest option for a typo, and rejects missing, malformed and out-of-range values', () => {
    expect(usage('in', '--model', 'm', '--intervall', '3')).toBe('unknown option --intervall; did you mean --interval?')
    expect(usage('in', '--model', 'm', '--zzz')).toBe('unknown option --zzz (options: --model, --interval, --share, --layout, --json)')
    expect(usage('in', '--model', 'm', '-x')).toBe('unknown option -x')
    expect(usage('in')).toBe('--model is required')
    expect(usage('in', '--model')).toBe('--model needs a value')
    expect(usage('in', '--model', '--json')).toBe('--model needs a value (got --json)')
    expect(usage('in', '--model', 'm', '--json=yes')).toBe('--json takes no value')
    expect(usage('in', '--model', 'm', '--interval', '0')).toBe("--interval must be a whole number from 1 to 3600, got '0'")
    expect(usage('in', '--model', 'm', '--interval', '2.5')).toBe("--interval must be a whole number from 1 to 3600, got '2.5'")
    expect(usage('in', '--model', 'm', '--share', 'lots')).toBe("--share must be a number from 0 to 1, got 'lots'")
    expect(usage('in', '--model', 'm', '--layout', 'visa')).toBe("--layout must be one of mvtec, plain, got 'visa'")
    expect(usage('--model', 'm')).toBe('expected DIR')
    expect(usage('a', 'b', '--model', 'm')).toBe("unexpected argument 'b'")
  })

  it('renders help from the table: usage, every option with its default, an example', () => {
    expect(usageLine(spec)).toBe('usage: pbas watch DIR --model MODEL [options]')
    const help = commandHelp(spec)
    expect(help).toContain('--model MODEL')
    expect(help).toMatch(/--interval N +seconds between scans \(default: 5\)/)
    expect(help).toMatch(/--share N +a share \(default: from the model\)/)
    expect(help).toMatch(/--layout mvtec\|plain +layout\n/)
    expect(help).toMatch(/model folder \(required\)/)
    expect(help).toMatch(/example:\n {2}pbas watch \.\/incoming --model m/)
  })
})

describe('the older helpers, for commands registered without a table', () => {
  it('parseArgs + allowOnly still work, and allowOnly now suggests the closest option', () => {
    const a = parseArgs(['x', '--epochs', '3', '--json', '--out=o'], ['json'])
    expect([a.positional, flagInt(a, 'epochs', 1), flagBool(a, 'json'), flagString(a, 'out')]).toEqual([['x'], 3, true, 'o'])
    expect(() => allowOnly(a, ['epochs', 'json'])).toThrow('unknown option --out (options: --epochs, --json)')
    expect(() => allowOnly(parseArgs(['--epoch', '3']), ['epochs', 'json'])).toThrow('unknown option --epoch; did you mean --epochs?')
  })
})

describe('closest', () => {
  it('finds one-edit typos, swaps and unique prefixes, and nothing for unrelated words', () => {
    expect(closest('epoch', ['epochs', 'seed'])).toBe('epochs')
    expect(closest('epcohs', ['epochs', 'seed'])).toBe('epochs')
    expect(closest('validation', ['validation-share', 'seed'])).toBe('validation-share')
    expect(closest('colour', ['epochs', 'seed'])).toBeNull()
  })
})

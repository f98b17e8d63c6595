import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OPCUA_VARIABLES } from './opcua-server'
import { REPO_ROOT } from '../../../test-support/shared'

describe('the OPC UA node set', () => {
  it("is documented in README's table, every variable with its type", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
    const table = readme.slice(readme.indexOf('| variable | type | meaning |'))
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2)
    const documented = new Map(rows.flatMap((r) => {
      const [names, type] = r.split('|').slice(1, 3).map((c) => c.trim())
      return names.split(',').map((n) => [n.trim(), type] as const)
    }))
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(OPCUA_VARIABLES.map((v) => [v.name, v.type])))
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workspaceSetting } from './workspace-setting'

let dir = ''
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

describe("the desktop app's workspace setting", () => {
  it('takes the environment first, then workspace.json, else its own folder; a damaged file is named', () => {
    dir = mkdtempSync(join(tmpdir(), 'pbas-setting-'))
    expect(workspaceSetting(dir, {})).toEqual({ location: join(dir, 'workspace') })
    writeFileSync(join(dir, 'workspace.json'), JSON.stringify({ location: 'postgres://pbas@db/pbas', files: '/mnt/q' }))
    expect(workspaceSetting(dir, {})).toEqual({ location: 'postgres://pbas@db/pbas', files: '/mnt/q' })
    expect(workspaceSetting(dir, { PBAS_WORKSPACE: '/srv/ws' })).toEqual({ location: '/srv/ws', files: undefined })
    writeFileSync(join(dir, 'workspace.json'), '{"location": ')
    expect(() => workspaceSetting(dir, {})).toThrow(/workspace\.json is not valid JSON/)
    writeFileSync(join(dir, 'workspace.json'), '{"place": "x"}')
    expect(() => workspaceSetting(dir, {})).toThrow(/workspace\.json must be .*location/)
  })
})

// The station against hostile drop folders (findings 7 and 9): special files and empty files reported, slow writers not called unreadable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { PbasModel } from '../pipeline/predict'
import { runStation, type StationProgress } from './station'
import { builtinBackbone, trainBuiltinModel } from '../../../test-support/builtin-model'

let dir: string
let model: PbasModel
let modelDir: string
let part: Buffer

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-station-hostile-'))
  const tiny = await trainBuiltinModel(dir)
  modelDir = tiny.model
  model = await PbasModel.load(modelDir, builtinBackbone(dir))
  part = readFileSync(join(tiny.data, 'test/dent/000.png'))
}, 120_000)
afterAll(async () => {
  model.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** Runs a station on `watched` while `during` runs, then for `lingerMs` more; returns its events. */
async function watch(watched: string, during: () => Promise<void>, lingerMs: number, unreadableAfterMs = 800) {
  const ac = new AbortController()
  const events: StationProgress[] = []
  const run = runStation({ model, modelDir, dir: watched, settleMs: 150, pollMs: 20, unreadableAfterMs }, { signal: ac.signal, onProgress: (e) => void events.push(e) })
  await during()
  await new Promise((r) => setTimeout(r, lingerMs))
  ac.abort()
  await run
  return {
    scored: events.flatMap((e) => (e.kind === 'part' ? [e.part.file] : [])),
    unreadable: events.flatMap((e) => (e.kind === 'unreadable' ? [[e.record.file, e.record.reason]] : [])),
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('pbas watch on a hostile drop folder', () => {
  it('reports a FIFO, a dangling link, a link to /dev/zero and a zero-byte file once each, scores a linked image, and never blocks', async () => {
    const watched = join(dir, 'special')
    await mkdir(watched)
    await writeFile(join(dir, 'real.png'), part)
    const { scored, unreadable } = await watch(watched, async () => {
      execFileSync('mkfifo', [join(watched, 'fifo.png')])
      await symlink(join(dir, 'missing.png'), join(watched, 'dangling.png'))
      await symlink('/dev/zero', join(watched, 'zero.png'))
      await symlink(join(dir, 'real.png'), join(watched, 'linked.png'))
      await writeFile(join(watched, 'empty.png'), '')
    }, 2500)
    expect(scored).toEqual(['linked.png'])
    const byFile = Object.fromEntries(unreadable)
    expect(unreadable.map(([f]) => f).sort()).toEqual(['dangling.png', 'empty.png', 'fifo.png', 'zero.png'])
    expect(byFile['fifo.png']).toMatch(/fifo\.png is left out: it is a named pipe \(FIFO\)/)
    expect(byFile['dangling.png']).toMatch(/a link to nothing/)
    expect(byFile['zero.png']).toMatch(/a link to a device \(\/dev\/zero\)/)
    expect(byFile['empty.png']).toMatch(/empty\.png: the file is empty/)
  }, 30_000)

  it('waits for a slow writer: no "unreadable" entry for files written in pauses, each scored once complete', async () => {
    const watched = join(dir, 'slow')
    await mkdir(watched)
    const { scored, unreadable } = await watch(watched, async () => {
      // Two cameras that stop mid-file for longer than the settle time, then finish.
      for (const name of ['a.png', 'b.png']) await writeFile(join(watched, name), part.subarray(0, 200))
      await sleep(400)
      for (const name of ['a.png', 'b.png']) await writeFile(join(watched, name), part.subarray(0, part.length - 100))
      await sleep(400)
      for (const name of ['a.png', 'b.png']) await writeFile(join(watched, name), part)
    }, 1500)
    expect(unreadable).toEqual([])
    expect(scored.sort()).toEqual(['a.png', 'b.png'])
  }, 30_000)
})

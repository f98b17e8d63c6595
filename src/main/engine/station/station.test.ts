import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { existsSync, readFileSync } from 'node:fs'
import { appendFile, copyFile, link, mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { PbasModel } from '../pipeline/predict'
import { FolderWatcher, isPartialName } from './folder-watcher'
import { ResultsLog } from './results-log'
import { linkIntoSortFolder } from './sort-part'
import { runStation, type StationProgress } from './station'
import { tinyBackbone, trainTinyModel } from '../../../test-support/tiny-model'

let dir: string
let model: PbasModel
let modelDir: string
let images: string[]

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-station-'))
  const tiny = await trainTinyModel(dir)
  modelDir = tiny.model
  model = await PbasModel.load(modelDir, tinyBackbone(dir))
  images = (await readdir(join(tiny.data, 'test', 'dent'))).map((f) => join(tiny.data, 'test', 'dent', f))
  images.push(...(await readdir(join(tiny.data, 'train', 'good'))).slice(0, 6).map((f) => join(tiny.data, 'train', 'good', f)))
}, 120_000)
afterAll(async () => {
  model.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** Runs a station until `until` says stop (checked on every event), then aborts it; returns its events. */
async function session(watched: string, until: (events: StationProgress[]) => boolean, extra: { sort?: boolean; log?: string; during?: () => Promise<void>; lingerMs?: number } = {}) {
  const ac = new AbortController()
  const events: StationProgress[] = []
  let done = false
  const run = runStation({ model, modelDir, dir: watched, sort: extra.sort, log: extra.log, settleMs: 200, pollMs: 20, unreadableAfterMs: 300 }, {
    signal: ac.signal,
    onProgress: (e) => {
      events.push(e)
      if (!done && until(events)) {
        done = true
        // Watch a little longer, so anything scored twice would show up.
        setTimeout(() => ac.abort(), extra.lingerMs ?? 0)
      }
    },
  })
  await extra.during?.()
  const timer = setTimeout(() => ac.abort(), 30_000)
  const summary = await run
  clearTimeout(timer)
  return { events, summary }
}

const scoredFiles = (events: StationProgress[]) => events.flatMap((e) => (e.kind === 'part' ? [e.part.file] : []))

describe('inspection station (in process)', () => {
  it('restarted, it skips what its log holds and scores only new files and new versions; no tensors leak', async () => {
    const watched = join(dir, 'restart')
    await mkdir(join(watched, 'sub'), { recursive: true })
    for (const [i, p] of images.slice(0, 5).entries()) await copyFile(p, join(watched, i === 4 ? 'sub/4.png' : `${i}.png`))
    const before = tf.memory().numTensors
    const first = await session(watched, (ev) => scoredFiles(ev).length === 5)
    expect(scoredFiles(first.events).sort()).toEqual(['0.png', '1.png', '2.png', '3.png', 'sub/4.png'])
    expect(tf.memory().numTensors).toBe(before)
    expect(first.events[0]).toMatchObject({ kind: 'station', sort: false, alreadyHandled: 0 })
    expect(first.events.at(-1)).toMatchObject({ kind: 'counters', counters: { session: 5 } })
    // While it was down: two new files, and 1.png rewritten (a new part under an old name).
    await copyFile(images[5], join(watched, '5.png'))
    await copyFile(images[6], join(watched, 'sub/6.png'))
    await copyFile(images[7], join(watched, '1.png'))
    await utimes(join(watched, '1.png'), new Date(), new Date(Date.now() + 5000))
    const second = await session(watched, (ev) => scoredFiles(ev).length === 3, { lingerMs: 800 })
    expect(second.events[0]).toMatchObject({ kind: 'station', alreadyHandled: 5 })
    expect(scoredFiles(second.events).sort()).toEqual(['1.png', '5.png', 'sub/6.png'])
    expect(second.summary.counters).toMatchObject({ session: 3, pass: expect.any(Number) })
    const c = second.summary.counters
    expect(c.pass + c.review + c.fail).toBe(8)
    expect(c.latencyP95Ms).toBeGreaterThanOrEqual(c.latencyP50Ms!)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('never scores temp or partial names; scores the file once it is renamed to its real name', async () => {
    const watched = join(dir, 'partial')
    await mkdir(watched, { recursive: true })
    for (const n of ['.hidden.png', 'a.png.part', '~a.png', 'a.png~', 'a.png.tmp', 'a.crdownload']) expect(isPartialName(n)).toBe(true)
    expect(isPartialName('0001.png')).toBe(false)
    await copyFile(images[0], join(watched, 'x.png.part'))
    await copyFile(images[1], join(watched, '.y.png'))
    const { events } = await session(watched, (ev) => scoredFiles(ev).length === 1, {
      during: async () => {
        await new Promise((r) => setTimeout(r, 600))
        await rename(join(watched, 'x.png.part'), join(watched, 'x.png'))
      },
    })
    expect(scoredFiles(events)).toEqual(['x.png'])
  })

  it('logs an unreadable file with its reason and goes on; sorts never overwrite', async () => {
    const watched = join(dir, 'sorting')
    await mkdir(join(watched, 'pass'), { recursive: true })
    await mkdir(join(watched, 'fail'), { recursive: true })
    await mkdir(join(watched, 'review'), { recursive: true })
    // Someone else's files already sit in every sort folder under the names about to arrive.
    for (const f of ['pass', 'review', 'fail']) await writeFile(join(watched, f, 'p.png'), 'not ours')
    await writeFile(join(watched, 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))
    await copyFile(images[0], join(watched, 'p.png'))
    const { events } = await session(watched, (ev) => scoredFiles(ev).length === 1 && ev.some((e) => e.kind === 'unreadable'), { sort: true })
    const part = events.find((e) => e.kind === 'part')!
    const bad = events.find((e) => e.kind === 'unreadable')!
    expect(bad.kind === 'unreadable' && bad.record.reason).toContain('broken.png')
    expect(part.kind === 'part' && part.part.sortedTo).toMatch(/^(pass|review|fail)\/p-1\.png$/)
    for (const f of ['pass', 'review', 'fail']) expect(readFileSync(join(watched, f, 'p.png'), 'utf8')).toBe('not ours')
    expect(existsSync(join(watched, 'p.png'))).toBe(false)
  })

  it('a move interrupted between link and unlink is finished on restart, not duplicated', async () => {
    const root = join(dir, 'moves')
    await mkdir(root, { recursive: true })
    await copyFile(images[0], join(root, 'm.png'))
    const first = await linkIntoSortFolder(root, join(root, 'm.png'), 'fail', 'm.png')
    // Killed here: the source and its link both exist. The same call again reuses the link.
    expect(await linkIntoSortFolder(root, join(root, 'm.png'), 'fail', 'm.png')).toBe(first)
    expect(await readdir(join(root, 'fail'))).toEqual(['m.png'])
    // A different file of the same name gets a fresh name.
    await copyFile(images[1], join(root, 'other.png'))
    await link(join(root, 'other.png'), join(root, 'm2.png'))
    expect(await linkIntoSortFolder(root, join(root, 'other.png'), 'fail', 'm.png')).toBe('fail/m-1.png')
  })

  it('repairs a log line torn by a kill and rebuilds the CSV from the log; refuses another folder\'s log', async () => {
    const watched = join(dir, 'torn')
    await mkdir(watched, { recursive: true })
    await copyFile(images[0], join(watched, 'a.png'))
    const log = join(dir, 'torn.jsonl')
    await session(watched, (ev) => scoredFiles(ev).length === 1, { log })
    await appendFile(log, '{"type":"part","file":"b.png","si')
    await writeFile(join(dir, 'torn.csv'), 'garbage\n')
    const reopened = await ResultsLog.open(log, watched)
    expect(reopened.handled.size).toBe(1)
    expect(readFileSync(log, 'utf8').endsWith('}\n')).toBe(true)
    expect(readFileSync(join(dir, 'torn.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')[1])).toEqual(['file', 'a.png'])
    await expect(ResultsLog.open(log, join(dir, 'elsewhere'))).rejects.toThrow(/results log of .*torn, not of .*elsewhere; give this folder its own log/)
    await expect(runStation({ model, modelDir, dir: join(dir, 'no-such') })).rejects.toThrow(/is not a folder/)
  })
})

describe('folder watcher', () => {
  it('reports a file once its size and time are unchanged for the settle time, and again when it changes', async () => {
    const watched = join(dir, 'watcher')
    await mkdir(watched, { recursive: true })
    let now = Date.now()
    const w = new FolderWatcher(watched, { settleMs: 500 }, () => now)
    await writeFile(join(watched, 'a.png'), 'half')
    const mtime = (await stat(join(watched, 'a.png'))).mtimeMs
    now = mtime + 10
    expect(await w.poll()).toEqual([])
    now += 300
    expect(await w.poll()).toEqual([])
    now += 300
    expect((await w.poll()).map((f) => f.rel)).toEqual(['a.png'])
    expect(await w.poll()).toEqual([])
    // Rewritten under the same name: a reported file is looked at again within 2 s, and is a new version.
    await appendFile(join(watched, 'a.png'), ' and the rest')
    now = Math.max(now, (await stat(join(watched, 'a.png'))).mtimeMs) + 100
    expect(await w.poll()).toEqual([])
    now += 2000
    expect((await w.poll()).map((f) => [f.rel, f.size])).toEqual([['a.png', 17]])
    // The sort folders are never watched.
    await mkdir(join(watched, 'pass'), { recursive: true })
    await writeFile(join(watched, 'pass', 'b.png'), 'x')
    now += 10_000
    expect(await w.poll()).toEqual([])
  })
})

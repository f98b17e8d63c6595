import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, mkdtemp, open, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import type { LogRecord, PartRecord } from '../../engine/station/results-log'
import { trainTinyModel } from '../../../test-support/tiny-model'
import { REPO_ROOT } from '../../../test-support/shared'

let dir: string
let model: string
let sources: Buffer[]
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-watch-'))
  const tiny = await trainTinyModel(dir)
  model = tiny.model
  const files: string[] = []
  const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.png') && !d.includes('ground_truth') && files.push(join(d, e.name))))
  walk(tiny.data)
  sources = files.sort().map((f) => readFileSync(f))
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The station as a real child process: the built CLI's sources through tsx, so it is always current. */
function startStation(watched: string, log: string): { child: ChildProcess; stderr: () => string } {
  let err = ''
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO_ROOT, 'src/main/cli/pbas.ts'), 'watch', '--model', model, watched, '--sort', '--log', log, '--settle', '600', '--json'], {
    cwd: REPO_ROOT, env: { ...process.env, PBAS_BACKEND: 'wasm' }, stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr!.on('data', (d) => (err += String(d)))
  return { child, stderr: () => err }
}

function readLog(log: string): LogRecord[] {
  if (!existsSync(log)) return []
  return readFileSync(log, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l) as LogRecord]
    } catch {
      return [] // a line being written right now
    }
  })
}

const parts = (log: string) => readLog(log).filter((r): r is PartRecord => r.type === 'part')

async function waitFor(what: string, ok: () => boolean, ms: number, stderr: () => string): Promise<void> {
  const until = Date.now() + ms
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; station stderr:\n${stderr()}`)
    await sleep(100)
  }
}

/** Writes one image the way some camera software would: slowly, via a temp name, from outside, or at once. */
async function writeImage(watched: string, staging: string, rel: string, data: Buffer, how: number): Promise<void> {
  const target = join(watched, rel)
  await mkdir(join(target, '..'), { recursive: true })
  switch (how % 4) {
    case 0: {
      // A copy that takes time: half, a pause shorter than the settle time, the rest.
      const fh = await open(target, 'w')
      await fh.write(data.subarray(0, data.length >> 1))
      await sleep(150 + (how % 3) * 50)
      await fh.write(data.subarray(data.length >> 1))
      await fh.close()
      return
    }
    case 1:
      // Written under a temp name in the folder, then renamed.
      await writeFile(`${target}.part`, data)
      await sleep(100)
      return rename(`${target}.part`, target)
    case 2: {
      // Written elsewhere long ago, then moved in (keeps its old time: complete at first sight).
      const s = join(staging, rel.replace(/\//g, '_'))
      await writeFile(s, data)
      await utimes(s, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
      return rename(s, target)
    }
    default:
      return writeFile(target, data)
  }
}

describe('pbas watch: 200 images in bursts, a kill and a restart', () => {
  it('scores every good file exactly once, logs the corrupt one, and sorts them all', async () => {
    const watched = join(dir, 'line')
    const staging = join(dir, 'staging')
    const log = join(dir, 'results', 'line.jsonl')
    await mkdir(watched, { recursive: true })
    await mkdir(staging, { recursive: true })
    // 198 numbered images, a name used twice (the first is sorted away before the second comes), one corrupt file.
    const names = Array.from({ length: 198 }, (_, i) => (i % 5 === 0 ? `line2/img-${i}.png` : i % 7 === 0 ? `a/b/img-${i}.png` : `img-${i}.png`))
    const bursts: { rel: string; data: Buffer; how: number }[][] = []
    for (let b = 0; b < 10; b++) bursts.push(names.slice(b * 20, b * 20 + 20).map((rel, k) => ({ rel, data: sources[(b * 20 + k) % sources.length], how: b * 20 + k })))
    bursts[0].push({ rel: 'dup.png', data: sources[0], how: 3 })
    bursts[8].push({ rel: 'dup.png', data: sources[1], how: 3 })
    bursts[3].push({ rel: 'bad.png', data: Buffer.from('this is not a PNG, the camera crashed while writing it'), how: 3 })
    const writeBurst = (b: number) => Promise.all(bursts[b].map((f) => writeImage(watched, staging, f.rel, f.data, f.how)))

    let station = startStation(watched, log)
    for (let b = 0; b < 5; b++) {
      await writeBurst(b)
      if (b === 0) await waitFor('the first dup.png to be sorted', () => parts(log).some((p) => p.file === 'dup.png'), 60_000, station.stderr)
      await sleep(300)
    }
    // Kill it in the middle of its work, without a chance to clean up.
    await waitFor('30 scored parts', () => parts(log).length >= 30, 60_000, station.stderr)
    const beforeKill = parts(log).length
    station.child.kill('SIGKILL')
    await new Promise((r) => station.child.once('exit', r))
    expect(beforeKill).toBeLessThan(200)
    console.log(`killed after ${beforeKill} parts`)
    // Two bursts arrive while it is down.
    await writeBurst(5)
    await writeBurst(6)
    station = startStation(watched, log)
    for (let b = 7; b < 10; b++) {
      await writeBurst(b)
      await sleep(300)
    }
    await waitFor('all 200 good files', () => parts(log).length >= 200, 90_000, station.stderr)
    // The corrupt file is logged once nothing has written to it for 5 s: on a fast run the good files are all
    // scored before that, so wait for it rather than race it.
    await waitFor('the corrupt file logged', () => readLog(log).some((r) => r.type === 'unreadable'), 30_000, station.stderr)
    await sleep(1500) // anything scored twice would show up now
    station.child.kill('SIGTERM')
    const code = await new Promise((r) => station.child.once('exit', r))
    expect(code, station.stderr()).toBe(0)

    const records = readLog(log)
    const scored = records.filter((r): r is PartRecord => r.type === 'part')
    // Every good file exactly once (dup.png twice: two different files under one name).
    const byName = new Map<string, number>()
    for (const p of scored) byName.set(p.file, (byName.get(p.file) ?? 0) + 1)
    expect(scored).toHaveLength(200)
    expect([...byName.keys()].sort()).toEqual([...names, 'dup.png'].sort())
    expect([...byName.entries()].filter(([, n]) => n !== 1)).toEqual([['dup.png', 2]])
    // The corrupt file: logged once with the reason, left where it was, and the station went on.
    const bad = records.filter((r) => r.type === 'unreadable')
    expect(bad).toHaveLength(1)
    expect(bad[0]).toMatchObject({ type: 'unreadable', file: 'bad.png' })
    expect((bad[0] as { reason: string }).reason).toContain('Cannot read image')
    expect(existsSync(join(watched, 'bad.png'))).toBe(true)
    expect(records.filter((r) => r.type === 'session')).toHaveLength(2)

    // --sort: each part in the folder of its verdict, under its own name; nothing overwritten, nothing left behind.
    const sorted: string[] = []
    const walk = async (d: string) => {
      for (const e of await readdir(d, { withFileTypes: true })) e.isDirectory() ? await walk(join(d, e.name)) : sorted.push(relative(watched, join(d, e.name)))
    }
    for (const f of ['pass', 'review', 'fail']) if (existsSync(join(watched, f))) await walk(join(watched, f))
    expect(sorted.sort()).toEqual(scored.map((p) => p.sortedTo!).sort())
    for (const p of scored) {
      expect(p.sortedTo!.startsWith(`${p.verdict}/`)).toBe(true)
      expect(statSync(join(watched, p.sortedTo!)).size).toBe(p.size)
    }
    const dups = scored.filter((p) => p.file === 'dup.png').map((p) => p.sortedTo!)
    expect(new Set(dups).size).toBe(2)
    expect(readFileSync(join(watched, dups[0]))).toEqual(sources[0])
    expect(readFileSync(join(watched, dups[1]))).toEqual(sources[1])
    const left: string[] = []
    const rest = async (d: string) => {
      for (const e of await readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) !['pass', 'review', 'fail'].includes(e.name) && (await rest(join(d, e.name)))
        else left.push(relative(watched, join(d, e.name)))
    }
    await rest(watched)
    expect(left).toEqual(['bad.png'])
    // The CSV agrees with the log: one row per part and one for the unreadable file.
    const csv = readFileSync(join(dir, 'results', 'line.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('time,file,verdict,score,latency_ms,sorted_to,heatmap,error')
    expect(csv).toHaveLength(1 + 200 + 1)
  }, 240_000)
})

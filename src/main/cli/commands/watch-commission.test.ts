import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { readModelMeta } from '../../engine/model/model-file'
import { tinyBackbone, trainTinyModel } from '../../../test-support/tiny-model'
import { shiftCalibrationBelow } from '../../../test-support/shifted-calibration'
import { REPO_ROOT } from '../../../test-support/shared'

let dir: string
let trained: string
let goods: string[]

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-watch-commission-'))
  const tiny = await trainTinyModel(dir)
  trained = tiny.model
  goods = ['000', '001'].map((n) => join(tiny.data, 'test', 'good', `${n}.png`))
  await shiftCalibrationBelow(trained, goods, tinyBackbone(dir), dir)
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('pbas watch --commission', () => {
  // It failed twice in full CI-like suites (timed out, the cause hidden by a hang in the clean-up) and never alone or
  // under CPU load: one retry, on a fresh copy of the model and line folder, and every failed attempt printed whole.
  it('takes reviewers\' answers on stdin, proposes at K, and "recalibrate" records a revision the station goes on with', { retry: 1, timeout: 240_000 }, async () => {
    const attempt = await mkdtemp(join(dir, 'attempt-'))
    const line = join(attempt, 'line')
    const model = join(attempt, 'model')
    await mkdir(line)
    await cp(trained, model, { recursive: true })
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO_ROOT, 'src/main/cli/pbas.ts'), 'watch', '--model', model, line, '--commission', '2', '--settle', '50', '--poll', '20', '--json'], {
      cwd: REPO_ROOT, env: { ...process.env, PBAS_BACKEND: 'wasm', PBAS_REVIEWER: 'qe-cli', PBAS_DATA_DIR: join(attempt, 'data') }, stdio: ['pipe', 'pipe', 'pipe'],
    })
    const events: { kind: string; [k: string]: unknown }[] = []
    let buf = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += String(d)))
    // Each step names itself when it does not come, with what the station said so far (a loaded CI machine is slow, not silent).
    const waitFor = (pred: (e: (typeof events)[number]) => boolean, step: string) =>
      new Promise<(typeof events)[number]>((res, rej) => {
        const deadline = Date.now() + 100_000
        const t = setInterval(() => {
          const e = events.find(pred)
          if (e) (clearInterval(t), res(e))
          else if (child.exitCode !== null) (clearInterval(t), rej(new Error(`pbas watch ended: ${err}`)))
          else if (Date.now() > deadline) (clearInterval(t), rej(new Error(`no ${step} within 100 s; events: ${events.map((x) => JSON.stringify(x).slice(0, 160)).join('\n')}; stderr: ${err}`)))
        }, 20)
      })
    child.stdout!.on('data', (d) => {
      buf += String(d)
      const lines = buf.split('\n')
      buf = lines.pop()!
      for (const l of lines) if (l.trim()) events.push(JSON.parse(l))
    })
    try {
      for (const [i, g] of goods.entries()) {
        await copyFile(g, join(line, `part-${i}.png`))
        const e = await waitFor((x) => x.kind === 'part' && (x.part as { file: string }).file === `part-${i}.png`, `verdict on part-${i}.png`)
        expect((e.part as { verdict: string }).verdict).toBe('review')
        child.stdin!.write(`good part-${i}.png\n`)
      }
      await waitFor((x) => x.kind === 'commissioning' && !!(x.state as { proposal: unknown }).proposal, 'proposal')
      child.stdin!.write('recalibrate\n')
      const r = await waitFor((x) => x.kind === 'recalibrated', 'recalibration')
      expect(r.revision).toMatchObject({ id: 2, by: 'qe-cli' })
      // The station restarted with the new thresholds and says where commissioning stands.
      await waitFor((x) => x.kind === 'commissioning' && (x.state as { revision: number }).revision === 2, 'restart on revision 2')
      expect((await readModelMeta(model)).calibrations?.active).toBe(2)
    } catch (failure) {
      console.error(`pbas watch --commission attempt failed: ${String(failure)}\nstderr: ${err}`)
      throw failure
    } finally {
      // A child that already ended (the failure being reported) emits no further exit: waiting for one would hang.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        // A station that does not stop on SIGTERM within 10 s is killed, so the failure above is what the test reports.
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(t)
      }
    }
  })
})

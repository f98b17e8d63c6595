// A hostile but realistic client of `pbas serve`: special files, oversized bodies, prototype keys, bad names and values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'
import { WebSocket } from 'ws'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBridge, type Bridge } from './bridge-server'
import { createAppContext, type AppContext } from '../compose/app-context'
import { REPO_ROOT } from '../../test-support/shared'
import { snapshotTree } from '../../test-support/snapshot'

let dir: string
let bridge: Bridge
let ctx: AppContext
let fifo: string
const base = () => `http://127.0.0.1:${bridge.port}`
const post = (channel: string, body: string) => fetch(`${base()}/api/invoke/${channel}`, { method: 'POST', headers: { 'x-pbas-token': bridge.token, 'content-type': 'application/json' }, body })
const invoke = async (channel: string, arg: unknown) => (await post(channel, JSON.stringify({ arg }))).json()

/** Every file of the workspace with its size (SQLite's -wal and -shm files aside): what "unchanged" means. */
const snapshot = (root: string) => snapshotTree(root, { skip: (n) => n.endsWith('-wal') || n.endsWith('-shm') })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-hostile-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>')
  fifo = join(dir, 'pipe.pth')
  execFileSync('mkfifo', [fifo])
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
  bridge = await startBridge({ rendererDir: dir, dispatch: ctx.dispatch })
})
afterAll(async () => {
  await bridge.close()
  await ctx.close()
  await rm(dir, { recursive: true, force: true })
})

describe('pbas serve against a hostile client', () => {
  it('stays responsive (another request answers within 1 s) while requests name a FIFO or /dev/zero', async () => {
    const product = await invoke('products:create', { name: 'Pipes' })
    const before = snapshot(join(dir, 'ws'))
    const hostile = [
      invoke('backbones:import', { path: fifo }), invoke('backbones:import', { path: '/dev/zero' }),
      invoke('training:add-good', { productId: product.value.id, paths: [fifo, '/dev/zero'] }),
      invoke('datasets:thumbnails', { dir: fifo }), invoke('datasets:thumbnails', { dir: '/dev/zero' }),
    ]
    const t0 = Date.now()
    expect(await invoke('products:list', undefined)).toMatchObject({ ok: true })
    expect(Date.now() - t0).toBeLessThan(1000)
    const answers = await Promise.all(hostile)
    expect(answers.map((a) => a.ok)).toEqual([false, false, true, false, false])
    expect(answers[0].error.message).toMatch(/Cannot use .*pipe\.pth as a weights file: file not found, not readable, or not a regular file/)
    expect(answers[1].error.message).toMatch(/Cannot use \/dev\/zero as a weights file/)
    expect(answers[2].value).toMatchObject({ added: 0, refused: [{ path: fifo }, { path: '/dev/zero' }] })
    expect(snapshot(join(dir, 'ws'))).toEqual(before)
  })

  it('answers 413 for an oversized body and never puts paths or file contents in error bodies', async () => {
    const big = await post('products:create', JSON.stringify({ arg: { name: 'x'.repeat(5 * 2 ** 20) } }))
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ ok: false, error: { message: 'request too large (the limit is 1 MiB)' } })
    const missing = await fetch(`${base()}/assets/nope.js`)
    expect([missing.status, await missing.text()]).toEqual([404, '{"error":"not found"}'])
    // A readable file that is not weights: the error names it but echoes none of its bytes.
    await writeFile(join(dir, 'secret.pth'), 'xSECRET-CONTENT'.repeat(10))
    const leak = await invoke('backbones:import', { path: join(dir, 'secret.pth') })
    expect(leak.error.message).toContain('secret.pth')
    expect(leak.error.message).not.toMatch(/SECRET|0x78|opcode/)
  })

  it('lets no prototype key, bad value or disguised name through, and changes nothing when refusing', async () => {
    const before = snapshot(join(dir, 'ws'))
    const p = (await invoke('products:list', undefined)).value[0]
    const refusals = await Promise.all([
      invoke('runs:start', { productId: p.id, datasetId: 'd', preset: '__proto__' }),
      invoke('runs:start', { productId: p.id, datasetId: 'd', preset: 'constructor' }),
      invoke('runs:start', { productId: p.id, datasetId: 'd', preset: 'quick', overrides: { constructor: 1 } }),
      invoke('runs:start', { productId: p.id, datasetId: 'd', preset: 'quick', overrides: { toString: 'x' } }),
      invoke('backbones:fetch', { arch: 'toString' }),
      invoke('backbones:fetch', { arch: '__proto__' }),
      invoke('products:create', { name: 'Evil\u0000name' }),
      invoke('products:create', { name: 'gnp.exe\u202eevil' }),
      invoke('evaluations:set-threshold', { evaluationId: 'e', threshold: { mode: 'fpr', value: 1, review: 0.5, fprTarget: -5 } }),
      invoke('verdicts:set', { runId: 'r', imagePath: '/etc/shadow', verdict: 'good' }),
      invoke('constructor', {}),
    ])
    expect(refusals.map((r) => r.ok)).toEqual(refusals.map(() => false))
    expect(refusals.slice(0, 10).map((r) => r.error.code)).toEqual(refusals.slice(0, 10).map(() => 'invalid-argument'))
    expect(refusals[0].error.message).toContain('preset must be one of paper, quick')
    expect(refusals[2].error.message).toContain("unknown config key 'constructor'")
    expect(refusals[4].error.message).toContain('arch must be one of resnet18, resnet50, wide_resnet50_2')
    expect(refusals[6].error.message).toContain('control characters or text-direction overrides')
    expect(refusals[8].error.message).toContain('fprTarget must be a finite number from 0 to 1')
    expect(refusals[10].error.code).toBe('not-found')
    expect(snapshot(join(dir, 'ws'))).toEqual(before)
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<title>t</title>')
  })

  it('answers malformed targets and upgrades with a 4xx and keeps serving (regression: `//` and `http://[zz` killed the process)', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const sock = connect(bridge.port, '127.0.0.1')
        let got = ''
        sock.on('data', (d) => (got += d.toString('latin1')))
        sock.on('close', () => resolve(got))
        sock.on('error', () => resolve(got))
        sock.end(text)
      })
    const host = `Host: 127.0.0.1:${bridge.port}\r\n`
    expect(await raw(`GET // HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/)
    expect(await raw(`GET //x/y HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/)
    expect(await raw(`GET http://[zz HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/)
    expect(await raw(`GET /api/invoke/%E0%A4%A HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/)
    expect(await invoke('products:list', undefined)).toMatchObject({ ok: true })
  })

  it('refuses other origins on HTTP and WebSocket (regression: neither path checked Origin)', async () => {
    const viaHttp = await fetch(`${base()}/api/invoke/products:list`, { method: 'POST', headers: { 'x-pbas-token': bridge.token, origin: 'http://evil.example' }, body: '{}' })
    expect(viaHttp.status).toBe(403)
    const noCors = await fetch(`${base()}/`, { headers: { 'sec-fetch-site': 'cross-site' } })
    expect(noCors.status).toBe(403)
    const own = await fetch(`${base()}/api/invoke/products:list`, { method: 'POST', headers: { 'x-pbas-token': bridge.token, origin: base() }, body: '{}' })
    expect(own.status).toBe(200)
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}`, { origin: 'http://evil.example' })
    await expect(new Promise((_, reject) => ws.on('error', reject))).rejects.toThrow(/403/)
  })
})

describe('sizes over HTTP (finding 3)', () => {
  it('a 2 GiB weights file named in backbones:import is refused with the limit and the server keeps serving', async () => {
    const big = join(dir, 'huge.pth')
    await writeFile(big, '')
    await truncate(big, 2 * 2 ** 30)
    const r = await invoke('backbones:import', { path: big })
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/weights files are limited to 1024 MiB/) } })
    expect(await invoke('products:list', undefined)).toMatchObject({ ok: true })
  })
})

describe('stopping pbas serve', () => {
  it('closes connected WebSocket clients, so Ctrl-C ends the server at once (regression: it waited for them forever)', async () => {
    const b = await startBridge({ rendererDir: dir, dispatch: ctx.dispatch, subscribe: () => () => {} })
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/api/events?token=${b.token}`)
    await new Promise((r) => ws.on('open', r))
    const clientClosed = new Promise((r) => ws.on('close', r))
    const t0 = Date.now()
    await b.close()
    await clientClosed
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(b.server.listening).toBe(false)
  })
})

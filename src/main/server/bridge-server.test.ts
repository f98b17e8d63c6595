import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBridge, type Bridge } from './bridge-server'
import { createAppContext, type AppContext } from '../compose/app-context'
import { REPO_ROOT } from '../../test-support/shared'

let dir: string
let bridge: Bridge
let ctx: AppContext
const base = () => `http://127.0.0.1:${bridge.port}`
const invoke = (channel: string, arg: unknown, token = bridge.token) =>
  fetch(`${base()}/api/invoke/${channel}`, { method: 'POST', headers: { 'x-pbas-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ arg }) })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-bridge-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>')
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts') })
  bridge = await startBridge({ rendererDir: dir, dispatch: ctx.dispatch, subscribe: (send) => ctx.runner.on((e) => send('jobs:event', e)) })
})
afterAll(async () => {
  await bridge.close()
  await ctx.close()
  await rm(dir, { recursive: true })
})

describe('browser-mode bridge', () => {
  it('serves the renderer with a strict CSP and answers invoke calls that carry the token', async () => {
    const page = await fetch(`${base()}/`)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await page.text()).toContain('<title>t</title>')
    const r = await (await invoke('app:info', undefined)).json()
    expect(r).toMatchObject({ ok: true, value: { engineVersion: expect.any(String) } })
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/)
  })

  it('refuses a missing or wrong token, a foreign Host header and paths outside the app', async () => {
    expect((await invoke('app:info', undefined, 'nope')).status).toBe(401)
    // fetch cannot set Host, so use a raw request as a DNS-rebinding page's browser would send it.
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve) =>
      request({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0)).end(),
    )
    expect(status).toBe(403)
    expect((await fetch(`${base()}/..%2f..%2fetc/passwd`)).status).not.toBe(200)
  })

  it('pushes events over a WebSocket to a client holding the token, and refuses others', async () => {
    const { WebSocket } = await import('ws')
    const refused = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=nope`)
    await expect(new Promise((_, reject) => refused.on('error', reject))).rejects.toThrow(/401/)
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}`)
    await new Promise((r) => ws.on('open', r))
    const got = new Promise<{ channel: string; payload: { type: string } }>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))))
    ctx.runner.submit({ kind: 'dataset-check', dir: '/no/such/folder' })
    expect(await got).toMatchObject({ channel: 'jobs:event', payload: { type: 'state' } })
    ws.close()
  })

  it('turns malformed arguments into typed errors', async () => {
    expect(await (await invoke('datasets:check-start', { dir: 3 })).json()).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await (await invoke('no:such', {})).json()).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })
})

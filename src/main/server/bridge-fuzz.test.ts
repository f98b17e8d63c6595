// A seeded, bounded fuzz of `pbas serve`'s HTTP and WebSocket surfaces on 127.0.0.1: it must answer every batch and stay up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { startBridge, type Bridge } from './bridge-server'
import { mulberry32 } from '../engine/util/random'

const SEED = 20261204
const BATCHES = 12
const PER_BATCH = 250
const CONCURRENCY = 25

let dir: string
let bridge: Bridge
let thrown = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-fuzz-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>fuzz</title>')
  // A stand-in for the IPC handlers (they have hostile tests of their own): the bridge is what is fuzzed here.
  bridge = await startBridge({
    rendererDir: dir,
    token: 'f'.repeat(64),
    dispatch: async (channel) => {
      if (channel === 'products:delete') {
        thrown++
        throw new Error('a handler that throws')
      }
      return { ok: true, value: null } as never
    },
    subscribe: (send) => {
      const t = setInterval(() => send('jobs:event', { type: 'state' } as never), 5)
      return () => clearInterval(t)
    },
  })
})
afterAll(async () => {
  await bridge?.close()
  await rm(dir, { recursive: true, force: true })
})

/** One seeded generator of hostile requests: every part of a request line, its headers and its body. */
function generator(seed: number) {
  const rnd = mulberry32(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)))
  const ascii = (n: number) => Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rnd() * 94))).join('')
  const port = () => bridge.port
  const targets = () => [
    '/', '//', '///', '//x', '/./', '/..', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%', '/%E0%A4%A', '/%00', '/index.html', '/assets/x.js',
    '/api/invoke/', '/api/invoke/products:list', '/api/invoke/products:delete', '/api/invoke/%', '/api/invoke/%E0%A4%A', '/api/invoke/__proto__',
    '/api/events', `/api/events?token=${bridge.token}`, '/api/events?token=', '/api/events?token=%', 'http://[zz', 'http://127.0.0.1/', '*', '', 'x',
    `/${ascii(1 + Math.floor(rnd() * 40))}`, `/${'a'.repeat(2000 + Math.floor(rnd() * 6000))}`, `/?${ascii(30)}`,
  ]
  const hosts = () => [`127.0.0.1:${port()}`, `localhost:${port()}`, `127.0.0.1:${port()}`, 'evil.example', '', `[::1]:${port()}`, `127.0.0.1:${port()}\u0000`, null]
  const origins = () => [null, null, `http://127.0.0.1:${port()}`, 'http://evil.example', 'null', `http://localhost:${port()}`, ascii(12)]
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'BREW', 'G\u0000T', '']
  // Mostly well-formed requests (so the handlers and the upgrade path see them), some broken at the HTTP level.
  const often = <T,>(usual: T, odd: () => T, p = 0.15): T => (rnd() < p ? odd() : usual)
  return (): Buffer => {
    const method = often(rnd() < 0.5 ? 'GET' : 'POST', () => pick(methods), 0.2)
    const target = pick(targets())
    const lines = [`${method} ${target} ${often('HTTP/1.1', () => pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/x', '']), 0.1)}`]
    const host = often(`127.0.0.1:${port()}`, () => pick(hosts()), 0.3)
    if (host !== null) lines.push(`Host: ${host}`)
    if (rnd() < 0.1) lines.push(`Host: ${pick(hosts()) ?? 'x'}`)
    const origin = pick(origins())
    if (origin !== null) lines.push(`Origin: ${origin}`)
    if (rnd() < 0.2) lines.push(`Sec-Fetch-Site: ${pick(['none', 'same-origin', 'cross-site', 'same-site', ''])}`)
    if (rnd() < 0.5) lines.push(`x-pbas-token: ${rnd() < 0.6 ? bridge.token : ascii(64)}`)
    if (rnd() < 0.3) lines.push('Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${rnd() < 0.7 ? 'dGhlIHNhbXBsZSBub25jZQ==' : ascii(10)}`, `Sec-WebSocket-Version: ${pick(['13', '99', ''])}`)
    let body: Buffer = Buffer.alloc(0)
    const kind = rnd()
    if (kind < 0.25) body = Buffer.from(pick(['{"arg":null}', '{"arg":{"__proto__":{"x":1}}}', '{', 'null', '[]', '{"arg":' + '['.repeat(5000) + '}']))
    else if (kind < 0.4) body = bytes(Math.floor(rnd() * 400))
    const cl = rnd()
    if (cl < 0.6) lines.push(`Content-Length: ${body.length}`)
    else if (cl < 0.65) lines.push(`Content-Length: ${pick(['-1', 'abc', '99999999999', String(body.length + 10), '1e3', ''])}`)
    else if (cl < 0.7) lines.push('Transfer-Encoding: chunked'), (body = Buffer.concat([Buffer.from(pick(['5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', 'ffffffffff\r\n', '3\r\nab'])), body]))
    if (rnd() < 0.03) lines.push(`X-Big: ${'h'.repeat(20_000)}`)
    if (rnd() < 0.03) lines.push(ascii(20)) // a header line without a colon
    lines.push('Connection: close')
    const raw = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body])
    // Some clients vanish half-way through their request.
    return rnd() < 0.05 ? raw.subarray(0, Math.floor(rnd() * raw.length)) : raw
  }
}

/** Sends raw bytes, resolves with the status code of the answer (0: the server closed without one). */
function rawRequest(raw: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const s = connect(bridge.port, '127.0.0.1')
    let got = ''
    const done = () => {
      clearTimeout(timer)
      s.destroy()
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got)
      resolve(m ? Number(m[1]) : 0)
    }
    // A request cut short gets no answer (the server waits for the rest); the client gives up, as a real one would.
    const timer = setTimeout(done, 1000)
    s.on('data', (d) => {
      got += d.toString('latin1')
      if (got.includes('\r\n')) done()
    })
    s.on('error', done)
    s.on('close', done)
    s.end(raw)
  })
}

async function healthy(): Promise<boolean> {
  const page = await fetch(`http://127.0.0.1:${bridge.port}/`)
  const api = await fetch(`http://127.0.0.1:${bridge.port}/api/invoke/products:list`, { method: 'POST', headers: { 'x-pbas-token': bridge.token }, body: '{"arg":null}' })
  return page.status === 200 && (await page.text()).includes('fuzz') && api.status === 200 && (await api.json()).ok === true
}

/** A WebSocket client holding the token that then sends garbage frames, raw bytes or nothing, and leaves. */
async function hostileSocket(rnd: () => number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/events?token=${bridge.token}`)
  await new Promise<void>((resolve) => {
    ws.on('error', () => resolve())
    ws.on('close', () => resolve())
    ws.on('open', () => {
      const r = rnd()
      const sock = (ws as unknown as { _socket: import('node:net').Socket })._socket
      if (r < 0.3) ws.send(Buffer.alloc(Math.floor(rnd() * 200_000), 7)) // over maxPayload at times
      else if (r < 0.6) sock.write(Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256)))) // not a frame
      else if (r < 0.8) ws.ping()
      setTimeout(() => ws.terminate(), 20)
    })
  })
}

describe('pbas serve under a fuzz of its HTTP and WebSocket surfaces (seed 20261204)', () => {
  it(`answers ${BATCHES * PER_BATCH} generated requests and stays up: a health request succeeds after every batch`, async () => {
    const next = generator(SEED)
    const rnd = mulberry32(SEED + 1)
    const statuses = new Map<number, number>()
    // In `pbas serve` an error escaping the server's boundary ends the process; here it is caught and counted.
    const escaped: unknown[] = []
    const onEscape = (err: unknown) => void escaped.push(err)
    process.on('unhandledRejection', onEscape)
    process.on('uncaughtException', onEscape)
    try {
      for (let b = 0; b < BATCHES; b++) {
        const batch = Array.from({ length: PER_BATCH }, next)
        for (let i = 0; i < batch.length; i += CONCURRENCY) {
          const answers = await Promise.all(batch.slice(i, i + CONCURRENCY).map(rawRequest))
          for (const s of answers) statuses.set(s, (statuses.get(s) ?? 0) + 1)
        }
        await Promise.all(Array.from({ length: 10 }, () => hostileSocket(rnd)))
        expect(escaped.map(String), `errors that escaped the server after batch ${b + 1}`).toEqual([])
        expect(await healthy(), `after batch ${b + 1}`).toBe(true)
      }
    } finally {
      process.off('unhandledRejection', onEscape)
      process.off('uncaughtException', onEscape)
    }
    if (process.env.PBAS_FUZZ_VERBOSE) console.log([...statuses].sort((a, b) => a[0] - b[0]))
    // Refusals are 4xx; the one handler that throws is a 500 without internals; nothing else is a 5xx.
    const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)
    expect(fiveHundreds).toBe(thrown)
    expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThan(4)
  }, 120_000)
})

// Browser mode: the IPC handlers behind a local HTTP + WebSocket bridge (127.0.0.1, per-launch token) plus the built renderer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { timingSafeEqual, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { isInvokeChannel, type InvokeChannel, type InvokeReturn, type IpcResult } from '../../shared/ipc/invoke-map'
import type { EventSender } from '../../shared/ipc/event-map'
import { checkRequestSource, parseTarget } from './request-guard'

/** How to run the bridge. */
export interface BridgeOptions {
  rendererDir: string
  dispatch: <C extends InvokeChannel>(channel: C, arg: unknown) => Promise<IpcResult<InvokeReturn<C>>>
  port?: number
  /** fixed token (tests); default: 32 random bytes per launch */
  token?: string
  /** hooks up main -> renderer events; returns the unsubscribe function */
  subscribe?: (send: EventSender) => () => void
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' }
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
const MAX_BODY = 1 << 20

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
  res.end(body)
}

/** A request body over the limit; answered with 413 and the limit, never parsed. */
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'])
  if (declared > MAX_BODY) throw new BodyTooLarge()
  let size = 0
  const chunks: Buffer[] = []
  for await (const c of req) {
    const chunk: Buffer = c
    size += chunk.length
    if (size > MAX_BODY) throw new BodyTooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A running bridge; `close` ends it, WebSocket clients and kept-alive connections included. */
export interface Bridge {
  server: Server
  url: string
  token: string
  port: number
  close: () => Promise<void>
}

/** Starts the bridge; resolves with its URL (token in the fragment, never sent to the server in logs). */
export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('hex')
  let port = 0
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Only this machine, under the address we print, from our own pages: blocks DNS rebinding and other sites.
    const refusal = checkRequestSource(req.headers, port)
    if (refusal) return send(res, refusal.status, JSON.stringify({ error: refusal.error }))
    const url = parseTarget(req.url)
    if (!url) return send(res, 400, '{"error":"bad request target"}')
    if (url.pathname.startsWith('/api/invoke/')) {
      if (req.method !== 'POST') return send(res, 405, '{"error":"POST only"}')
      if (!sameToken(String(req.headers['x-pbas-token'] ?? ''), token)) return send(res, 401, '{"error":"missing or wrong token"}')
      let channel: string
      try {
        channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length))
      } catch {
        return send(res, 400, '{"error":"bad channel name"}')
      }
      if (!isInvokeChannel(channel)) return send(res, 200, JSON.stringify({ ok: false, error: { code: 'not-found', message: `unknown channel ${channel}` } }))
      let body: string
      try {
        body = await readBody(req)
      } catch (err) {
        if (!(err instanceof BodyTooLarge)) throw err
        res.setHeader('connection', 'close')
        return send(res, 413, JSON.stringify({ ok: false, error: { code: 'invalid-argument', message: `request too large (the limit is ${MAX_BODY / 2 ** 20} MiB)` } }))
      }
      let arg: unknown
      try {
        const parsed: unknown = JSON.parse(body || '{}')
        arg = parsed && typeof parsed === 'object' && Object.hasOwn(parsed, 'arg') ? Reflect.get(parsed, 'arg') : undefined
      } catch {
        return send(res, 200, JSON.stringify({ ok: false, error: { code: 'invalid-argument', message: 'body must be JSON {"arg": ...}' } }))
      }
      return send(res, 200, JSON.stringify(await opts.dispatch(channel, arg)))
    }
    if (req.method !== 'GET') return send(res, 405, '{"error":"GET only"}')
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1)
    const file = normalize(join(opts.rendererDir, rel))
    if (!file.startsWith(normalize(opts.rendererDir))) return send(res, 403, '{"error":"outside the app"}')
    return send(res, 200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream')
  }
  // Every request is handled inside this boundary: nothing a client sends can throw past it and stop the process.
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code
      if (res.headersSent) return void res.destroy()
      // Error bodies never carry file-system paths or internals; the server's own log has the details.
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return send(res, 404, '{"error":"not found"}')
      console.error(`pbas serve: ${req.method} ${JSON.stringify(req.url)}: ${(err as Error).message}`)
      send(res, 500, '{"error":"internal error"}')
    })
  })
  // Events (main -> renderer) over a WebSocket at /api/events; browsers cannot set headers on a WebSocket,
  // so this one endpoint takes the token in the query; Host and Origin are checked as for HTTP.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      const refusal = checkRequestSource(req.headers, port)
      const url = parseTarget(req.url)
      const status = refusal ? `${refusal.status} Forbidden` : !url ? '400 Bad Request' : url.pathname !== '/api/events' ? '404 Not Found' : !sameToken(url.searchParams.get('token') ?? '', token) ? '401 Unauthorized' : null
      if (status) {
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const off = opts.subscribe?.((channel, payload) => ws.send(JSON.stringify({ channel, payload })))
        ws.on('close', () => off?.())
        ws.on('error', () => ws.terminate())
      })
    } catch (err) {
      console.error(`pbas serve: upgrade ${JSON.stringify(req.url)}: ${(err as Error).message}`)
      socket.destroy()
    }
  })
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    else socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  const close = async () => {
    // WebSocket clients hold their sockets open forever; without this, Ctrl-C would wait for them.
    for (const ws of wss.clients) ws.terminate()
    wss.close()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
  return { server, url: `http://127.0.0.1:${port}/#token=${token}`, token, port, close }
}

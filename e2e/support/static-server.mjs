// Serves the built renderer (out/renderer) on 127.0.0.1 for browser e2e tests until `pbas serve` lands.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'

const root = resolve(process.argv[2] ?? 'out/renderer')
const port = Number(process.argv[3] ?? 5178)
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const path = normalize(join(root, url.pathname === '/' ? 'index.html' : url.pathname))
  if (!path.startsWith(root)) return res.writeHead(403).end()
  try {
    const body = await readFile(path)
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body)
  } catch {
    res.writeHead(404).end('not found')
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${port}`))

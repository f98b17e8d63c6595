// A TCP port on 127.0.0.1 that nothing listens on right now (for servers the tests start).
import { createServer } from 'node:net'

/** Asks the OS for a free port by binding port 0 and closing it again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

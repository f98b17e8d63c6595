// Test helper: every file under a folder with its size (and modification time): what "unchanged" means in a test.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Path -> "size" (or "size:mtime" with `withTime`) for every file under `root`, skipping names `skip` matches. */
export function snapshotTree(root: string, opts: { withTime?: boolean; skip?: (name: string) => boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (!opts.skip?.(e.name)) {
        const s = statSync(p)
        out[p] = opts.withTime ? `${s.size}:${s.mtimeMs}` : `${s.size}`
      }
    }
  }
  walk(root)
  return out
}

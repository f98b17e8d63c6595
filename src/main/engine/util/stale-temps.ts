// Removes temp files and folders left by a killed process (atomic writes, model folder swaps), never a live one's.
import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** True when a process with this id is running (signal 0 only asks). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** `<name>.<pid>.tmp`, `<name>.<pid>.old` and `<name>.<pid>.<hex>.tmp` next to `target` whose writer is gone. */
const TEMP = /^(.*)\.(\d+)(?:\.[0-9a-f]+)?\.(tmp|old)$/

/**
 * Deletes the leftovers of interrupted writes of `target` (a file or folder) and, inside `within` folders,
 * of any file; returns what it removed. A writer that is still running keeps its temp files.
 */
export async function removeStaleTemps(target: string, within: readonly string[] = []): Promise<string[]> {
  const removed: string[] = []
  const sweep = async (dir: string, owns: (name: string) => boolean) => {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      return
    }
    for (const name of names) {
      const m = TEMP.exec(name)
      if (!m || !owns(m[1]) || alive(Number(m[2]))) continue
      await rm(join(dir, name), { recursive: true, force: true })
      removed.push(join(dir, name))
    }
  }
  await sweep(dirname(target), (name) => name === basename(target))
  for (const dir of within) await sweep(dir, () => true)
  return removed
}

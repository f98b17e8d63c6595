// The one rule for output folders: never delete or overwrite what this command did not create, and never write into data sets or the workspace.
import { realpathSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { InputError } from './errors'

/** A folder no output may be, lie in, or contain, even with --force (a data set, the workspace). */
export interface ProtectedFolder {
  path: string
  /** what it is, for the message: "the data set", "the workspace" */
  what: string
}

/** How one command's output folder is judged. */
export interface OutputRule {
  /** the option that names the folder, for the message: "--out", "--heatmaps" */
  option: string
  /** what the command writes there: "a model", "an ONNX export" */
  writes: string
  /** true when the folder holds exactly what this command writes (an earlier run's output: safe to replace) */
  isOwn?: (dir: string, names: string[]) => boolean | Promise<boolean>
  /** the user said --force: replace a foreign folder's contents (never a protected folder's) */
  force?: boolean
  protect?: readonly ProtectedFolder[]
}

/** An output folder that would destroy someone else's files. */
export class OutputFolderError extends InputError {}

/** The path with every existing ancestor's links resolved, so two spellings of one folder compare equal. */
function canonical(path: string): string {
  const abs = resolve(path)
  let head = abs
  const tail: string[] = []
  for (;;) {
    try {
      return resolve(realpathSync(head), ...tail.reverse())
    } catch {
      const up = dirname(head)
      if (up === head) return abs
      tail.push(head.slice(up.length + (up.endsWith(sep) ? 0 : 1)))
      head = up
    }
  }
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep)

/**
 * Refuses an output folder that is, lies in or contains a protected folder (always), that is a file, or that
 * already holds files this command did not write (unless `force`). A missing or empty folder is fine.
 */
export async function checkOutputFolder(dir: string, rule: OutputRule): Promise<void> {
  const out = canonical(dir)
  for (const p of rule.protect ?? []) {
    const guarded = canonical(p.path)
    if (within(out, guarded) || within(guarded, out))
      throw new OutputFolderError(
        `${rule.option} ${dir} ${out === guarded ? 'is' : within(out, guarded) ? 'lies inside' : 'contains'} ${p.what} (${p.path}); PBAS Inspect never writes ${rule.writes} there, --force included. Choose a folder outside it.`,
      )
  }
  const s = await stat(dir).catch(() => null)
  if (!s) return
  if (!s.isDirectory()) throw new OutputFolderError(`${rule.option} ${dir} is a file, not a folder; choose a new or empty folder for ${rule.writes}.`)
  const names = await readdir(dir)
  if (names.length === 0 || rule.force || (rule.isOwn && (await rule.isOwn(dir, names)))) return
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, ... (${names.length} entries)` : '')
  throw new OutputFolderError(
    `${rule.option} ${dir} already holds files PBAS Inspect did not write there (${shown}); nothing was changed. Choose a new or empty folder, or add --force to replace its contents with ${rule.writes}.`,
  )
}

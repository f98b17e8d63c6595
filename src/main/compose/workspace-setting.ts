// Which workspace the desktop app opens: PBAS_WORKSPACE, else the settings file workspace.json in the user data folder, else its own folder.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const settingSchema = z.object({
  /** a folder, or postgres://user@host:5432/database (the password from PGPASSWORD or ~/.pgpass is fine too) */
  location: z.string().min(1),
  /** a PostgreSQL workspace's shared folder (the same path on every machine) */
  files: z.string().min(1).optional(),
})

/** Where the app's workspace is, and its shared file folder (the same path on every machine). */
export interface WorkspaceSetting {
  location: string
  files?: string
}

/**
 * PBAS_WORKSPACE (with PBAS_WORKSPACE_FILES) wins; then `<userData>/workspace.json`
 * (`{"location": "postgres://pbas@db.plant.local/pbas", "files": "/mnt/quality/pbas"}`); then `<userData>/workspace`,
 * a SQLite workspace of this machine alone. A damaged settings file is named, not ignored.
 */
export function workspaceSetting(userData: string, env: NodeJS.ProcessEnv = process.env): WorkspaceSetting {
  if (env.PBAS_WORKSPACE) return { location: env.PBAS_WORKSPACE, files: env.PBAS_WORKSPACE_FILES || undefined }
  const file = join(userData, 'workspace.json')
  if (!existsSync(file)) return { location: join(userData, 'workspace') }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); correct it or remove it to use this machine's own workspace`)
  }
  const r = settingSchema.safeParse(raw)
  if (!r.success) throw new Error(`${file} must be {"location": "<folder or postgres:// URL>", "files": "<shared folder>"} (${r.error.issues[0].path.join('.') || 'value'}: ${r.error.issues[0].message})`)
  return r.data
}

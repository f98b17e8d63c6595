// Where the product keeps per-user data (weights cache, workspaces) when the caller does not say.
import { homedir } from 'node:os'
import { join } from 'node:path'

/** PBAS_DATA_DIR, else the platform's per-user application data folder + 'pbas-inspect'. */
export function defaultDataDir(): string {
  if (process.env.PBAS_DATA_DIR) return process.env.PBAS_DATA_DIR
  const home = homedir()
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'pbas-inspect')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'pbas-inspect')
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'pbas-inspect')
}

/** The workspace `pbas serve` and `pbas report` use when not told: PBAS_DATA_DIR/workspace. */
export function defaultWorkspaceDir(): string {
  return join(defaultDataDir(), 'workspace')
}

// A throw-away PostgreSQL server for tests and benchmarks: Debian's binaries, a temporary data folder, 127.0.0.1 only.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port'

/** A running server; `stop()` shuts it down and removes its data; `down()` / `up()` stop and restart it with its data (an outage). */
export interface PostgresServer {
  /** postgres://pbas@127.0.0.1:PORT/postgres (trust authentication: a test server only) */
  url: string
  port: number
  down(): void
  up(): void
  stop(): void
}

/** The folder of initdb/pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin (newest). */
export function postgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0], 'bin') : null
}

const isRoot = () => process.getuid?.() === 0

/** PostgreSQL refuses to run as root: as root the server runs as the `postgres` (or `nobody`) user. */
function asServerUser(bin: string, args: string[]): { status: number | null; out: string } {
  const user = isRoot() ? (spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody') : null
  const r = user ? spawnSync('runuser', ['-u', user, '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` }
}

/**
 * Starts a server in a new temporary folder, or returns the reason it cannot (no binaries, or they failed), so a
 * test can skip with that reason printed.
 */
export async function startPostgres(): Promise<PostgresServer | string> {
  const bin = postgresBin()
  if (!bin) return 'PostgreSQL is not installed (Debian: `apt-get install postgresql`; `npm test` installs it as root)'
  const dir = mkdtempSync(join(tmpdir(), 'pbas-pg-'))
  chmodSync(dir, 0o777)
  const data = join(dir, 'data')
  const port = await freePort()
  const init = asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'pbas', '--auth=trust', '--encoding=UTF8', '--locale=C', '-N'])
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return `initdb failed: ${init.out.trim().split('\n').slice(-2).join(' ')}`
  }
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`
  const pgStart = () => asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start'])
  const pgStop = () => asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
  const start = pgStart()
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return `PostgreSQL did not start: ${start.out.trim().split('\n').slice(-2).join(' ')}`
  }
  return {
    url: `postgres://pbas@127.0.0.1:${port}/postgres`,
    port,
    down: () => void pgStop(),
    up() {
      const r = pgStart()
      if (r.status !== 0) throw new Error(`PostgreSQL did not start again: ${r.out.trim()}`)
    },
    stop() {
      pgStop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
